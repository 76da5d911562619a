/** "Insert Experiment Header": the template at the top of the target code cell. */
import { Notification } from "@jupyterlab/apputils";
import { insertHeaderIntoCell } from "../notebook/insert-header";
import { CommandIDs } from "../tokens";
import type { CommandContext } from "./context";
import { isCodeCellActive, targetCell } from "./target-cell";

export function addInsertHeaderCommand({ app, tracker, policies, trans }: CommandContext): void {
  app.commands.addCommand(CommandIDs.insertHeader, {
    label: trans.__("Insert Experiment Header"),
    caption: trans.__("Insert the Tested / Expect / Found header at the top of the active code cell"),
    isEnabled: (args) => typeof args.cellId === "string" || args.fromContextMenu === true || isCodeCellActive(app, tracker),
    execute: (args) => {
      const { panel, cell } = targetCell(app, tracker, args);
      if (!panel || !cell || cell.model.type !== "code") return;
      try {
        insertHeaderIntoCell(panel.content, cell, {
          template: policies.settings.headerTemplate,
          required: policies.forPanel(panel).required,
        });
      } catch (reason) {
        Notification.error(trans.__("labtrail: cannot insert the header: %1", (reason as Error).message));
      }
    },
  });
}
