// The core's records → MLflow mapping, pure: log-batch chunking within MLflow's limits, the names MLflow
// accepts, the grouping of records into notebook runs, and payloads that do not change between pushes.
import {
  chunkRunData,
  clipValue,
  experimentNameFor,
  findSpecLite,
  groupNotebookRuns,
  LOG_BATCH_LIMITS,
  type MlflowKeyValue,
  type MlflowMetric,
  mlflowKey,
  planCellRun,
  notebookRunsFilter,
  planCellTrace,
  planNotebookRun,
  recordId,
  type RunData,
} from "../../kernel/src/core";
import { loadNotebook } from "../fixtures";
import { modelCall, runRecord } from "../support/run-records";

const bytesOf = (batch: RunData) =>
  new TextEncoder().encode(JSON.stringify({ run_id: "0123456789abcdef0123456789abcdef", ...batch })).length;

function withinLimits(batch: RunData): void {
  expect(batch.params.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.params);
  expect(batch.tags.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.tags);
  expect(batch.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.metrics);
  expect(batch.params.length + batch.tags.length + batch.metrics.length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.items);
  expect(bytesOf(batch)).toBeLessThanOrEqual(LOG_BATCH_LIMITS.bytes);
}

describe("chunkRunData", () => {
  it("keeps a small run in one batch", () => {
    const data: RunData = {
      params: [{ key: "model", value: "m" }],
      tags: [{ key: "t", value: "v" }],
      metrics: [{ key: "x", value: 1, timestamp: 1, step: 0 }],
    };
    expect(chunkRunData(data)).toEqual([data]);
    expect(chunkRunData({ params: [], tags: [], metrics: [] })).toEqual([]);
  });

  it("splits over 100 params, 100 tags, 1000 metrics and 1000 items, losing and reordering nothing", () => {
    const params: MlflowKeyValue[] = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags: MlflowKeyValue[] = Array.from({ length: 130 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
    const metrics: MlflowMetric[] = Array.from({ length: 2500 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const batches = chunkRunData({ params, tags, metrics });
    for (const batch of batches) withinLimits(batch);
    expect(batches.flatMap((b) => b.params)).toEqual(params);
    expect(batches.flatMap((b) => b.tags)).toEqual(tags);
    expect(batches.flatMap((b) => b.metrics)).toEqual(metrics);
    // 100 + 100 + 50 params; a batch with room keeps filling: 100 tags beside the 50 params, then the
    // other 30 tags and metrics up to 1000 items, then 1000 metrics, then the rest.
    expect(batches.map((b) => [b.params.length, b.tags.length, b.metrics.length])).toEqual([
      [100, 0, 0],
      [100, 0, 0],
      [50, 100, 0],
      [0, 30, 970],
      [0, 0, 1000],
      [0, 0, 530],
    ]);
  });

  it("splits over 1 MB of JSON", () => {
    // 100 tags of 8000 characters (MLflow's longest) in several batches... and multi-byte characters count as bytes.
    const tags: MlflowKeyValue[] = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: "é".repeat(7999) }));
    const params: MlflowKeyValue[] = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: "x".repeat(6000) }));
    const batches = chunkRunData({ params, tags, metrics: [] });
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) withinLimits(batch);
    expect(batches.flatMap((b) => b.tags)).toEqual(tags);
    expect(batches.flatMap((b) => b.params)).toEqual(params);
  });
});

describe("names and values MLflow accepts", () => {
  it("keeps letters, digits and _ - . space /, and no path segment that would resolve elsewhere", () => {
    expect(mlflowKey("temperature 1/correct")).toBe("temperature 1/correct");
    expect(mlflowKey("vote of 5 at 0.7")).toBe("vote of 5 at 0.7");
    expect(mlflowKey("a:b?c*d")).toBe("a_b_c_d");
    expect(mlflowKey("/a//b/./../c/")).toBe("a/b/_/__/c");
    expect(mlflowKey("")).toBe("_");
    expect(mlflowKey("k".repeat(300))).toHaveLength(250);
  });

  it("clips a value to a limit with an ellipsis, never cutting a surrogate pair", () => {
    expect(clipValue("short", 10)).toBe("short");
    expect(clipValue("abcdefghijk", 5)).toBe("abcd…");
    // "😀" is two UTF-16 units: a cut after its first would leave half a character.
    expect(clipValue(`abc${"😀".repeat(5)}`, 6)).toBe("abc😀…");
    expect(clipValue(`abc${"😀".repeat(5)}`, 5)).toBe("abc…");
  });
});

