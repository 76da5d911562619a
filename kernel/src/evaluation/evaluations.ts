// evaluate() in the kernel: runs a task over a data set with bounded concurrency, each item run in its
// own item context (so its model calls are recorded and replayed by evaluation, item and trial), keeps
// failures to their items, shows live progress in one display and a results table at the end, and
// leaves the summary and the per-item results with the cell's run record.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { DisplayData } from "../api/display";
import { ModelCallError } from "../api/model-errors";
import type { StructuredOptions } from "../api/types";
import type { Presentation } from "../api/runtime";
import {
  EVALUATION_ITEMS_KEPT,
  EVALUATION_OUTPUT_KEPT,
  type EvaluationRecord,
  type EvaluationView,
  type ItemView,
  type Redactor,
  renderComparison,
  renderComparisonChart,
  renderProgress,
  renderResults,
  SUMMARY_FIELDS,
} from "../core";
import type { CallScope } from "../models/model-calls";
import { runInItem, type ItemContext } from "../models/item-scope";

/** What evaluate() needs of the cell it runs in. */
export interface EvaluationScope extends CallScope {
  /** The cell's recorded values: each evaluation's summary goes here under its name. */
  readonly values: Record<string, unknown>;
  /** The cell's evaluations, for its run record. */
  readonly evaluations: EvaluationRecord[];
}

export interface EvaluationsOptions {
  scope(): EvaluationScope | undefined;
  redactor: Redactor;
  /** structured(), for judge(). */
  structured(schema: unknown, input: string, options: StructuredOptions, presentation: Presentation): Promise<unknown>;
}

type AnyTask = (item: unknown, context: { index: number; trial: number; variant?: string }) => unknown;
type AnyScorer = (output: unknown, item: unknown) => unknown;

interface Spec {
  name: string;
  data: unknown[];
  variants: { name: string | null; task: AnyTask }[];
  scores: [string, AnyScorer][];
  concurrency: number;
  trials: number;
}

interface RunResult {
  output?: unknown;
  /** The start of the output as text (OUTPUT_SHOWN characters), redacted; null when the run failed. */
  text: string | null;
  /** SHA-256 of the whole output text (16 hex characters). */
  hash: string | null;
  scores: Record<string, number>;
  error?: string;
  calls: number;
  replayed: number;
  tokensIn: number;
  tokensOut: number;
  ms: number;
}

/** How often the progress display is updated, at most. */
const PROGRESS_EVERY_MS = 200;
const ERROR_KEPT = 500;
/** How much of an output the table's hover text shows (and so the kernel redacts). */
const OUTPUT_SHOWN = 2000;
const REDACT_MARGIN = 500;
const INPUT_SHOWN = 300;
const RESERVED = new Set<string>([...SUMMARY_FIELDS, "ms"]);

export class Evaluations {
  private readonly judgement = z.object({ pass: z.boolean(), reason: z.string() });

  constructor(private readonly options: EvaluationsOptions) {}

  async judge(criteria: string, output: string, input: string, options: StructuredOptions): Promise<number> {
    const prompt = [
      "You grade an AI system's output against criteria.",
      `Criteria: ${criteria}`,
      `Input:\n${input}`,
      `Output:\n${output}`,
      'Does the output meet the criteria? Answer with "pass" (true or false) and a one-sentence "reason".',
    ].join("\n\n");
    const verdict = (await this.options.structured(
      this.judgement,
      prompt,
      { temperature: 0, schemaName: "judgement", ...options },
      { stream: false },
    )) as { pass: boolean };
    return verdict.pass ? 1 : 0;
  }

