import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker } from "@jupyterlab/notebook";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { NotebookRuns } from "../records/notebook-runs";
import { EXTENSION_ID, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

/** Reads each open notebook's run records, for the stale-Found marker, count and command. */
export const runsPlugin: JupyterFrontEndPlugin<ILabtrailRuns> = {
  id: `${EXTENSION_ID}:runs`,
  description: "The run records (runs.jsonl) of each open notebook, re-read after its executions when the file changed.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  provides: ILabtrailRuns,
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, translator: ITranslator | null): ILabtrailRuns => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const runs = new NotebookRuns(app.serviceManager.contents, trans);
    tracker.widgetAdded.connect((_, panel) => runs.track(panel));
    tracker.forEach((panel) => {
      runs.track(panel);
    });
    return runs;
  },
};
