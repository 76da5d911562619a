/**
 * The Experiment Log's Cells view: every code cell of the notebook with its header (Tested, Found,
 * Verdict), its latest rerun verdict and its run history, built from the notebook and its run records
 * with the same matching of records to cells as `labtrail runs` and the draft (records/evidence.ts).
 * Pure and browser-safe; the JupyterLab panel renders what this returns.
 */
import type { ModelUsage } from "../design-doc/evidence";
import { filledValue } from "../header/check";
import { parseHeader } from "../header/grammar";
import { cellNumber } from "../notebook/cell-number";
import type { Notebook } from "../notebook/schema";
import { codeHash } from "../records/code-hash";
import { metricsOf, modelUsage, type NumberedRun, runsByCell, withoutEvaluations } from "../records/evidence";
import type { RerunVerdictKind, RunRecord } from "../records/schema";

/** Whether a run's model calls were answered live, from the recordings, both, or there were none. */
export type CallsSource = "live" | "replayed" | "mixed" | "none";

export interface LogRun {
  /** The run's 1-based place among the notebook's records (as `labtrail runs` numbers them). */
  run: number;
  execution: number | null;
  startedAt: string;
  durationMs: number;
  status: RunRecord["status"];
  verdict: RerunVerdictKind;
  /** The verdict's one line, as the cell showed it. */
  summary: string;
  /** The error's first line, for a failed run. */
  error: string | null;
  /** record()'s values, and each evaluation's score means (its whole summary is in `evaluations`). */
  metrics: Record<string, string | number | boolean>;
  models: ModelUsage[];
  calls: CallsSource;
  /** The names of the run's evaluate() calls (experiment-log/evaluations.ts shows them). */
  evaluations: string[];
}

export interface LogCell {
  /** 0-based place in the notebook (the panel selects the cell by it). */
  index: number;
  /** The number users see (core/notebook/cell-number.ts). */
  number: number;
  id: string | null;
  tested?: string;
  found?: string;
  /** The header's `Verdict:` (what the author concluded), not the rerun verdict. */
  headerVerdict?: string;
  /** The latest run's rerun verdict; null when the cell has not run. */
  latest: RerunVerdictKind | null;
  /** Every run, newest first. */
  runs: LogRun[];
}

/** Every code cell, in notebook order, with its runs newest first. */
export function buildLogCells(notebook: Notebook, records: readonly RunRecord[]): LogCell[] {
  const byCell = records.length > 0 ? runsByCell(notebook, records, { codeHash }) : new Map<number, NumberedRun[]>();
  const out: LogCell[] = [];
  for (const cell of notebook.cells) {
    if (cell.cellType !== "code") continue;
    const header = parseHeader(cell.source);
    const runs = (byCell.get(cell.index) ?? []).map(logRun).reverse();
    out.push({
      index: cell.index,
      number: cellNumber(cell),
      id: cell.id,
      tested: filledValue(header, "tested"),
      found: filledValue(header, "found"),
      headerVerdict: filledValue(header, "verdict"),
      latest: runs[0]?.verdict ?? null,
      runs,
    });
  }
  return out;
}

export function logRun({ run, record }: NumberedRun): LogRun {
  return {
    run,
    execution: record.execution,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    status: record.status,
    verdict: record.verdict.kind,
    summary: record.verdict.summary,
    error: record.error ? `${record.error.ename}: ${record.error.evalue}`.split("\n")[0] : null,
    metrics: { ...metricsOf(withoutEvaluations(record)), ...evaluationMetrics(record) },
    models: modelUsage(record),
    calls: callsSource(record),
    evaluations: [...new Set((record.evaluations ?? []).map((e) => e.name))],
  };
}

/**
 * Each evaluation's score means as metrics (`labels.correct`, `labels.bare.correct` for a variant), so
 * they read and chart like record()'s values; the whole summary is in the run's evaluations view.
 */
function evaluationMetrics(record: RunRecord): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of record.evaluations ?? []) {
    for (const score of e.scores) {
      const mean = e.summary[score];
      if (typeof mean === "number") out[[e.name, ...(e.variant === null ? [] : [e.variant]), score].join(".")] = mean;
    }
  }
  return out;
}

function callsSource(record: RunRecord): CallsSource {
  if (record.calls.length === 0) return "none";
  const replayed = record.calls.filter((call) => call.replayed).length;
  return replayed === 0 ? "live" : replayed === record.calls.length ? "replayed" : "mixed";
}

/** A metric's value in one short piece of text: numbers as they are, strings quoted only when empty, JSON clipped. */
export function formatMetric(value: string | number | boolean, maxChars = 40): string {
  const text = typeof value === "string" ? (value === "" ? '""' : value) : String(value);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
