/** "Export Design Doc Draft": the current notebook's draft written beside it and opened. */
import { Notification } from "@jupyterlab/apputils";
import type { IDocumentManager } from "@jupyterlab/docmanager";
import { markdownIcon } from "@jupyterlab/ui-components";
import { exportDesignDocDraft } from "../export/export-draft";
import { CommandIDs } from "../tokens";
import type { CommandContext } from "./context";

export function addExportDesignDocCommand({ app, tracker, policies, trans }: CommandContext, docManager: IDocumentManager): void {
  app.commands.addCommand(CommandIDs.exportDesignDoc, {
    label: trans.__("Export Design Doc Draft"),
    caption: trans.__("Write <notebook>.design.md beside the notebook from its headers and run records, and open it"),
    icon: (args) => (args.toolbar ? markdownIcon : undefined),
    isEnabled: () => tracker.currentWidget !== null,
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel) return null;
      await panel.context.ready;
      try {
        return await exportDesignDocDraft(panel, docManager, policies.settings.exportFileName, trans, policies.forPanel(panel).required);
      } catch (reason) {
        Notification.error(trans.__("labtrail: the design doc draft was not exported: %1", (reason as Error).message));
        return null;
      }
    },
  });
}
