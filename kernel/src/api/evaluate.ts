// evaluate(): a task over a data set, scored, with bounded concurrency, live progress, per-item replay
// and a results table — the types cells see and the scorers. The work is the kernel's (see
// kernel/src/evaluation); like the other helpers, this file only hands it over.
import { helperRuntime } from "./runtime";
import type { StructuredOptions } from "./types";

/** A score: `true`/`false` count as 1/0; a number is kept as it is (finite numbers only). */
export type ScoreValue = boolean | number;

/** Scores one output of the task for its item. Its model calls (a judge's) replay with the item. */
export type Scorer<Output, Item> = (output: Output, item: Item) => ScoreValue | PromiseLike<ScoreValue>;

/** Where a task's run sits in the evaluation. */
export interface TaskContext {
  /** The item's place in the data, 0-based. */
  index: number;
  /** 1-based; up to `trials`. */
  trial: number;
  /** The variant's name, for `evaluate(name, { variants })`. */
  variant?: string;
}

export type Task<Item, Output> = (item: Item, context: TaskContext) => Output | PromiseLike<Output>;

interface CommonOptions<Item> {
  /** The items, in order: an array or an async iterable (read to its end first). */
  data: readonly Item[] | AsyncIterable<Item>;
  /** How many item runs at once (default 4). labtrail.config.json can limit an alias further (`concurrency`). */
  concurrency?: number;
  /** Runs per item (default 1), for temperature > 0: each trial is recorded and replayed on its own. */
  trials?: number;
}

export interface EvaluateOptions<Item, Output, ScoreName extends string> extends CommonOptions<Item> {
  task: Task<Item, Output>;
  scores?: { [K in ScoreName]: Scorer<Output, Item> };
  variants?: never;
}

export interface CompareOptions<Item, Variants extends Record<string, Task<Item, unknown>>, ScoreName extends string>
  extends CommonOptions<Item> {
  /** Tasks to compare on the same data and scores: each is an evaluation of its own. */
  variants: Variants;
  scores?: { [K in ScoreName]: Scorer<VariantOutput<Variants>, Item> };
  task?: never;
}

/** What a variant's task resolves to. */
export type VariantOutput<Variants> = {
  [K in keyof Variants]: Variants[K] extends Task<never, infer O> ? Awaited<O> : never;
}[keyof Variants];

/** Every evaluation's summary: counts, cost and latency, beside one mean per score. */
export interface EvaluationTotals {
  /** Items. */
  n: number;
  /** Item runs: items × trials. */
  runs: number;
  /** Item runs whose task or a scorer threw. */
  errors: number;
  /** Model calls made for the items, and how many of them were replayed from the recordings. */
  calls: number;
  replayed: number;
  tokensIn: number;
  tokensOut: number;
  /** Median and 90th percentile of an item run's duration, in milliseconds. */
  p50Ms: number | null;
  p90Ms: number | null;
}

/** The totals and each score's mean over the runs that did not fail (null when none was scored). */
export type EvaluationSummary<ScoreName extends string = never> = EvaluationTotals & { [K in ScoreName]: number | null };

export interface TrialResult<Output, ScoreName extends string = never> {
  trial: number;
  output?: Output;
  scores: { [K in ScoreName]?: number };
  /** The failure's message (never its stack). */
  error?: string;
  calls: number;
  ms: number;
}

export interface EvaluationItem<Item, Output, ScoreName extends string = never> {
  index: number;
  input: Item;
  /** The first trial's output; missing when it failed. */
  output?: Output;
  /** Each score's mean over the item's trials that did not fail. */
  scores: { [K in ScoreName]?: number };
  /** The first failure's message, when a trial failed. */
  error?: string;
  /** Every trial, when `trials` > 1. */
  trials?: TrialResult<Output, ScoreName>[];
  calls: number;
  ms: number;
}

export interface Evaluation<Item, Output, ScoreName extends string = never> {
  name: string;
  summary: EvaluationSummary<ScoreName>;
  /** In data order. */
  items: EvaluationItem<Item, Output, ScoreName>[];
}

export interface Comparison<Item, Variants extends Record<string, Task<Item, unknown>>, ScoreName extends string = never> {
  name: string;
  variants: { [K in keyof Variants]: Evaluation<Item, Variants[K] extends Task<never, infer O> ? Awaited<O> : never, ScoreName> };
}

