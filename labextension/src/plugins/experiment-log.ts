import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { INotebookTracker } from "@jupyterlab/notebook";
import { IRenderMimeRegistry } from "@jupyterlab/rendermime";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { deleteIcon } from "@jupyterlab/ui-components";
import { experimentLogIcon } from "../experiment-log/icon";
import { ExperimentLogModel } from "../experiment-log/model";
import { createExperimentLog, EXPERIMENT_LOG_ID } from "../experiment-log/panel";
import { pruneRecordings } from "../experiment-log/prune";
import { CommandIDs, EXTENSION_ID, ILabtrailPolicies, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

/** The Experiment Log in the right sidebar, its palette commands (show it, prune unused recordings). */
export const experimentLogPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:experiment-log`,
  description: "The Experiment Log side panel: each cell's run history and the notebook's recordings, with a prune command.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailRuns, ILabtrailPolicies],
  optional: [ICommandPalette, ILayoutRestorer, ITranslator, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    runs: ILabtrailRuns,
    policies: ILabtrailPolicies,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null,
    rendermime: IRenderMimeRegistry | null,
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const contents = app.serviceManager.contents;
    const model = new ExperimentLogModel(tracker, runs, policies, contents);
    const panel = createExperimentLog(model, app.commands, trans, rendermime);
    app.shell.add(panel, "right", { rank: 650, type: "Experiment Log" });
    restorer?.add(panel, EXPERIMENT_LOG_ID);

    app.commands.addCommand(CommandIDs.openExperimentLog, {
      label: trans.__("Show Experiment Log"),
      caption: trans.__("Open the Experiment Log: each cell's runs and the notebook's recordings"),
      icon: experimentLogIcon,
      execute: () => app.shell.activateById(EXPERIMENT_LOG_ID),
    });
    app.commands.addCommand(CommandIDs.pruneRecordings, {
      label: (args) => (args.toolbar ? "" : trans.__("Prune Unused Recordings…")),
      caption: trans.__("Delete the recordings no cell's latest run uses, after a confirmation"),
      icon: (args) => (args.toolbar ? deleteIcon : undefined),
      isEnabled: () => model.applies,
      execute: () => pruneRecordings(model, contents, trans),
    });
    let applied = model.applies;
    model.changed.connect(() => {
      if (model.applies === applied) return;
      applied = model.applies;
      app.commands.notifyCommandChanged(CommandIDs.pruneRecordings);
    });

    const category = trans.__("labtrail");
    for (const command of [CommandIDs.openExperimentLog, CommandIDs.pruneRecordings]) palette?.addItem({ command, category });
  },
};