describe("records → notebook runs and MLflow runs", () => {
  const session = (startedAt: string, executions: (number | null)[], node = "v24.0.0") =>
    executions.map((execution, i) =>
      runRecord({ cell: `cell-${i + 1}`, execution, startedAt: `${startedAt}:0${i}.000Z`, env: { ...runRecord().env, node } }),
    );

  it("starts a notebook run where the execution count does not go up, or the environment changes", () => {
    const records = [
      ...session("2026-11-19T08:00", [1, 2, null, 3]),
      ...session("2026-11-19T09:00", [1, 2]),
      ...session("2026-11-19T09:10", [3, 4], "v24.1.0"),
    ];
    const groups = groupNotebookRuns(records);
    expect(groups.map((g) => g.entries.length)).toEqual([4, 2, 2]);
    expect(groups.map((g) => g.id)).toEqual([recordId(records[0]), recordId(records[4]), recordId(records[6])]);
    // Appending a cell run to the session leaves its id as it was.
    expect(groupNotebookRuns(records.slice(0, 3))[0].id).toBe(groups[0].id);
  });

  it("gives a record the same id however it was read, and different runs different ids", () => {
    const record = runRecord({ values: { a: 1 } });
    expect(recordId({ ...record, values: { a: 2 }, outputs: { ...record.outputs, text: "other" } })).toBe(recordId(record));
    expect(recordId({ ...record, startedAt: "2026-11-19T08:00:00.001Z" })).not.toBe(recordId(record));
    expect(recordId(record)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("maps a cell run: call params, record() numbers as metrics, the rest as params, header tags", () => {
    const record = runRecord({
      header: { tested: "few-shot prompt", found: "0.9 useful", verdict: "supported" },
      values: { useful: 0.9, note: "long diffs", shape: { a: 1 } },
      calls: [
        modelCall({ name: "fast", model: "gpt-4o-mini", params: { temperature: 0.2 } }),
        modelCall({ name: "fast", model: "gpt-4o-mini", params: { temperature: 0.7 } }),
      ],
    });
    const plan = planCellRun({ id: recordId(record), record }, { notebookRunId: "nb1", notebookName: "summaries.ipynb", position: 3 });
    expect(plan.runName).toBe("#3 plain-prompt");
    expect(plan.status).toBe("FINISHED");
    expect(plan.data.params).toEqual([
      { key: "alias", value: "fast" },
      { key: "model", value: "gpt-4o-mini" },
      { key: "temperature", value: "0.2, 0.7" },
      { key: "record.note", value: "long diffs" },
      { key: "record.shape", value: '{"a":1}' },
    ]);
    const tags = Object.fromEntries(plan.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ "labtrail.header.tested": "few-shot prompt", "labtrail.verdict": "supported", "labtrail.rerun": "new" });
    expect(plan.identityTags).toContainEqual({ key: "labtrail.record_id", value: recordId(record) });
    const timestamp = Date.parse(record.startedAt);
    expect(plan.data.metrics).toContainEqual({ key: "useful", value: 0.9, timestamp, step: 0 });
    expect(plan.data.metrics).toContainEqual({ key: "labtrail.tokens_in", value: 200, timestamp, step: 0 });
    // The same record, the same payload: what makes a second push harmless.
    expect(planCellRun({ id: recordId(record), record }, { notebookRunId: "nb1", notebookName: "summaries.ipynb", position: 3 })).toEqual(
      plan,
    );
  });

  it("sends a key once when two names become the same valid key", () => {
    const record = runRecord({ values: { "a:b": "first", a_b: "second" } });
    const plan = planCellRun({ id: recordId(record), record }, { notebookRunId: "nb1", notebookName: "summaries.ipynb" });
    // In key order, "a:b" comes first.
    expect(plan.data.params).toEqual([{ key: "record.a_b", value: "first" }]);
  });

  it("repeats a cell metric on the parent with a step per cell that logged it; no params on the parent", () => {
    const records = [
      runRecord({ cell: "a", execution: 1, values: { useful: 0.5 } }),
      runRecord({ cell: "b", execution: 2, values: { useful: 0.8 }, status: "error", error: { ename: "E", evalue: "x" } }),
    ];
    const [group] = groupNotebookRuns(records);
    const plan = planNotebookRun(group, { notebookName: "summaries.ipynb" });
    expect(plan.data.params).toEqual([]);
    expect(plan.status).toBe("FAILED");
    expect(plan.data.metrics.filter((m) => m.key === "useful").map((m) => [m.step, m.value])).toEqual([
      [0, 0.5],
      [1, 0.8],
    ]);
    expect(plan.data.metrics).toContainEqual(expect.objectContaining({ key: "labtrail.failed_cells", value: 1 }));
  });

  it("names the experiment from the flag, the config, the title, else the file name", () => {
    const spec = findSpecLite(
      loadNotebook(
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: [{ cell_type: "markdown", metadata: {}, source: "# Summaries\n" }],
        }),
      ),
    );
    expect(experimentNameFor({ flag: "x", configured: "y", spec, notebookName: "a.ipynb" })).toBe("x");
    expect(experimentNameFor({ configured: "y", spec, notebookName: "a.ipynb" })).toBe("y");
    expect(experimentNameFor({ spec, notebookName: "a.ipynb" })).toBe("Summaries");
    expect(experimentNameFor({ spec: null, notebookName: "a.ipynb" })).toBe("a");
  });
});

