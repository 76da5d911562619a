/**
 * The cell executor (JupyterLab's documented seam, INotebookCellExecutor) with the header gate in
 * front: in `block` mode an undocumented code cell is not sent to the kernel, and a notification
 * offers to insert the header. Everything else goes to JupyterLab's own `runCell`.
 */
import { Notification } from "@jupyterlab/apputils";
import { type INotebookCellExecutor, runCell } from "@jupyterlab/notebook";
import type { TranslationBundle } from "@jupyterlab/translation";
import { gateCell } from "labtrail/core";
import type { ILabtrailPolicies } from "../tokens";

export interface BlockedCell {
  cellId: string;
  reason: string;
}

export function gatedCellExecutor(
  policies: ILabtrailPolicies,
  trans: TranslationBundle,
  onInsertHeader: (blocked: BlockedCell) => void,
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
      return runCell(options);
    },
  });
}
