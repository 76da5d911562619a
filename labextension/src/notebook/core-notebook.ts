/**
 * A notebook as JupyterLab's shared model holds it (unsaved edits included), read as the core reads a
 * notebook file, so the core's record matching and checks see what the user sees. Field for field,
 * rather than through JSON text, as it runs on every debounced edit.
 */
import type { ISharedCodeCell, ISharedNotebook } from "@jupyter/ydoc";
import type { Notebook, NotebookCell, NotebookOutput } from "labtrail/core";

export function coreNotebook(shared: ISharedNotebook): Notebook {
  return {
    nbformat: 4,
    nbformatMinor: shared.nbformat_minor,
    metadata: { ...shared.getMetadata() },
    cells: shared.cells.map((cell, index): NotebookCell => {
      const base = { index, id: cell.id || null, source: cell.getSource(), metadata: { ...cell.getMetadata() } };
      if (cell.cell_type === "code") {
        const code = cell as ISharedCodeCell;
        return { ...base, cellType: "code", executionCount: code.execution_count, outputs: code.getOutputs() as NotebookOutput[] };
      }
      return { ...base, cellType: cell.cell_type === "markdown" ? "markdown" : "raw", attachments: null };
    }),
  };
}
