import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IEditorExtensionRegistry } from "@jupyterlab/codemirror";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { headerMarkersFactory } from "../editor/header-markers";
import { EXTENSION_ID, ILabtrailPolicies, TRANSLATION_DOMAIN } from "../tokens";

/** Marks the first line of undocumented code cells in their editors. */
export const markersPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:header-markers`,
  description: "Marks code cells without an experiment header, live as you type.",
  autoStart: true,
  requires: [IEditorExtensionRegistry, ILabtrailPolicies],
  optional: [ITranslator],
  activate: (_app, registry: IEditorExtensionRegistry, policies: ILabtrailPolicies, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    registry.addExtension(headerMarkersFactory(policies, trans));
  },
};
