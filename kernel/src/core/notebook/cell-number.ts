/**
 * The one cell numbering every tool shows (lint, the design-doc draft): the cell's place in the
 * notebook counting every cell from the top, Markdown and raw cells included, the order JupyterLab
 * and GitHub show them in. Execution counts are not used: they change with every run.
 */

/** How the numbers are counted, in words a reader of the draft or of lint's output can follow. */
export const CELL_NUMBERING = "cell numbers count every cell from the top, Markdown cells included";

/** The 1-based number of the cell at 0-based `index`. */
export function cellNumber(cell: { index: number }): number {
  return cell.index + 1;
}
