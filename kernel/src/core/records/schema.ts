/**
 * The run record: one line of `runs.jsonl` per executed cell (DESIGN.md, "Runs, records and replay").
 * Versioned; readers skip lines of a version they do not know. The fields map onto MLflow's run model
 * (params in `calls`, metrics in `values`, tags in `header`/`env`) so records can be pushed there later.
 */
import { z } from "zod";
import { callItemSchema, evaluationRecordSchema } from "../evaluation/schema";

export const RECORD_VERSION = 1;

/** How much of each model answer a record keeps (`answer`): enough for a readable drift, not the whole answer. */
export const ANSWER_KEPT_CHARS = 2000;

/**
 * How a rerun compared with the cell's previous run (DESIGN.md, "Runs, records and replay"); not the
 * header's `Verdict:` (HEADER_VERDICTS in header/keys.ts), which is what the author concluded.
 */
export const RERUN_VERDICTS = ["new", "reproduced", "drifted", "changed", "failed"] as const;
export type RerunVerdictKind = (typeof RERUN_VERDICTS)[number];

export const changeSchema = z.object({
  what: z.string(),
  before: z.string(),
  after: z.string(),
  /** What changed, to read: a model answer's word diff (`[-old-] {+new+}`), clipped. Older records lack it. */
  diff: z.string().optional(),
});
export type Change = z.output<typeof changeSchema>;

export const rerunVerdictSchema = z.object({
  kind: z.enum(RERUN_VERDICTS),
  /** One line, as the cell shows it. */
  summary: z.string(),
  changes: z.array(changeSchema),
});
export type RerunVerdict = z.output<typeof rerunVerdictSchema>;

export const modelCallRecordSchema = z.object({
  /** What the cell asked for: an alias or a model id. */
  name: z.string(),
  /** The model that answered, as the endpoint reported it. */
  model: z.string(),
  /** The request's parameters (everything but the messages). */
  params: z.record(z.string(), z.unknown()),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  latencyMs: z.number(),
  /** Answered from the recordings rather than live. */
  replayed: z.boolean(),
  /** The canonical request's hash: the recording's key. */
  requestHash: z.string(),
  /** Which of the repeated identical calls in the run this was (1-based). */
  sample: z.number().int().positive(),
  responseHash: z.string(),
  /** The start of the answer's text (ANSWER_KEPT_CHARS), so a drift can say what changed. Older records lack it. */
  answer: z.string().optional(),
  systemFingerprint: z.string().nullable(),
  finishReason: z.string().nullable(),
  /** The evaluate() item the call was made for (its recording is keyed by it). Other calls lack it. */
  item: callItemSchema.optional(),
});
export type ModelCallRecord = z.output<typeof modelCallRecordSchema>;

export const runRecordSchema = z.object({
  v: z.literal(RECORD_VERSION),
  /** The notebook's file name (records live beside it). */
  notebook: z.string(),
  /** JupyterLab's cell id, or a stable stand-in for headless runs (see `cellSource`). */
  cell: z.string(),
  cellSource: z.enum(["cell-id", "fallback"]),
  execution: z.number().int().nullable(),
  /** Header fields by key (tested, found, …) at the time of the run. */
  header: z.record(z.string(), z.string()),
  /** Hash of the code below the header: editing the header is not a code change. */
  codeHash: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  status: z.enum(["ok", "error"]),
  error: z.object({ ename: z.string(), evalue: z.string() }).nullable(),
  outputs: z.object({
    count: z.number().int(),
    bytes: z.number().int(),
    /** The start of what the cell printed. */
    text: z.string(),
    /** The start of the result's plain text, and the hash of all of it. */
    result: z.string().nullable(),
    resultHash: z.string().nullable(),
  }),
  calls: z.array(modelCallRecordSchema),
  /** What the cell passed to record(…). */
  values: z.record(z.string(), z.unknown()),
  /** What each evaluate() call of the cell found (its summary is in `values` under its name too). */
  evaluations: z.array(evaluationRecordSchema).optional(),
  verdict: rerunVerdictSchema,
  env: z.object({
    node: z.string(),
    labtrail: z.string(),
    tslab: z.string(),
    packages: z.record(z.string(), z.string()),
    git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  }),
});
export type RunRecord = z.output<typeof runRecordSchema>;

/** Where a notebook's records and recordings live: a folder beside it, committed with it. */
export const RUNS_FILE = "runs.jsonl";
export const RECORDINGS_FOLDER = "recordings";
export function recordsFolderName(notebookFileName: string): string {
  return `${notebookFileName.replace(/\.ipynb$/i, "")}.labtrail`;
}
