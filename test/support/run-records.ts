// Run records for tests: a factory whose output is checked against runRecordSchema, so the tests that
// use it fail when the record format moves, rather than testing a shape the kernel no longer writes.
import { type ModelCallRecord, modelCallRecordSchema, type RunRecord, runRecordSchema } from "../../kernel/src/core";

export function modelCall(overrides: Partial<ModelCallRecord> = {}): ModelCallRecord {
  return modelCallRecordSchema.parse({
    name: "fast",
    model: "gpt-4o-mini",
    params: { temperature: 0 },
    inputTokens: 100,
    outputTokens: 20,
    latencyMs: 250,
    replayed: false,
    requestHash: "req0",
    sample: 1,
    responseHash: "resp0",
    systemFingerprint: null,
    finishReason: "stop",
    ...overrides,
  });
}

export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return runRecordSchema.parse({
    v: 1,
    notebook: "summaries.ipynb",
    cell: "plain-prompt",
    cellSource: "cell-id",
    execution: 1,
    header: {},
    codeHash: "hash0",
    startedAt: "2026-11-19T08:00:00.000Z",
    durationMs: 1200,
    status: "ok",
    error: null,
    outputs: { count: 1, bytes: 3, text: "ok\n", result: null, resultHash: null },
    calls: [],
    values: {},
    verdict: { kind: "new", summary: "new: the first recorded run of this cell", changes: [] },
    env: { node: "v20.19.0", labtrail: "0.1.0", tslab: "1.0.22", packages: {}, git: null },
    ...overrides,
  });
}

/** Records as runs.jsonl text (complete lines). */
export function jsonl(records: readonly RunRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join("");
}