  async evaluate(name: unknown, options: unknown): Promise<unknown> {
    const scope = this.options.scope();
    if (!scope) throw new Error("evaluate() was called outside a running cell");
    const spec = await readSpec(name, options);
    if (Object.hasOwn(scope.values, spec.name) || scope.evaluations.some((e) => e.name === spec.name)) {
      throw new TypeError(`evaluate(): "${spec.name}" is already a name in this cell's record; give each evaluation its own name`);
    }
    const redact = (text: string) => this.options.redactor.redact(text);
    const units: { variant: number; item: number; trial: number }[] = [];
    for (let variant = 0; variant < spec.variants.length; variant++)
      for (let item = 0; item < spec.data.length; item++)
        for (let trial = 1; trial <= spec.trials; trial++) units.push({ variant, item, trial });
    const results = spec.variants.map(() => spec.data.map(() => new Array<RunResult>(spec.trials)));

    // Progress: one display, updated in place, at most every PROGRESS_EVERY_MS.
    const displayId = `labtrail-evaluate-${randomUUID()}`;
    const started = performance.now();
    const progress = { done: 0, errors: 0, tokensIn: 0, tokensOut: 0, calls: 0, replayed: 0 };
    const pace = { limit: spec.concurrency, slowed: false };
    const slowDown = () => {
      pace.limit = Math.max(1, Math.floor(pace.limit / 2));
      pace.slowed = true;
    };
    const show = (finished: boolean, update: boolean) => {
      const bundle = renderProgress({
        name: spec.name,
        total: units.length,
        elapsedMs: performance.now() - started,
        finished,
        ...progress,
        ...(pace.slowed && !finished ? { atOnce: pace.limit } : {}),
      });
      scope.display(display(bundle, displayId), update);
    };
    let lastShown = 0;
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      const now = performance.now();
      if (timer) return;
      const wait = PROGRESS_EVERY_MS - (now - lastShown);
      if (wait <= 0) {
        lastShown = now;
        show(false, true);
        return;
      }
      timer = setTimeout(() => {
        timer = undefined;
        lastShown = performance.now();
        show(false, true);
      }, wait);
      timer.unref();
    };
    show(false, false);
    lastShown = performance.now();

    const runUnit = async (unit: (typeof units)[number]): Promise<void> => {
      let retried = false;
      const variant = spec.variants[unit.variant];
      const input = spec.data[unit.item];
      const result: RunResult = { text: null, hash: null, scores: {}, calls: 0, replayed: 0, tokensIn: 0, tokensOut: 0, ms: 0 };
      const context: ItemContext = {
        tag: { evaluation: evaluationName(spec.name, variant.name), item: unit.item, trial: unit.trial },
        onCall: (call) => {
          if (call.attempts > 1 && !retried) {
            retried = true;
            slowDown();
          }
          result.calls++;
          progress.calls++;
          if (call.replayed) {
            result.replayed++;
            progress.replayed++;
          }
          result.tokensIn += call.inputTokens ?? 0;
          result.tokensOut += call.outputTokens ?? 0;
          progress.tokensIn += call.inputTokens ?? 0;
          progress.tokensOut += call.outputTokens ?? 0;
        },
      };
      const begun = performance.now();
      await runInItem(context, async () => {
        try {
          const output = await variant.task(input, {
            index: unit.item,
            trial: unit.trial,
            ...(variant.name === null ? {} : { variant: variant.name }),
          });
          result.output = output;
          const text = textOf(output);
          result.hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
          // Only what can be shown is redacted (a margin beyond it, so a secret across the cut is caught whole).
          result.text = clip(redact(text.slice(0, OUTPUT_SHOWN + REDACT_MARGIN)), OUTPUT_SHOWN);
        } catch (error) {
          if (error instanceof ModelCallError && (error.kind === "rate-limited" || error.kind === "server-error")) slowDown();
          result.error = clipError(redact(messageOf(error)));
          return;
        }
        for (const [scoreName, scorer] of spec.scores) {
          try {
            result.scores[scoreName] = scoreOf(await scorer(result.output, input));
          } catch (error) {
            result.error = clipError(redact(`score "${scoreName}": ${messageOf(error)}`));
            return;
          }
        }
      });
      result.ms = performance.now() - begun;
      results[unit.variant][unit.item][unit.trial - 1] = result;
      if (!retried && result.error === undefined && pace.limit < spec.concurrency) pace.limit++;
      progress.done++;
      if (result.error !== undefined) progress.errors++;
      tick();
    };

    // Item runs start while fewer than `limit` are running. A call the endpoint made wait (a 429 or a
    // 5xx the SDK retried) halves the limit; each run that needed no retry raises it by one again, up to
    // `concurrency`: a rate limit slows the evaluation down instead of failing its items.
    await new Promise<void>((resolve) => {
      let next = 0;
      let active = 0;
      const pump = (): void => {
        while (active < pace.limit && next < units.length && !scope.signal.aborted) {
          const unit = units[next++];
          active++;
          void runUnit(unit).finally(() => {
            active--;
            pump();
          });
        }
        if (active === 0) resolve();
      };
      pump();
    });
    if (timer) clearTimeout(timer);
    show(true, true);
    if (scope.signal.aborted) {
      throw new ModelCallError(
        "interrupted",
        `evaluate "${spec.name}" was interrupted after ${progress.done} of ${units.length} item runs; nothing of it was recorded`,
      );
    }

