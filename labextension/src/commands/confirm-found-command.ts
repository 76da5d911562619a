/**
 * "Found Still Holds": the user's word that the target cell's Found still describes its latest run,
 * written into the cell's metadata (the core's `foundConfirmed`), after which neither the extension nor
 * `labtrail lint` calls that Found stale. Enabled only on a cell whose stale Found it would clear.
 */
import { Notification } from "@jupyterlab/apputils";
import type { Cell } from "@jupyterlab/cells";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { checkIcon } from "@jupyterlab/ui-components";
import { CELL_METADATA_KEY, withFoundConfirmation } from "labtrail/core";
import { coreNotebook } from "../notebook/core-notebook";
import { type StaleFoundMark, staleFoundMark } from "../notebook/stale-found";
import { CommandIDs } from "../tokens";
import type { CommandContext } from "./context";
import { peekTargetCell, targetCell } from "./target-cell";

export function addConfirmFoundCommand({ app, tracker, policies, runs, trans }: CommandContext): void {
  const markOf = (panel: NotebookPanel | null, cell: Cell | null): StaleFoundMark | null => {
    const model = panel?.content.model;
    if (!panel || !model || !cell || cell.model.type !== "code") return null;
    const policy = policies.forPanel(panel);
    if (!policy.applies || policy.mode === "off") return null;
    const records = runs.records(model.sharedModel);
    if (records.length === 0) return null;
    const index = model.sharedModel.cells.indexOf(cell.model.sharedModel);
    return index < 0 ? null : staleFoundMark(coreNotebook(model.sharedModel), records, index);
  };
  const enabled = (args: Parameters<typeof peekTargetCell>[2]) => {
    const { panel, cell } = peekTargetCell(app, tracker, args);
    return markOf(panel, cell)?.confirmation != null;
  };

  app.commands.addCommand(CommandIDs.confirmFound, {
    label: trans.__("Found Still Holds"),
    caption: trans.__("Confirm that this cell's Found still describes its latest run, so it is no longer marked as stale"),
    icon: (args) => (args.toolbar ? checkIcon : undefined),
    isEnabled: enabled,
    // In the cell toolbar only where it applies; elsewhere shown, disabled when it does not.
    isVisible: (args) => args.toolbar !== true || enabled(args),
    execute: (args) => {
      const { panel, cell } = targetCell(app, tracker, args);
      const mark = markOf(panel, cell);
      if (!cell || !mark) {
        Notification.info(trans.__("labtrail: this cell's Found is not marked as stale"), { autoClose: 3000 });
        return;
      }
      if (!mark.confirmation) {
        Notification.warning(trans.__("labtrail: %1", mark.message), { autoClose: 5000 });
        return;
      }
      cell.model.setMetadata(CELL_METADATA_KEY, withFoundConfirmation(cell.model.getMetadata(CELL_METADATA_KEY), mark.confirmation));
    },
  });

  // The toolbar button follows the active cell, the records and the cell's content (source and metadata), debounced.
  let timer = 0;
  const changed = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => app.commands.notifyCommandChanged(CommandIDs.confirmFound), 250);
  };
  runs.changed.connect(changed);
  tracker.activeCellChanged.connect((_, cell) => {
    changed();
    // Connecting the same slot twice is a no-op, so revisiting a cell adds nothing.
    cell?.model.contentChanged.connect(changed);
  });
}
