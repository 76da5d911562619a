/**
 * Lints a whole notebook against the header contract: every code cell's header problems, with the cell
 * they belong to. One pass over the cells; each cell costs its header, not its code.
 *
 * Given the notebook's run records, it also flags a stale Found (records/stale-found.ts): a Found
 * written before the cell's code or results changed, unless the cell's metadata confirms it ("Found still
 * holds"). Only cells with a Found and a record pay for it.
 */

import { CELL_METADATA_KEY, parseFoundConfirmation } from "./cell-metadata";
import { checkHeader, filledValue } from "./header/check";
import { type HeaderProblem, type HeaderProblemCode, parseHeader } from "./header/grammar";
import type { HeaderKey } from "./header/keys";
import { cellNumber } from "./notebook/cell-number";
import { hasRun, type Notebook } from "./notebook/schema";
import { runsByCell } from "./records/evidence";
import type { RunRecord } from "./records/schema";
import { findStaleFound } from "./records/stale-found";

export type NotebookProblemCode = HeaderProblemCode | "stale-found" | "duplicate-cell-id";

export interface NotebookProblem extends Omit<HeaderProblem, "code"> {
  code: NotebookProblemCode;
  /** The cell's number (notebook/cell-number.ts): counting every cell, Markdown and raw too, as the draft does. */
  cell: number;
  /** The cell's nbformat id, or null when the notebook has none. */
  cellId: string | null;
}

export interface LintRuns {
  /** The notebook's run records (runs.jsonl), oldest first. */
  records: readonly RunRecord[];
  /** The kernel's cell code hash (records/code-hash.ts in the kernel package). */
  codeHash: (source: string) => string;
  /** The verdict tolerance (the config's verdicts.tolerance); default DEFAULT_TOLERANCE. */
  tolerance?: number;
}

export interface LintOptions {
  /** Required keys (the config's `header.required`); default Tested and Found. */
  required?: readonly HeaderKey[];
  /** The notebook's run records: enables the stale-Found check. */
  runs?: LintRuns;
}

export interface LintResult {
  problems: NotebookProblem[];
  /** Header lines read over all cells (plus one line per cell that ended its header). */
  linesScanned: number;
}

export function lintNotebook(notebook: Notebook, options: LintOptions = {}): LintResult {
  const problems: NotebookProblem[] = [];
  let linesScanned = 0;
  const runs = options.runs;
  const cellRuns = runs && runs.records.length > 0 ? runsByCell(notebook, runs.records, { codeHash: runs.codeHash }) : null;
  const duplicates = duplicateCellIds(notebook);
  for (const cell of notebook.cells) {
    const first = duplicates.get(cell.index);
    if (first !== undefined) {
      const at = { line: 1, column: 1, offset: 0 };
      problems.push({
        code: "duplicate-cell-id",
        message: `cell id "${cell.id}" is also the id of cell ${cellNumber({ index: first })}: give this cell its own id (JupyterLab does when it opens and saves the notebook), or its runs are mixed with that cell's`,
        start: at,
        end: at,
        cell: cellNumber(cell),
        cellId: cell.id,
      });
    }
    if (cell.cellType !== "code") continue;
    const header = parseHeader(cell.source);
    linesScanned += header.linesScanned;
    const found: NotebookProblem[] = [];
    for (const problem of checkHeader(header, { hasRun: hasRun(cell), required: options.required })) {
      found.push({ ...problem, cell: cellNumber(cell), cellId: cell.id });
    }
    const history = cellRuns?.get(cell.index);
    const text = history ? filledValue(header, "found") : undefined;
    if (runs && history && text !== undefined) {
      const stale = findStaleFound(text, runs.codeHash(cell.source), history, {
        confirmation: parseFoundConfirmation(cell.metadata[CELL_METADATA_KEY]),
        tolerance: runs.tolerance,
      });
      const field = header.byKey.found!;
      if (stale) {
        found.push({
          code: "stale-found",
          key: "found",
          message: stale.message,
          start: field.start,
          end: field.end,
          cell: cellNumber(cell),
          cellId: cell.id,
        });
        // Keep the cell's problems in source order (the sort is stable).
        found.sort((a, b) => a.start.offset - b.start.offset);
      }
    }
    problems.push(...found);
  }
  return { problems, linesScanned };
}

/** Each cell whose id an earlier cell already has, with that earlier cell's 0-based position. */
function duplicateCellIds(notebook: Notebook): Map<number, number> {
  const firstWith = new Map<string, number>();
  const duplicates = new Map<number, number>();
  for (const cell of notebook.cells) {
    if (cell.id === null) continue;
    const first = firstWith.get(cell.id);
    if (first === undefined) firstWith.set(cell.id, cell.index);
    else duplicates.set(cell.index, first);
  }
  return duplicates;
}

/** `path:cell N:line:col: message`, the line `labtrail lint` prints for a problem. */
export function formatProblem(path: string, problem: NotebookProblem): string {
  return `${path}:cell ${problem.cell}:${problem.start.line}:${problem.start.column}: ${problem.message}`;
}
