import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { IDocumentManager } from "@jupyterlab/docmanager";
import { INotebookTracker } from "@jupyterlab/notebook";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { addConfirmFoundCommand } from "../commands/confirm-found-command";
import { addExportDesignDocCommand } from "../commands/export-design-doc-command";
import { addInsertHeaderCommand } from "../commands/insert-header-command";
import { addNextUndocumentedCommand } from "../commands/next-undocumented-command";
import { CommandIDs, EXTENSION_ID, ILabtrailPolicies, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

/** Insert Experiment Header, Next Undocumented Cell, Found Still Holds and Export Design Doc Draft. */
export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:commands`,
  description:
    "Commands: insert the experiment header, go to the next undocumented cell, confirm a stale Found, export the design-doc draft.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailPolicies, ILabtrailRuns, IDocumentManager],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    policies: ILabtrailPolicies,
    runs: ILabtrailRuns,
    docManager: IDocumentManager,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const context = { app, tracker, policies, runs, trans };
    addInsertHeaderCommand(context);
    addNextUndocumentedCommand(context);
    addConfirmFoundCommand(context);
    addExportDesignDocCommand(context, docManager);

    const category = trans.__("labtrail");
    for (const command of [CommandIDs.insertHeader, CommandIDs.nextUndocumented, CommandIDs.confirmFound, CommandIDs.exportDesignDoc]) {
      palette?.addItem({ command, category });
    }
  },
};