    const evaluations = spec.variants.map((variant, v) => this.finish(spec, variant.name, results[v]));
    const views = evaluations.map((e) => e.view);
    scope.evaluations.push(...evaluations.map((e) => e.record));
    if (spec.variants[0].name === null) {
      scope.values[spec.name] = evaluations[0].record.summary;
      scope.display(display(renderResults(views[0])), false);
      return withDisplay(evaluations[0].result, () => renderResults(views[0]));
    }
    scope.values[spec.name] = Object.fromEntries(evaluations.map((e) => [e.view.variant, e.record.summary]));
    const comparison = () => renderComparison(spec.name, views);
    scope.display(display(comparison()), false);
    const chart = renderComparisonChart(spec.name, views);
    if (chart) scope.display(display(chart), false);
    for (const view of views) scope.display(display(renderResults(view)), false);
    return withDisplay({ name: spec.name, variants: Object.fromEntries(evaluations.map((e) => [e.view.variant, e.result])) }, comparison);
  }

  private finish(spec: Spec, variant: string | null, runs: RunResult[][]) {
    const scoreNames = spec.scores.map(([n]) => n);
    const all = runs.flat();
    const ok = all.filter((r) => r.error === undefined);
    const ms = all.map((r) => r.ms).sort((a, b) => a - b);
    const summary: Record<string, number | null> = {};
    for (const score of scoreNames) summary[score] = mean(ok.map((r) => r.scores[score]));
    Object.assign(summary, {
      n: spec.data.length,
      runs: all.length,
      errors: all.length - ok.length,
      calls: sum(all.map((r) => r.calls)),
      replayed: sum(all.map((r) => r.replayed)),
      tokensIn: sum(all.map((r) => r.tokensIn)),
      tokensOut: sum(all.map((r) => r.tokensOut)),
      p50Ms: ms.length ? round(percentile(ms, 0.5), 1) : null,
      p90Ms: ms.length ? round(percentile(ms, 0.9), 1) : null,
    });
    const items = runs.map((trials, index) => {
      const good = trials.filter((t) => t.error === undefined);
      const scores: Record<string, number> = {};
      for (const score of scoreNames) {
        const value = mean(good.map((t) => t.scores[score]));
        if (value !== null) scores[score] = value;
      }
      const first = trials[0];
      const failed = trials.find((t) => t.error !== undefined);
      return {
        index,
        input: spec.data[index],
        ...(first.error === undefined ? { output: first.output } : {}),
        scores,
        ...(failed ? { error: failed.error } : {}),
        ...(spec.trials > 1
          ? {
              trials: trials.map((t, i) => ({
                trial: i + 1,
                ...(t.error === undefined ? { output: t.output } : { error: t.error }),
                scores: t.scores,
                calls: t.calls,
                ms: round(t.ms, 1),
              })),
            }
          : {}),
        calls: sum(trials.map((t) => t.calls)),
        ms: round(sum(trials.map((t) => t.ms)), 1),
      };
    });
    const redact = (text: string) => this.options.redactor.redact(text);
    const itemViews: (ItemView & { hash: string | null })[] = runs.flatMap((trials, index) =>
      trials.map((t, i) => ({
        index,
        trial: i + 1,
        input: redact(clip(textOf(spec.data[index]), INPUT_SHOWN)),
        output: t.text,
        hash: t.hash,
        scores: t.scores,
        ...(t.error === undefined ? {} : { error: t.error }),
      })),
    );
    const view: EvaluationView = { name: spec.name, variant, scores: scoreNames, summary, items: itemViews };
    const record: EvaluationRecord = {
      name: spec.name,
      variant,
      scores: scoreNames,
      summary,
      runs: itemViews.length,
      items: itemViews.slice(0, EVALUATION_ITEMS_KEPT).map((item) => ({
        index: item.index,
        trial: item.trial,
        output: item.output === null ? null : item.output.slice(0, EVALUATION_OUTPUT_KEPT),
        outputHash: item.hash,
        scores: item.scores,
        ...(item.error === undefined ? {} : { error: item.error }),
      })),
    };
    return { view, record, result: { name: evaluationName(spec.name, variant), summary, items } };
  }
}

