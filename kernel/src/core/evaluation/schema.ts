/**
 * What a run record keeps of each evaluate() call (DESIGN.md, "Runs, records and replay"): its summary,
 * and every item's output and scores in bounded form, so a rerun's verdict can name the items that drifted.
 */
import { z } from "zod";

/** Which evaluation item a model call was made for: what its recording is keyed by. */
export const callItemSchema = z.object({
  /** The evaluation's name (`name/variant` for a variant). */
  evaluation: z.string(),
  /** 0-based, in data order. */
  item: z.number().int().min(0),
  /** 1-based. */
  trial: z.number().int().positive(),
});
export type CallItem = z.output<typeof callItemSchema>;

/** How much of an item's output a record keeps; the hash covers all of it. */
export const EVALUATION_OUTPUT_KEPT = 200;
/** How many item runs (items × trials) a record keeps per evaluation. */
export const EVALUATION_ITEMS_KEPT = 1000;

export const evaluationItemRecordSchema = z.object({
  index: z.number().int().min(0),
  trial: z.number().int().positive(),
  /** The start of the output as text (strings as they are, anything else as JSON); null when it failed. */
  output: z.string().nullable(),
  /** SHA-256 (hex, 16 characters) of the whole output text. */
  outputHash: z.string().nullable(),
  scores: z.record(z.string(), z.number()),
  /** The failure's message, when the task or a scorer threw. */
  error: z.string().optional(),
});
export type EvaluationItemRecord = z.output<typeof evaluationItemRecordSchema>;

/** The numbers every summary has, beside one mean per score. */
export const SUMMARY_FIELDS = ["n", "runs", "errors", "calls", "replayed", "tokensIn", "tokensOut", "p50Ms", "p90Ms"] as const;

export const evaluationRecordSchema = z.object({
  name: z.string(),
  /** The variant's name, for `evaluate(name, { variants })`; null otherwise. */
  variant: z.string().nullable(),
  /** The score names, in the order the cell gave them. */
  scores: z.array(z.string()),
  /** n, runs, errors, calls, replayed, tokensIn, tokensOut, p50Ms, p90Ms and the mean of each score. */
  summary: z.record(z.string(), z.number().nullable()),
  /** Item runs in data order (trials of one item together), at most EVALUATION_ITEMS_KEPT. */
  items: z.array(evaluationItemRecordSchema),
  /** How many item runs there were, kept or not. */
  runs: z.number().int().min(0),
});
export type EvaluationRecord = z.output<typeof evaluationRecordSchema>;
