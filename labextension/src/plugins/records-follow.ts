import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { RecordsFollower } from "../records/records-follow";
import { EXTENSION_ID, TRANSLATION_DOMAIN } from "../tokens";

/** A renamed or moved notebook takes its `<name>.labtrail/` folder with it, kernel or no kernel. */
export const recordsFollowPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:records-follow`,
  description: "Moves a notebook's run records and recordings folder with the notebook when it is renamed or moved.",
  autoStart: true,
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    new RecordsFollower(app.serviceManager.contents, trans);
  },
};
