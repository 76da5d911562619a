/**
 * Which code cells of a notebook are undocumented, or have a Found that may be stale, under the
 * notebook's policy: what the status bar counts and "next undocumented cell" walks through. Read from the models, so cells that windowing
 * keeps out of the DOM count too.
 */
import type { ICellModel, ICodeCellModel } from "@jupyterlab/cells";
import type { INotebookModel } from "@jupyterlab/notebook";
import { cellHeaderStatus, type RunRecord } from "labtrail/core";
import type { INotebookPolicy } from "../tokens";
import { coreNotebook } from "./core-notebook";
import { staleFoundMarks } from "./stale-found";

/** Whether a cell has run, as the header contract means it: an execution count or outputs. */
export function cellHasRun(model: ICellModel): boolean {
  if (model.type !== "code") return false;
  const code = model as ICodeCellModel;
  return code.executionCount !== null || code.outputs.length > 0;
}

/** 0-based indices of the undocumented code cells; none when labtrail does not apply. */
export function undocumentedCells(model: INotebookModel, policy: INotebookPolicy): number[] {
  if (!policy.applies || policy.mode === "off") return [];
  const out: number[] = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    if (cell.type !== "code") continue;
    const status = cellHeaderStatus(cell.sharedModel.getSource(), { hasRun: cellHasRun(cell), required: policy.required });
    if (!status.documented) out.push(i);
  }
  return out;
}

/** 0-based indices of the code cells whose Found may be stale, by the notebook's run records. */
export function staleFoundCells(model: INotebookModel, policy: INotebookPolicy, records: readonly RunRecord[]): number[] {
  if (!policy.applies || policy.mode === "off" || records.length === 0) return [];
  return [...staleFoundMarks(coreNotebook(model.sharedModel), records).keys()].sort((a, b) => a - b);
}

/** The cells "next undocumented cell" walks: the undocumented ones and those with a stale Found, ascending. */
export function cellsToDocument(model: INotebookModel, policy: INotebookPolicy, records: readonly RunRecord[]): number[] {
  const indices = new Set([...undocumentedCells(model, policy), ...staleFoundCells(model, policy, records)]);
  return [...indices].sort((a, b) => a - b);
}

/** The first index in `indices` (ascending) after `current`, wrapping around; -1 when there is none. */
export function nextAfter(indices: readonly number[], current: number): number {
  if (indices.length === 0) return -1;
  return indices.find((i) => i > current) ?? indices[0];
}
