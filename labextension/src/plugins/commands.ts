import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette, Notification } from "@jupyterlab/apputils";
import { IDocumentManager } from "@jupyterlab/docmanager";
import { INotebookTracker } from "@jupyterlab/notebook";
import { markdownIcon } from "@jupyterlab/ui-components";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import { exportDesignDocDraft } from "../export/export-draft";
import { insertHeaderIntoCell } from "../notebook/insert-header";
import { nextAfter, undocumentedCells } from "../notebook/undocumented";
import { CommandIDs, EXTENSION_ID, ILabtrailPolicies } from "../tokens";

const CATEGORY = "labtrail";

/** Insert Experiment Header, Next Undocumented Cell and Export Design Doc Draft. */
export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:commands`,
  description: "Commands: insert the experiment header, go to the next undocumented cell, export the design-doc draft.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailPolicies, IDocumentManager],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    policies: ILabtrailPolicies,
    docManager: IDocumentManager,
    palette: ICommandPalette | null,
  ) => {
    const { commands } = app;
    const isCodeCellActive = () => tracker.activeCell?.model.type === "code" && tracker.currentWidget === app.shell.currentWidget;

    /**
     * The cell a command acts on: the one named by `cellId` (made active), the one right-clicked
     * when run from the context menu, else the active cell.
     */
    const targetCell = (args: ReadonlyPartialJSONObject) => {
      let cellId = args.cellId;
      if (args.fromContextMenu === true) {
        const node = app.contextMenuHitTest((n) => n.classList.contains("jp-Cell"));
        cellId = tracker.currentWidget?.content.widgets.find((cell) => cell.node === node)?.model.id;
      }
      if (typeof cellId !== "string") return { panel: tracker.currentWidget, cell: tracker.activeCell };
      const panel = tracker.find((p) => p.content.widgets.some((cell) => cell.model.id === cellId)) ?? null;
      if (!panel) return { panel: null, cell: null };
      const index = panel.content.widgets.findIndex((cell) => cell.model.id === cellId);
      app.shell.activateById(panel.id);
      panel.content.activeCellIndex = index;
      return { panel, cell: panel.content.widgets[index] };
    };

    commands.addCommand(CommandIDs.insertHeader, {
      label: "Insert Experiment Header",
      caption: "Insert the Tested / Expect / Found header at the top of the active code cell",
      isEnabled: (args) => typeof args.cellId === "string" || args.fromContextMenu === true || isCodeCellActive(),
      execute: (args) => {
        const { panel, cell } = targetCell(args);
        if (!panel || !cell || cell.model.type !== "code") return;
        try {
          insertHeaderIntoCell(panel.content, cell, {
            template: policies.settings.headerTemplate,
            required: policies.forPanel(panel).required,
          });
        } catch (reason) {
          Notification.error(`labtrail: cannot insert the header: ${(reason as Error).message}`);
        }
      },
    });

    commands.addCommand(CommandIDs.nextUndocumented, {
      label: "Go to Next Undocumented Cell",
      caption: "Move to the next code cell without an experiment header",
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const panel = tracker.currentWidget;
        const model = panel?.content.model;
        if (!panel || !model) return;
        const next = nextAfter(undocumentedCells(model, policies.forPanel(panel)), panel.content.activeCellIndex);
        if (next < 0) {
          Notification.info("labtrail: every code cell has its experiment header", { autoClose: 3000 });
          return;
        }
        panel.content.activeCellIndex = next;
        await panel.content.scrollToItem(next, "smart");
        app.shell.activateById(panel.id);
      },
    });

    commands.addCommand(CommandIDs.exportDesignDoc, {
      label: "Export Design Doc Draft",
      caption: "Write <notebook>.design.md beside the notebook from its headers and run records, and open it",
      icon: (args) => (args.toolbar ? markdownIcon : undefined),
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) return null;
        await panel.context.ready;
        try {
          return await exportDesignDocDraft(panel, docManager, policies.settings.exportFileName);
        } catch (reason) {
          Notification.error(`labtrail: the design doc draft was not exported: ${(reason as Error).message}`);
          return null;
        }
      },
    });

    for (const command of [CommandIDs.insertHeader, CommandIDs.nextUndocumented, CommandIDs.exportDesignDoc]) {
      palette?.addItem({ command, category: CATEGORY });
    }
  },
};