/**
 * Runs `task` over every item of `data` (`trials` times each, `concurrency` at once), scores each output,
 * shows its progress live and a results table at the end, and records the summary with the cell's run.
 * An item whose task throws is marked with its error; the others carry on. Model calls made for an item
 * are recorded and replayed under the evaluation's name, the item and the trial.
 */
export function evaluate<Item, Output, ScoreName extends string = never>(
  name: string,
  options: EvaluateOptions<Item, Output, ScoreName>,
): Promise<Evaluation<Item, Awaited<Output>, ScoreName>>;
/** Compares `variants` (tasks) on the same data and scores: each is an evaluation of its own, summarised side by side. */
export function evaluate<Item, Variants extends Record<string, Task<Item, unknown>>, ScoreName extends string = never>(
  name: string,
  options: CompareOptions<Item, Variants, ScoreName>,
): Promise<Comparison<Item, Variants, ScoreName>>;
export function evaluate(name: string, options: object): Promise<unknown> {
  return helperRuntime().evaluate(name, options);
}

type Expected<Item, T> = (item: Item) => T;

function expectedOf<Item, T>(expected: Expected<Item, T> | undefined, item: Item, scorer: string): T {
  if (expected) return expected(item);
  if (item !== null && typeof item === "object" && "expected" in item) return (item as { expected: T }).expected;
  throw new TypeError(`${scorer}(): the item has no "expected" field; pass what to expect, as ${scorer}((item) => item.label)`);
}

function textOf(output: unknown): string {
  return typeof output === "string" ? output : (JSON.stringify(output) ?? String(output));
}

/** 1 when the output equals what the item expects (`item.expected`, or what `expected(item)` gives; values compare as JSON), else 0. */
export function exact<Item = { expected: unknown }>(expected?: Expected<Item, unknown>): Scorer<unknown, Item> {
  return (output, item) => {
    const want = expectedOf(expected, item, "exact");
    return output === want || (typeof output === "object" && JSON.stringify(output) === JSON.stringify(want));
  };
}

/** 1 when the output's text contains `needle` (a string, or one from the item); `ignoreCase` to ignore case. */
export function includes<Item = unknown>(
  needle: string | Expected<Item, string>,
  options: { ignoreCase?: boolean } = {},
): Scorer<unknown, Item> {
  return (output, item) => {
    const want = typeof needle === "function" ? needle(item) : needle;
    const text = textOf(output);
    return options.ignoreCase ? text.toLowerCase().includes(want.toLowerCase()) : text.includes(want);
  };
}

/** 1 when the output's text matches `pattern`, else 0. */
export function matches(pattern: RegExp): Scorer<unknown, unknown> {
  return (output) => {
    pattern.lastIndex = 0;
    return pattern.test(textOf(output));
  };
}

/**
 * 1 when the output (a number, or the first number in its text) is within `tolerance` of what the item
 * expects (`item.expected`, or `expected(item)`), else 0.
 */
export function numericWithin<Item = { expected: number }>(tolerance: number, expected?: Expected<Item, number>): Scorer<unknown, Item> {
  return (output, item) => {
    const want = Number(expectedOf(expected, item, "numericWithin"));
    const found = typeof output === "number" ? output : Number(/-?\d+(?:\.\d+)?(?:e-?\d+)?/i.exec(textOf(output))?.[0] ?? Number.NaN);
    return Number.isFinite(found) && Math.abs(found - want) <= tolerance;
  };
}

export interface JudgeOptions<Item = unknown> extends StructuredOptions {
  /** What the judge is shown as the input (default: the item as JSON). */
  input?: (item: Item) => string;
}

/**
 * An LLM as the judge: asks a model (through `structured()`, so recorded and replayed with the item)
 * whether the output meets `criteria`; 1 when it says it does, else 0.
 */
export function judge<Item = unknown>(criteria: string, options: JudgeOptions<Item> = {}): Scorer<unknown, Item> {
  const { input, ...modelOptions } = options;
  return (output, item) =>
    helperRuntime().judge(criteria, textOf(output), input ? input(item) : textOf(item), modelOptions as StructuredOptions);
}
