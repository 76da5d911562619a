/**
 * Every execute_request names the notebook where it is now (the core's request-metadata schema), so
 * the kernel's records follow a rename, a move or Save As. JupyterLab's runCell builds the request
 * itself, with no hook for metadata: it gets a session context whose kernel adds labtrail's fields to
 * each requestExecute. Everything else passes through to the real objects.
 */
import type { ISessionContext } from "@jupyterlab/apputils";
import type { Kernel, KernelMessage, Session } from "@jupyterlab/services";
import { LABTRAIL_REQUEST_METADATA_KEY, type LabtrailRequestMetadata } from "labtrail/core";

/**
 * The request's metadata with labtrail's fields added. JupyterLab spreads the cell's metadata into the
 * request's, so an object under the same key (the cell's verdict) is kept, not replaced.
 */
export function withNotebookPath(metadata: Record<string, unknown> | undefined, fields: LabtrailRequestMetadata): Record<string, unknown> {
  const own = metadata?.[LABTRAIL_REQUEST_METADATA_KEY];
  const kept = typeof own === "object" && own !== null && !Array.isArray(own) ? own : {};
  return { ...metadata, [LABTRAIL_REQUEST_METADATA_KEY]: { ...kept, ...fields } };
}

/** `sessionContext`, whose kernel's execute requests carry `fields()` (read when each request is sent). */
export function namingNotebook(sessionContext: ISessionContext, fields: () => LabtrailRequestMetadata): ISessionContext {
  const kernelProxy = (kernel: Kernel.IKernelConnection): Kernel.IKernelConnection =>
    passThrough(kernel, {
      requestExecute: (
        content: KernelMessage.IExecuteRequestMsg["content"],
        disposeOnDone?: boolean,
        metadata?: KernelMessage.IExecuteRequestMsg["metadata"],
      ) =>
        kernel.requestExecute(content, disposeOnDone, withNotebookPath(metadata, fields()) as KernelMessage.IExecuteRequestMsg["metadata"]),
    });
  const sessionProxy = (session: Session.ISessionConnection): Session.ISessionConnection =>
    passThrough(session, {
      get kernel() {
        return session.kernel ? kernelProxy(session.kernel) : session.kernel;
      },
    });
  return passThrough(sessionContext, {
    get session() {
      return sessionContext.session ? sessionProxy(sessionContext.session) : sessionContext.session;
    },
  });
}

/** A stand-in for `target` with `overrides`; every other member is the target's own (methods bound to it). */
function passThrough<T extends object>(target: T, overrides: object): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return Reflect.get(overrides, property);
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
