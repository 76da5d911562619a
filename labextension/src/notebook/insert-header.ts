/**
 * "Insert Experiment Header": writes the header template (from the settings) at the top of a code
 * cell, or the template's missing keys into the header it has, and leaves the cursor on the value of
 * `Tested` (its placeholder selected, so typing replaces it).
 */
import type { Cell } from "@jupyterlab/cells";
import type { Notebook } from "@jupyterlab/notebook";
import { insertHeader } from "labtrail/core";
import type { HeaderKey } from "labtrail/core";

/** Applies the insertion to the cell as one edit of the changed span, so undo restores the cell. */
export function insertHeaderIntoCell(notebook: Notebook, cell: Cell, options: { template: string; required: readonly HeaderKey[] }): void {
  const shared = cell.model.sharedModel;
  const before = shared.getSource();
  const insertion = insertHeader(before, options); // throws for a template that is not a header
  if (insertion.changed) {
    const { start, removed, inserted } = spanOf(before, insertion.source);
    shared.updateSource(start, start + removed, inserted);
  }
  const index = notebook.widgets.indexOf(cell);
  if (index >= 0) notebook.activeCellIndex = index;
  notebook.mode = "edit";
  const editor = cell.editor;
  if (!editor) return;
  editor.setSelection({
    start: editor.getPositionAt(insertion.selection.from)!,
    end: editor.getPositionAt(insertion.selection.to)!,
  });
  editor.focus();
}

/** The one span where two texts differ: common prefix and suffix left alone. */
function spanOf(before: string, after: string): { start: number; removed: number; inserted: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end++;
  }
  return { start, removed: before.length - start - end, inserted: after.slice(start, after.length - end) };
}
