// Turns one finished execution into its run record: judges it against the cell's previous run,
// appends it to runs.jsonl, and returns the verdict for the cell and the reply.
import {
  ANSWER_KEPT_CHARS,
  judgeRun,
  parseHeader,
  RECORD_VERSION,
  type EvaluationRecord,
  type ModelCallRecord,
  type Redactor,
  type RunRecord,
  type RerunVerdict,
} from "../core";
import type { ModelCallSummary } from "./model-call";
import { codeHash } from "./code-hash";
import type { EnvironmentInfo } from "./environment";
import type { RunStore } from "./run-store";

/** Where the records go now: the notebook can be renamed while the kernel runs, so both are read per run. */
export interface RecordsPlace {
  /** The notebook's file name, as new records name it. */
  readonly notebookName: string;
  readonly store: RunStore;
}

export interface OutputTally {
  count: number;
  bytes: number;
  text: string;
  result: string | null;
  resultHash: string | null;
}

export interface FinishedExecution {
  cellId: string | null;
  execution: number | null;
  code: string;
  startedAt: string;
  durationMs: number;
  error: { ename: string; evalue: string } | null;
  outputs: OutputTally;
  calls: readonly ModelCallSummary[];
  values: Record<string, unknown>;
  /** What the cell's evaluate() calls found, if it made any. */
  evaluations?: readonly EvaluationRecord[];
}

export interface RecorderOptions {
  records: RecordsPlace;
  environment: EnvironmentInfo;
  tolerance: number;
  /** Applied to the whole record before it is judged and written, so the verdict compares like with like. */
  redactor: Redactor;
  /** False: each run is judged against the cell's last record, and nothing is appended (a check only). */
  append?: boolean;
  /** Called once a record is in runs.jsonl (the MLflow auto-push). */
  onAppended?: () => void;
}

export class Recorder {
  constructor(private readonly options: RecorderOptions) {}

  /** Records the execution; the verdict comes back even when the record cannot be written. */
  finish(run: FinishedExecution): { verdict: RerunVerdict; writeError?: string } {
    const parsed = parseHeader(run.code);
    const hash = codeHash(run.code, parsed);
    // Headless runs send no cell id: the execution's position plus its code stand in for one.
    const cell = run.cellId ?? `#${run.execution ?? 0}@${hash.slice(0, 8)}`;
    const header: Record<string, string> = {};
    for (const field of parsed.fields) header[field.key] = field.value;
    const partial: Omit<RunRecord, "verdict"> = this.options.redactor.redactValue({
      v: RECORD_VERSION,
      notebook: this.options.records.notebookName,
      cell,
      cellSource: run.cellId ? "cell-id" : "fallback",
      execution: run.execution,
      header,
      codeHash: hash,
      startedAt: run.startedAt,
      durationMs: Math.round(run.durationMs * 10) / 10,
      status: run.error ? "error" : "ok",
      error: run.error,
      outputs: run.outputs,
      calls: run.calls.map(toCallRecord),
      values: run.values,
      ...(run.evaluations?.length ? { evaluations: [...run.evaluations] } : {}),
      env: this.options.environment.current(),
    });
    const store = this.options.records.store;
    const verdict = judgeRun(store.previous(cell), partial, { tolerance: this.options.tolerance });
    if (this.options.append === false) return { verdict };
    try {
      store.append({ ...partial, verdict });
      this.options.onAppended?.();
      return { verdict };
    } catch (error) {
      return { verdict, writeError: (error as Error).message };
    }
  }
}

function toCallRecord(call: ModelCallSummary): ModelCallRecord {
  return {
    name: call.name,
    model: call.model,
    params: call.params,
    inputTokens: call.inputTokens ?? null,
    outputTokens: call.outputTokens ?? null,
    latencyMs: Math.round(call.latencyMs * 10) / 10,
    replayed: call.replayed,
    requestHash: call.requestHash,
    sample: call.sample,
    responseHash: call.responseHash,
    ...(call.answer === undefined ? {} : { answer: call.answer.slice(0, ANSWER_KEPT_CHARS) }),
    systemFingerprint: call.systemFingerprint ?? null,
    finishReason: call.finishReason ?? null,
    ...(call.item ? { item: call.item } : {}),
  };
}
