/**
 * What the draft is made of, read from the notebook: the spec-lite, one experiment per documented code
 * cell, and the code cells that are not documented. Kept apart from the Markdown so other views (the
 * labextension) can reuse it.
 */

import { filledValue } from "../header/check";
import { parseHeader } from "../header/grammar";
import type { HeaderVerdict } from "../header/keys";
import { hasRun, type Notebook } from "../notebook/schema";
import { findSpecLite, type SpecLite } from "../spec-lite";

export interface Experiment {
  /** 1-based cell position. */
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

export interface DesignDocModel {
  /** The spec-lite title, else the notebook's file name without `.ipynb`. */
  title: string;
  spec: SpecLite | null;
  experiments: Experiment[];
  /** Code cells with code but no filled-in `Tested`. */
  undocumented: CellRef[];
}

export function buildDesignDocModel(notebook: Notebook, notebookName: string): DesignDocModel {
  const spec = findSpecLite(notebook);
  const experiments: Experiment[] = [];
  const undocumented: CellRef[] = [];
  for (const cell of notebook.cells) {
    if (cell.cellType !== "code") continue;
    const header = parseHeader(cell.source);
    const tested = filledValue(header, "tested");
    const ref = { cell: cell.index + 1, cellId: cell.id };
    if (tested === undefined) {
      if (header.body) undocumented.push(ref);
      continue;
    }
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
