import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { INotebookCellExecutor } from "@jupyterlab/notebook";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { gatedCellExecutor } from "../notebook/gated-executor";
import { CommandIDs, EXTENSION_ID, ILabtrailPolicies, TRANSLATION_DOMAIN } from "../tokens";

/**
 * Replaces JupyterLab's cell executor (its plugin is disabled in package.json, "disabledExtensions")
 * with one that enforces `block` mode before a cell reaches the kernel.
 */
export const executorPlugin: JupyterFrontEndPlugin<INotebookCellExecutor> = {
  id: `${EXTENSION_ID}:cell-executor`,
  description: "Runs notebook cells; in block mode, not the ones without an experiment header.",
  autoStart: true,
  provides: INotebookCellExecutor,
  // Not the notebook tracker: it needs this executor.
  requires: [ILabtrailPolicies],
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, policies: ILabtrailPolicies, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const contents = app.serviceManager.contents;
    return gatedCellExecutor(
      policies,
      trans,
      (blocked) => void app.commands.execute(CommandIDs.insertHeader, { cellId: blocked.cellId }),
      // The session follows the document's renames; the path is the server's (a drive prefix removed).
      (sessionContext) => ({
        notebookPath: contents.localPath(sessionContext.path),
        serverRoot: PageConfig.getOption("serverRoot") || undefined,
      }),
    );
  },
};
