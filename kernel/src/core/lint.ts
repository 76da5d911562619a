/**
 * Lints a whole notebook against the header contract: every code cell's header problems, with the cell
 * they belong to. One pass over the cells; each cell costs its header, not its code.
 */

import { checkHeader } from "./header/check";
import { HeaderProblem, parseHeader } from "./header/grammar";
import { HeaderKey } from "./header/keys";
import { hasRun, Notebook } from "./notebook/schema";

export interface NotebookProblem extends HeaderProblem {
  /** 1-based position of the cell in the notebook, counting every cell (Markdown and raw too). */
  cell: number;
  /** The cell's nbformat id, or null when the notebook has none. */
  cellId: string | null;
}

export interface LintOptions {
  /** Required keys (the config's `header.required`); default Tested and Found. */
  required?: readonly HeaderKey[];
}

export interface LintResult {
  problems: NotebookProblem[];
  /** Header lines read over all cells (plus one line per cell that ended its header). */
  linesScanned: number;
}

export function lintNotebook(notebook: Notebook, options: LintOptions = {}): LintResult {
  const problems: NotebookProblem[] = [];
  let linesScanned = 0;
  for (const cell of notebook.cells) {
    if (cell.cellType !== "code") continue;
    const header = parseHeader(cell.source);
    linesScanned += header.linesScanned;
    for (const problem of checkHeader(header, { hasRun: hasRun(cell), required: options.required })) {
      problems.push({ ...problem, cell: cell.index + 1, cellId: cell.id });
    }
  }
  return { problems, linesScanned };
}

/** `path:cell N:line:col: message`, the line `labtrail lint` prints for a problem. */
export function formatProblem(path: string, problem: NotebookProblem): string {
  return `${path}:cell ${problem.cell}:${problem.start.line}:${problem.start.column}: ${problem.message}`;
}
