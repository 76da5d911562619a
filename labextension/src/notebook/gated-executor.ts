/**
 * The cell executor (JupyterLab's documented seam, INotebookCellExecutor) with the header gate in
 * front: in `block` mode an undocumented code cell is not sent to the kernel, and a notification
 * offers to insert the header. Everything else goes to JupyterLab's own `runCell`.
 */
import { type ISessionContext, Notification } from "@jupyterlab/apputils";
import { type INotebookCellExecutor, runCell } from "@jupyterlab/notebook";
import type { TranslationBundle } from "@jupyterlab/translation";
import { gateCell, type LabtrailRequestMetadata } from "labtrail/core";
import type { ILabtrailPolicies } from "../tokens";
import { namingNotebook } from "./request-metadata";

export interface BlockedCell {
  cellId: string;
  reason: string;
}

/**
 * `notebookFields`: what each execute request says of the notebook the session is for (its path now),
 * so the kernel's records follow a rename.
 */
export function gatedCellExecutor(
  policies: ILabtrailPolicies,
  trans: TranslationBundle,
  onInsertHeader: (blocked: BlockedCell) => void,
  notebookFields: (sessionContext: ISessionContext) => LabtrailRequestMetadata,
): INotebookCellExecutor {
  let lastNotice: string | null = null;
  return Object.freeze({
    async runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
      const { cell, notebook } = options;
      if (cell.model.type === "code") {
        const policy = await policies.settled(notebook.sharedModel);
        if (policy.applies && policy.mode === "block") {
          const decision = gateCell(cell.model.sharedModel.getSource(), { mode: "block", required: policy.required });
          if (!decision.run) {
            // The core's words, shared with the kernel's own refusal.
            const reason = decision.error.split("\n")[0];
            // One notification at a time: Run All over many undocumented cells must not pile them up.
            if (lastNotice) Notification.dismiss(lastNotice);
            const blocked = { cellId: cell.model.id, reason };
            lastNotice = Notification.warning(reason, {
              autoClose: false,
              actions: [
                {
                  label: trans.__("Insert header"),
                  caption: trans.__("Insert the experiment header template at the top of this cell"),
                  displayType: "accent",
                  callback: () => onInsertHeader(blocked),
                },
              ],
            });
            options.onCellExecuted({ cell, success: false });
            return false;
          }
        }
      }
      const { sessionContext } = options;
      if (!sessionContext || !policies.forNotebook(notebook.sharedModel).applies) return runCell(options);
      return runCell({ ...options, sessionContext: namingNotebook(sessionContext, () => notebookFields(sessionContext)) });
    },
  });
}
