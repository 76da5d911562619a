/**
 * The Experiment Log's evaluations: what a run record keeps of each evaluate() call, shown with the
 * evaluation renderer the kernel uses (core/evaluation/render.ts): for an evaluation with variants,
 * the summaries side by side, then per variant the items × scores table with failures marked.
 * Pure and browser-safe; the renderer escapes every string from a cell or a model.
 */
import { type Bundle, type EvaluationView, renderComparison, renderComparisonChart, renderResults } from "../evaluation/render";
import type { EvaluationRecord } from "../evaluation/schema";
import type { RunRecord } from "../records/schema";

export interface LogEvaluationResults {
  /** The variant's name; null for an evaluation without variants. */
  variant: string | null;
  /** Item runs that failed (the task or a scorer threw), among those the record kept. */
  failures: number;
  /** How many item runs there were (the record keeps at most EVALUATION_ITEMS_KEPT of them). */
  runs: number;
  /** Items × scores, failures marked: the renderer's text/plain and text/html. */
  bundle: Bundle;
}

export interface LogEvaluation {
  name: string;
  /** The variants side by side (the renderer's comparison table); null without variants. */
  comparison: Bundle | null;
  /** The variants' score means as a chart (Vega-Lite, with text bars); null without variants or scores. */
  chart: Bundle | null;
  /** One table per variant, in the order they ran (one for an evaluation without variants). */
  results: LogEvaluationResults[];
}

/** An evaluation as the run record keeps it, as the renderer takes it (no inputs: a record keeps none). */
export function evaluationView(e: EvaluationRecord): EvaluationView {
  return {
    name: e.name,
    variant: e.variant,
    scores: e.scores,
    summary: e.summary,
    runs: e.runs,
    items: e.items.map((item) => ({
      index: item.index,
      trial: item.trial,
      output: item.output,
      scores: item.scores,
      ...(item.error !== undefined ? { error: item.error } : {}),
    })),
  };
}

/** A run's evaluations by name, in the order they ran, each with its variants together. */
export function logEvaluations(record: RunRecord): LogEvaluation[] {
  const byName = new Map<string, EvaluationRecord[]>();
  for (const e of record.evaluations ?? []) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  return [...byName].map(([name, records]) => {
    const views = records.map(evaluationView);
    const variants = records.some((e) => e.variant !== null);
    return {
      name,
      comparison: variants ? renderComparison(name, views) : null,
      chart: variants ? renderComparisonChart(name, views) : null,
      results: records.map((e, i) => ({
        variant: e.variant,
        failures: e.items.filter((item) => item.error !== undefined).length,
        runs: e.runs,
        bundle: renderResults(views[i]),
      })),
    };
  });
}
