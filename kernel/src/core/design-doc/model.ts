/**
 * What the draft is made of, read from the notebook: the spec-lite, one experiment per code cell with a
 * `Tested`, and the code cells that are not documented. "Documented" is the cell's header status
 * (header/status.ts), the rule the status bar and the cell markers use, so the draft never calls a cell
 * documented that JupyterLab marks. Kept apart from the Markdown so other views can reuse it.
 */

import { filledValue } from "../header/check";
import { parseHeader } from "../header/grammar";
import type { HeaderKey, HeaderVerdict } from "../header/keys";
import { type CellHeaderStatus, cellHeaderStatus } from "../header/status";
import { cellNumber } from "../notebook/cell-number";
import { hasRun, type Notebook } from "../notebook/schema";
import { findSpecLite, type SpecLite } from "../spec-lite";

export interface Experiment {
  /** The cell's number (notebook/cell-number.ts). */
  cell: number;
  cellId: string | null;
  tested: string;
  expect?: string;
  found?: string;
  /** The verdict keyword, when `Verdict` starts with one. */
  verdict?: HeaderVerdict;
  /** `Verdict` as written. */
  verdictText?: string;
  decision?: string;
  tradeoff?: string;
  constraint?: string;
  next?: string;
  hasRun: boolean;
}

export interface CellRef {
  cell: number;
  cellId: string | null;
}

export interface UndocumentedCell extends CellRef {
  /** Whether the cell has a filled-in `Tested` (so it is also one of the experiments). */
  tested: boolean;
  status: CellHeaderStatus;
}

export interface DesignDocModel {
  /** The spec-lite title, else the notebook's file name without `.ipynb`. */
  title: string;
  spec: SpecLite | null;
  experiments: Experiment[];
  /** Code cells whose header status is not documented, experiments among them. */
  undocumented: UndocumentedCell[];
}

export interface ModelOptions {
  /** Required header keys (the config's `header.required`); default Tested and Found, as in the status bar. */
  required?: readonly HeaderKey[];
}

export function buildDesignDocModel(notebook: Notebook, notebookName: string, options: ModelOptions = {}): DesignDocModel {
  const spec = findSpecLite(notebook);
  const experiments: Experiment[] = [];
  const undocumented: UndocumentedCell[] = [];
  for (const cell of notebook.cells) {
    if (cell.cellType !== "code") continue;
    const header = parseHeader(cell.source);
    const tested = filledValue(header, "tested");
    const ref = { cell: cellNumber(cell), cellId: cell.id };
    const status = cellHeaderStatus(cell.source, { hasRun: hasRun(cell), required: options.required });
    if (!status.documented) undocumented.push({ ...ref, tested: tested !== undefined, status });
    if (tested === undefined) continue;
    experiments.push({
      ...ref,
      tested,
      expect: filledValue(header, "expect"),
      found: filledValue(header, "found"),
      verdict: header.verdict,
      verdictText: filledValue(header, "verdict"),
      decision: filledValue(header, "decision"),
      tradeoff: filledValue(header, "tradeoff"),
      constraint: filledValue(header, "constraint"),
      next: filledValue(header, "next"),
      hasRun: hasRun(cell),
    });
  }
  const title = spec?.title?.value || notebookName.replace(/\.ipynb$/i, "");
  return { title, spec, experiments, undocumented };
}
