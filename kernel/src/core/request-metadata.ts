/**
 * What a frontend adds to each execute_request's metadata, under the `labtrail` key: where the notebook
 * is now, so the kernel's records follow a renamed or moved notebook. The JupyterLab extension builds
 * it; the kernel parses it with this schema. JupyterLab also spreads the cell's own metadata into the
 * request's, so the `labtrail` object may carry the cell's verdict too: only these fields are read.
 */

import { z } from "zod";

/** The key of labtrail's object in the execute_request's metadata (shared with the cell metadata's key). */
export const LABTRAIL_REQUEST_METADATA_KEY = "labtrail";

/** Not strict: a newer frontend may add fields, and the cell's metadata shares the object. */
export const labtrailRequestMetadataSchema = z.object({
  /** The notebook's path as the server's contents API names it: relative to the server root, `/`-separated. */
  notebookPath: z.string().min(1).optional(),
  /** The server's root folder as JupyterLab's page config gives it (`~` for the home folder), a hint to resolve the path. */
  serverRoot: z.string().min(1).optional(),
});

export type LabtrailRequestMetadata = z.output<typeof labtrailRequestMetadataSchema>;

export type RequestMetadataResult = { ok: true; value: LabtrailRequestMetadata } | { ok: false; problem: string };

/** labtrail's fields of an execute_request's metadata: none when it has none, a problem when they are malformed. */
export function labtrailRequestMetadata(metadata: unknown): RequestMetadataResult {
  if (typeof metadata !== "object" || metadata === null) return { ok: true, value: {} };
  const own = (metadata as Record<string, unknown>)[LABTRAIL_REQUEST_METADATA_KEY];
  if (own === undefined) return { ok: true, value: {} };
  const parsed = labtrailRequestMetadataSchema.safeParse(own);
  if (parsed.success) {
    const problem = parsed.data.notebookPath === undefined ? null : notebookPathProblem(parsed.data.notebookPath);
    return problem ? { ok: false, problem } : { ok: true, value: parsed.data };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `metadata.${LABTRAIL_REQUEST_METADATA_KEY}.${issue.path.join(".")}: ${issue.message}` };
}

/**
 * Why a contents-API path cannot name a notebook under the server root, or null: it must be relative,
 * `/`-separated, with no empty, `.` or `..` segment (nothing that leaves the root).
 */
export function notebookPathProblem(path: string): string | null {
  const what = `the notebook path ${JSON.stringify(path)}`;
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return `${what} is absolute; the kernel expects it relative to the server root`;
  if (path.includes("\\") || path.includes("\0")) return `${what} is not a /-separated path`;
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return `${what} has an empty, "." or ".." segment: it must stay under the server root`;
  }
  return null;
}
