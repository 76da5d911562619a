import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { INotebookTracker, type NotebookPanel } from "@jupyterlab/notebook";
import { IStatusBar } from "@jupyterlab/statusbar";
import { ITranslator, nullTranslator } from "@jupyterlab/translation";
import { Signal } from "@lumino/signaling";
import { UndocumentedStatus } from "../status/undocumented-status";
import { EXTENSION_ID, ILabtrailPolicies, ILabtrailRuns, TRANSLATION_DOMAIN } from "../tokens";

const TOOLBAR_ITEM = "labtrail-undocumented";

/**
 * "N cells undocumented" (and "M Founds may be stale") in the status bar; where the app has none
 * (Jupyter Notebook 7), in each notebook's toolbar.
 */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: `${EXTENSION_ID}:status`,
  description: "Shows how many code cells of the current notebook lack an experiment header or have a Found that may be stale.",
  autoStart: true,
  requires: [INotebookTracker, ILabtrailPolicies, ILabtrailRuns],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    policies: ILabtrailPolicies,
    runs: ILabtrailRuns,
    statusBar: IStatusBar | null,
    translator: ITranslator | null,
  ) => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    if (!statusBar) {
      // Notebook 7: one notebook per page, so its toolbar is where the count is seen.
      const addTo = (panel: NotebookPanel) => {
        const item = new UndocumentedStatus(tracker, policies, runs, app.commands, trans);
        item.addClass("lt-mod-toolbar");
        if (!panel.toolbar.insertBefore("spacer", TOOLBAR_ITEM, item)) panel.toolbar.addItem(TOOLBAR_ITEM, item);
      };
      tracker.forEach(addTo);
      tracker.widgetAdded.connect((_, panel) => addTo(panel));
      return;
    }
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
