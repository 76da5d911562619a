import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IEditorExtensionRegistry } from "@jupyterlab/codemirror";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { headerMarkersFactory } from "../editor/header-markers";
import { EXTENSION_ID, ILabtrailPolicies, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

/** Marks the first line of undocumented code cells, and the line of a stale Found, in their editors. */
export const markersPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:header-markers`,
  description: "Marks code cells without an experiment header, or with a Found that may be stale, live as you type.",
  autoStart: true,
  requires: [IEditorExtensionRegistry, ILabtrailPolicies, ILabtrailRuns],
  optional: [ITranslator],
  activate: (
    _app,
    registry: IEditorExtensionRegistry,
    policies: ILabtrailPolicies,
    runs: ILabtrailRuns,
    translator: ITranslator | null,
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    registry.addExtension(headerMarkersFactory(policies, runs, trans));
  },
};
