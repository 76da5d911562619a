/** Which notebook and cell a command acts on, from its arguments and where it was invoked. */
import type { JupyterFrontEnd } from "@jupyterlab/application";
import type { Cell } from "@jupyterlab/cells";
import type { INotebookTracker, NotebookPanel } from "@jupyterlab/notebook";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";

export interface TargetCell {
  panel: NotebookPanel | null;
  cell: Cell | null;
}

/**
 * The cell a command acts on: the one named by `cellId` (made active), the one right-clicked
 * when run from the context menu, else the active cell.
 */
export function targetCell(app: JupyterFrontEnd, tracker: INotebookTracker, args: ReadonlyPartialJSONObject): TargetCell {
  let cellId = args.cellId;
  if (args.fromContextMenu === true) {
    const node = app.contextMenuHitTest((n) => n.classList.contains("jp-Cell"));
    cellId = tracker.currentWidget?.content.widgets.find((cell) => cell.node === node)?.model.id;
  }
  if (typeof cellId !== "string") return { panel: tracker.currentWidget, cell: tracker.activeCell };
  const panel = tracker.find((p) => p.content.widgets.some((cell) => cell.model.id === cellId)) ?? null;
  if (!panel) return { panel: null, cell: null };
  const index = panel.content.widgets.findIndex((cell) => cell.model.id === cellId);
  app.shell.activateById(panel.id);
  panel.content.activeCellIndex = index;
  return { panel, cell: panel.content.widgets[index] };
}

/** Whether the focused main-area widget is a notebook whose active cell is a code cell. */
export function isCodeCellActive(app: JupyterFrontEnd, tracker: INotebookTracker): boolean {
  return tracker.activeCell?.model.type === "code" && tracker.currentWidget === app.shell.currentWidget;
}

/** The cell `targetCell` would act on, found without activating anything (for `isEnabled`). */
export function peekTargetCell(app: JupyterFrontEnd, tracker: INotebookTracker, args: ReadonlyPartialJSONObject): TargetCell {
  if (args.fromContextMenu === true) {
    const node = app.contextMenuHitTest((n) => n.classList.contains("jp-Cell"));
    const panel = tracker.currentWidget;
    return { panel, cell: panel?.content.widgets.find((cell) => cell.node === node) ?? null };
  }
  const cellId = args.cellId;
  if (typeof cellId !== "string") return { panel: tracker.currentWidget, cell: tracker.activeCell };
  const panel = tracker.find((p) => p.content.widgets.some((cell) => cell.model.id === cellId)) ?? null;
  return { panel, cell: panel?.content.widgets.find((cell) => cell.model.id === cellId) ?? null };
}
