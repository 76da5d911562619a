import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { LabtrailPolicies } from "../policies";
import { DEFAULT_SETTINGS, readSettings } from "../settings";
import { EXTENSION_ID, ILabtrailPolicies, SETTINGS_PLUGIN_ID, TRANSLATION_DOMAIN } from "../tokens";

/**
 * Loads the settings; the other plugins ask it what applies. It must not need the notebook tracker:
 * the tracker needs the cell executor, which needs this service.
 */
export const policiesPlugin: JupyterFrontEndPlugin<ILabtrailPolicies> = {
  id: SETTINGS_PLUGIN_ID,
  description: "labtrail settings, and whether and how labtrail applies to each notebook.",
  autoStart: true,
  optional: [ISettingRegistry, ITranslator],
  provides: ILabtrailPolicies,
  activate: async (
    _app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
  ): Promise<ILabtrailPolicies> => {
    const policies = new LabtrailPolicies(DEFAULT_SETTINGS);
    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(SETTINGS_PLUGIN_ID);
        policies.updateSettings(readSettings(settings.composite));
        settings.changed.connect(() => policies.updateSettings(readSettings(settings.composite)));
      } catch (reason) {
        const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
        console.error(trans.__("labtrail: could not load the settings of %1; using the defaults", SETTINGS_PLUGIN_ID), reason);
      }
    }
    return policies;
  },
};

/** Hands every notebook panel to the policy service, which follows its kernel. */
export const kernelTrackingPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:kernel-tracking`,
  description: "Follows each notebook's kernel: its name and the header mode it reports.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailPolicies],
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker, policies: ILabtrailPolicies) => {
    tracker.widgetAdded.connect((_, panel) => policies.track(panel));
    tracker.forEach((panel) => {
      policies.track(panel);
    });
  },
};
