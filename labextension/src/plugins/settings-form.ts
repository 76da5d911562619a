import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IFormRendererRegistry } from "@jupyterlab/ui-components";
import { HeaderTemplateField, RequiredFieldsField } from "../settings-form/settings-widgets";
import { EXTENSION_ID, SETTINGS_PLUGIN_ID } from "../tokens";

/** labtrail's own widgets for two fields of its form in the Settings Editor. */
export const settingsFormPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:settings-form`,
  description: "A multi-line box for the header template and labelled checkboxes for the required header fields in the Settings Editor.",
  autoStart: true,
  requires: [IFormRendererRegistry],
  activate: (_app, registry: IFormRendererRegistry) => {
    registry.addRenderer(`${SETTINGS_PLUGIN_ID}.headerTemplate`, { fieldRenderer: HeaderTemplateField });
    registry.addRenderer(`${SETTINGS_PLUGIN_ID}.requiredFields`, { fieldRenderer: RequiredFieldsField });
  },
};