function evaluationName(name: string, variant: string | null): string {
  return variant === null ? name : `${name}/${variant}`;
}

/** The cell's options, checked: one clear error for each mistake. */
async function readSpec(name: unknown, options: unknown): Promise<Spec> {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(
      'evaluate(name, options): the first argument names the evaluation, as evaluate("constrained prompt", { data, task })',
    );
  }
  if (typeof options !== "object" || options === null)
    throw new TypeError(`evaluate("${name}", options): options must be an object with data and task`);
  const o = options as Record<string, unknown>;
  const data = await readData(name, o.data);
  let variants: Spec["variants"];
  if (o.variants !== undefined) {
    if (o.task !== undefined) throw new TypeError(`evaluate("${name}"): give either task or variants, not both`);
    if (typeof o.variants !== "object" || o.variants === null || Object.keys(o.variants).length === 0) {
      throw new TypeError(`evaluate("${name}"): variants must be an object of named tasks, as { bare: taskA, constrained: taskB }`);
    }
    variants = Object.entries(o.variants as Record<string, unknown>).map(([variant, task]) => {
      if (typeof task !== "function")
        throw new TypeError(`evaluate("${name}"): the variant "${variant}" must be a function (item) => output`);
      return { name: variant, task: task as AnyTask };
    });
  } else {
    if (typeof o.task !== "function")
      throw new TypeError(`evaluate("${name}"): task must be a function (item) => output (or pass variants)`);
    variants = [{ name: null, task: o.task as AnyTask }];
  }
  const scores: Spec["scores"] = [];
  if (o.scores !== undefined) {
    if (typeof o.scores !== "object" || o.scores === null)
      throw new TypeError(`evaluate("${name}"): scores must be an object of named scorers`);
    for (const [score, scorer] of Object.entries(o.scores as Record<string, unknown>)) {
      if (typeof scorer !== "function")
        throw new TypeError(`evaluate("${name}"): the score "${score}" must be a function (output, item) => boolean | number`);
      if (RESERVED.has(score)) throw new TypeError(`evaluate("${name}"): "${score}" is a summary field; name the score otherwise`);
      scores.push([score, scorer as AnyScorer]);
    }
  }
  return {
    name,
    data,
    variants,
    scores,
    concurrency: positiveInt(name, "concurrency", o.concurrency, 4),
    trials: positiveInt(name, "trials", o.trials, 1),
  };
}

async function readData(name: string, data: unknown): Promise<unknown[]> {
  if (Array.isArray(data)) return [...data];
  if (data !== null && typeof data === "object" && Symbol.asyncIterator in data) {
    const items: unknown[] = [];
    for await (const item of data as AsyncIterable<unknown>) items.push(item);
    return items;
  }
  if (data !== null && typeof data === "object" && Symbol.iterator in data) return [...(data as Iterable<unknown>)];
  throw new TypeError(`evaluate("${name}"): data must be an array (or an iterable or async iterable) of items`);
}

function positiveInt(name: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`evaluate("${name}"): ${key} must be a whole number, 1 or more (got ${String(value)})`);
  }
  return value;
}

function scoreOf(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new TypeError(`returned ${typeof value === "number" ? value : typeof value}; a score is a boolean or a finite number`);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name && error.name !== "Error" ? `${error.name}: ` : ""}${error.message}` : String(error);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function clipError(text: string): string {
  return clip(text, ERROR_KEPT);
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function mean(values: (number | undefined)[]): number | null {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? round(sum(present) / present.length, 6) : null;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function display(bundle: Record<string, unknown>, displayId?: string): DisplayData {
  return { data: bundle, metadata: {}, ...(displayId ? { transient: { display_id: displayId } } : {}) };
}

/** The result renders as its table when it is a cell's last expression. */
function withDisplay<T extends object>(value: T, render: () => Record<string, unknown>): T {
  Object.defineProperty(value, Symbol.for("Jupyter.display"), { value: render, enumerable: false });
  return value;
}