describe("planCellTrace", () => {
  const record = runRecord({
    startedAt: "2026-11-19T08:00:00.000Z",
    durationMs: 1000,
    calls: [
      modelCall({
        name: "fast",
        model: "gpt-4o-mini-2024",
        params: { model: "gpt-4o-mini", temperature: 0.5, max_tokens: 50 },
        latencyMs: 300,
        answer: "yes",
      }),
      modelCall({ latencyMs: 900 }),
    ],
  });
  const entry = { id: recordId(record), record };

  it("has a root span for the cell and a GenAI span per call, laid out inside the cell's time", () => {
    const trace = planCellTrace(entry, { runName: "#2 plain-prompt", experimentId: "1", content: true }) as NonNullable<
      ReturnType<typeof planCellTrace>
    >;
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    const start = Date.parse(record.startedAt);
    expect(trace.root).toMatchObject({ name: "#2 plain-prompt", startTime: start, endTime: start + 1000 });
    expect(trace.calls.map((span) => [span.startTime - start, span.endTime - start])).toEqual([
      [0, 300],
      [100, 1000],
    ]);
    expect(trace.calls[0].attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024",
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 20,
      "gen_ai.request.temperature": 0.5,
      "gen_ai.request.max_tokens": 50,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.output.messages": '[{"content":"yes","role":"assistant"}]',
    });
    expect(new Set([trace.root.spanId, ...trace.calls.map((span) => span.spanId)]).size).toBe(3);
  });

  it("is the same trace for the same record and experiment, another in another experiment; no content with content off", () => {
    const one = planCellTrace(entry, { runName: "r", experimentId: "1", content: true });
    expect(planCellTrace(entry, { runName: "r", experimentId: "1", content: true })).toEqual(one);
    expect(planCellTrace(entry, { runName: "r", experimentId: "2", content: true })?.traceId).not.toBe(one?.traceId);
    const contentOf = () => ({ operation: "chat" as const, input: [{ role: "user", content: "secret prompt" }] });
    const without = planCellTrace(entry, { runName: "r", experimentId: "1", content: false, contentOf });
    expect(JSON.stringify(without)).not.toContain("secret prompt");
    expect(JSON.stringify(without)).not.toContain("gen_ai.output.messages");
    expect(planCellTrace({ id: "x", record: runRecord() }, { runName: "r", experimentId: "1", content: true })).toBeNull();
  });
});

test("notebookRunsFilter: a runs/search filter on the notebook tag, none for a name MLflow cannot quote", () => {
  expect(notebookRunsFilter("summaries.ipynb")).toBe("tags.`labtrail.notebook` = 'summaries.ipynb'");
  expect(notebookRunsFilter("it's.ipynb")).toBeUndefined();
});
