import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { VerdictBadgesExtension } from "../notebook/verdict-badges";
import { EXTENSION_ID } from "../tokens";

/** A badge on each cell with its last run verdict, kept in the cell's metadata. */
export const verdictsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:verdicts`,
  description: "Shows each cell's last run verdict (reproduced, drifted, changed, failed, new).",
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    app.docRegistry.addWidgetExtension("Notebook", new VerdictBadgesExtension());
  },
};
