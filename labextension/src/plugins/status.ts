import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker } from "@jupyterlab/notebook";
import { IStatusBar } from "@jupyterlab/statusbar";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { Signal } from "@lumino/signaling";
import { UndocumentedStatus } from "../status/undocumented-status";
import { EXTENSION_ID, ILabtrailPolicies, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

/** "N cells undocumented" (and "M Founds may be stale") in the status bar. */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:status`,
  description: "Shows how many code cells of the current notebook lack an experiment header or have a Found that may be stale.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailPolicies, ILabtrailRuns, IStatusBar],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    policies: ILabtrailPolicies,
    runs: ILabtrailRuns,
    statusBar: IStatusBar,
    translator: ITranslator | null,
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const item = new UndocumentedStatus(tracker, policies, runs, app.commands, trans);
    // The item shows only while the main area shows a notebook labtrail applies to (the tracker keeps
    // its last notebook while the Launcher or the Settings Editor is in front): re-ask on each change.
    const activeStateChanged = new Signal<UndocumentedStatus, void>(item);
    policies.changed.connect(() => activeStateChanged.emit());
    tracker.currentChanged.connect(() => activeStateChanged.emit());
    app.shell.currentChanged?.connect(() => activeStateChanged.emit());
    const inFront = () => !app.shell.currentChanged || app.shell.currentWidget === tracker.currentWidget;
    statusBar.registerStatusItem(`${EXTENSION_ID}:undocumented`, {
      item,
      align: "left",
      rank: 4,
      isActive: () => item.isActive && inFront(),
      activeStateChanged,
    });
  },
};
