import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IEditorLanguageRegistry } from "@jupyterlab/codemirror";
import { MagicCellLanguageExtension } from "../notebook/magic-cell-language";
import { EXTENSION_ID, ILabtrailPolicies } from "../tokens";

/** `%%ask` cells edited as the Markdown prompt they hold, in labtrail notebooks. */
export const magicLanguagePlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:magic-language`,
  description: "Highlights a %%ask cell's prompt as Markdown instead of TypeScript.",
  autoStart: true,
  requires: [ILabtrailPolicies, IEditorLanguageRegistry],
  activate: (app: JupyterFrontEnd, policies: ILabtrailPolicies, languages: IEditorLanguageRegistry) => {
    app.docRegistry.addWidgetExtension("Notebook", new MagicCellLanguageExtension(policies, languages));
  },
};
