import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { VerdictBadgesExtension } from "../notebook/verdict-badges";
import { EXTENSION_ID, TRANSLATION_DOMAIN } from "../tokens";

/** A badge on each cell with its last run verdict, kept in the cell's metadata. */
export const verdictsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:verdicts`,
  description: "Shows each cell's last run verdict (reproduced, drifted, changed, failed, new).",
  autoStart: true,
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    app.docRegistry.addWidgetExtension("Notebook", new VerdictBadgesExtension(trans));
  },
};
