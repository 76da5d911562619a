/** labtrail's JupyterLab extension: the plugins, wired here and nowhere else. */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { commandsPlugin } from "./plugins/commands";
import { executorPlugin } from "./plugins/executor";
import { experimentLogPlugin } from "./plugins/experiment-log";
import { markersPlugin } from "./plugins/markers";
import { magicLanguagePlugin } from "./plugins/magic-language";
import { kernelTrackingPlugin, policiesPlugin } from "./plugins/policies";
import { recordsFollowPlugin } from "./plugins/records-follow";
import { runsPlugin } from "./plugins/runs";
import { settingsFormPlugin } from "./plugins/settings-form";
import { statusPlugin } from "./plugins/status";
import { verdictsPlugin } from "./plugins/verdicts";

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  policiesPlugin,
  kernelTrackingPlugin,
  runsPlugin,
  recordsFollowPlugin,
  markersPlugin,
  statusPlugin,
  commandsPlugin,
  executorPlugin,
  verdictsPlugin,
  settingsFormPlugin,
  magicLanguagePlugin,
  experimentLogPlugin,
];

export default plugins;
