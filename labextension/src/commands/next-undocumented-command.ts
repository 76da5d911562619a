/** "Go to Next Undocumented Cell": the next code cell without a header or with a stale Found, wrapping around. */
import { Notification } from "@jupyterlab/apputils";
import { cellsToDocument, nextAfter } from "../notebook/undocumented";
import { CommandIDs } from "../tokens";
import type { CommandContext } from "./context";

export function addNextUndocumentedCommand({ app, tracker, policies, runs, trans }: CommandContext): void {
  app.commands.addCommand(CommandIDs.nextUndocumented, {
    label: trans.__("Go to Next Undocumented Cell"),
    caption: trans.__("Move to the next code cell without an experiment header"),
    isEnabled: () => tracker.currentWidget !== null,
    execute: async () => {
      const panel = tracker.currentWidget;
      const model = panel?.content.model;
      if (!panel || !model) return;
      const next = nextAfter(
        cellsToDocument(model, policies.forPanel(panel), runs.records(model.sharedModel)),
        panel.content.activeCellIndex,
      );
      if (next < 0) {
        Notification.info(trans.__("labtrail: every code cell has its experiment header"), { autoClose: 3000 });
        return;
      }
      panel.content.activeCellIndex = next;
      await panel.content.scrollToItem(next, "smart");
      app.shell.activateById(panel.id);
    },
  });
}
