import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IEditorExtensionRegistry } from "@jupyterlab/codemirror";
import { headerMarkersFactory } from "../editor/header-markers";
import { EXTENSION_ID, ILabtrailPolicies } from "../tokens";

/** Marks the first line of undocumented code cells in their editors. */
export const markersPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:header-markers`,
  description: "Marks code cells without an experiment header, live as you type.",
  autoStart: true,
  requires: [IEditorExtensionRegistry, ILabtrailPolicies],
  activate: (_app, registry: IEditorExtensionRegistry, policies: ILabtrailPolicies) => {
    registry.addExtension(headerMarkersFactory(policies));
  },
};
