/**
 * The Experiment Log side panel (right sidebar, like the Table of Contents and the Property Inspector):
 * a header naming the notebook in front, then accordion sections — Cells, and Recordings (collapsed at
 * first; read only while expanded; the prune button in its title bar).
 */
import { PathExt } from "@jupyterlab/coreutils";
import type { IRenderMimeRegistry } from "@jupyterlab/rendermime";
import type { TranslationBundle } from "@jupyterlab/translation";
import { CommandToolbarButton, SidePanel, Toolbar } from "@jupyterlab/ui-components";
import type { CommandRegistry } from "@lumino/commands";
import { AccordionPanel, Widget } from "@lumino/widgets";
import { CommandIDs } from "../tokens";
import { CellsView } from "./cells-view";
import { experimentLogIcon } from "./icon";
import type { ExperimentLogModel } from "./model";
import { RecordingsView } from "./recordings-view";

export const EXPERIMENT_LOG_ID = "labtrail-experiment-log";

export function createExperimentLog(
  model: ExperimentLogModel,
  commands: CommandRegistry,
  trans: TranslationBundle,
  rendermime: IRenderMimeRegistry | null,
): SidePanel {
  const panel = new SidePanel();
  panel.id = EXPERIMENT_LOG_ID;
  panel.addClass("lt-ExperimentLog");
  panel.title.icon = experimentLogIcon;
  panel.title.caption = trans.__("Experiment Log");

  const heading = new Widget({ node: document.createElement("h2") });
  heading.addClass("lt-ExperimentLog-title");
  heading.addClass("jp-text-truncated");
  panel.header.addWidget(heading);
  const showNotebook = () => {
    const path = model.panel?.context.path;
    heading.node.textContent = path ? trans.__("Experiment Log: %1", PathExt.basename(path)) : trans.__("Experiment Log");
    heading.node.title = path ?? "";
  };
  model.changed.connect(showNotebook);
  showNotebook();

  const cells = new CellsView(model, trans, rendermime);
  const recordings = new RecordingsView(model, trans) as RecordingsView & { toolbar: Toolbar };
  recordings.toolbar = new Toolbar();
  recordings.toolbar.addItem("prune", new CommandToolbarButton({ commands, id: CommandIDs.pruneRecordings, args: { toolbar: true } }));
  panel.addWidget(cells);
  panel.addWidget(recordings);
  const accordion = panel.content as AccordionPanel;
  if (accordion instanceof AccordionPanel) accordion.collapse(1);
  return panel;
}
