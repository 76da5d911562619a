// The Experiment Log's view models: the Cells view (headers, latest verdict, run history newest first,
// with metrics and model calls) and the Recordings view (what each recording holds, which cells use it,
// which a prune may delete), from a notebook and records made by the schema-checked factory.
import {
  buildLogCells,
  buildRecordingRows,
  compareRuns,
  describeRecording,
  formatBytes,
  formatDuration,
  formatMetric,
  metricSeries,
  metricsChartSpec,
  parseNotebook,
  type Notebook,
  recordingFileName,
  renderProgress,
} from "../../kernel/src/core";
import { modelCall, runRecord } from "../support/run-records";

function notebook(cells: { id: string; source: string; type?: "code" | "markdown" }[]): Notebook {
  const parsed = parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map(({ id, source, type }) =>
        type === "markdown"
          ? { cell_type: "markdown", id, metadata: {}, source }
          : { cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source },
      ),
    }),
  );
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.notebook;
}

const NOTEBOOK = notebook([
  { id: "intro", type: "markdown", source: "# Labels" },
  { id: "bare", source: "// Tested: a bare prompt labels bugs\n// Found: 70%\n// Verdict: refuted\nawait ask('x');" },
  { id: "shots", source: "// Tested: few-shot labels bugs\nawait ask('y');" },
  { id: "plot", source: "1 + 1" },
]);

describe("the Cells view", () => {
  const records = [
    runRecord({
      cell: "bare",
      startedAt: "2026-11-19T08:00:00.000Z",
      calls: [modelCall({ requestHash: "aaaa" })],
      values: { accuracy: 0.7 },
    }),
    runRecord({ cell: "shots", startedAt: "2026-11-19T08:01:00.000Z", status: "error", error: { ename: "Error", evalue: "boom\nstack" } }),
    runRecord({
      cell: "bare",
      startedAt: "2026-11-19T08:02:00.000Z",
      durationMs: 340,
      calls: [modelCall({ requestHash: "aaaa", replayed: true }), modelCall({ requestHash: "bbbb", replayed: false, model: "gpt-4o" })],
      values: { accuracy: 0.75, note: { a: 1 } },
      verdict: { kind: "drifted", summary: "drifted: accuracy 0.7 → 0.75", changes: [{ what: "accuracy", before: "0.7", after: "0.75" }] },
    }),
    runRecord({ cell: "gone", startedAt: "2026-11-19T08:03:00.000Z" }),
  ];
  const cells = buildLogCells(NOTEBOOK, records);

  it("lists every code cell in order, numbered as the user sees them, with its header", () => {
    expect(cells.map((c) => [c.number, c.id, c.tested, c.found, c.headerVerdict])).toEqual([
      [2, "bare", "a bare prompt labels bugs", "70%", "refuted"],
      [3, "shots", "few-shot labels bugs", undefined, undefined],
      [4, "plot", undefined, undefined, undefined],
    ]);
  });

  it("gives each cell its runs newest first, its latest verdict, and nothing for a cell that never ran", () => {
    const [bare, shots, plot] = cells;
    expect(bare.runs.map((r) => r.run)).toEqual([3, 1]);
    expect(bare.latest).toBe("drifted");
    expect(shots.latest).toBe("new");
    expect(shots.runs[0]).toMatchObject({ status: "error", error: "Error: boom" });
    expect(plot).toMatchObject({ latest: null, runs: [] });
  });

  it("says per run what was measured and which models answered, live or replayed", () => {
    const latest = cells[0].runs[0];
    expect(latest).toMatchObject({ durationMs: 340, summary: "drifted: accuracy 0.7 → 0.75", calls: "mixed" });
    expect(latest.metrics).toEqual({ accuracy: 0.75, note: '{"a":1}' });
    expect(latest.models).toEqual([
      { model: "gpt-4o", calls: 1, tokensIn: 100, tokensOut: 20, replayed: 0 },
      { model: "gpt-4o-mini", calls: 1, tokensIn: 100, tokensOut: 20, replayed: 1 },
    ]);
    expect(cells[0].runs[1].calls).toBe("live");
    expect(cells[1].runs[0].calls).toBe("none");
  });

  it("works with no records at all", () => {
    expect(buildLogCells(NOTEBOOK, []).map((c) => c.runs.length)).toEqual([0, 0, 0]);
  });
});

describe("the Recordings view", () => {
  const chat = (content: string, model = "gpt-4o-mini") =>
    JSON.stringify({
      v: 1,
      request: {
        model,
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content },
        ],
      },
      samples: [{}, {}],
    });

  it("summarizes what each recording holds", () => {
    expect(describeRecording(chat("Label:\n  login   button does nothing"))).toEqual({
      model: "gpt-4o-mini",
      api: "chat",
      request: "Label: login button does nothing",
      samples: 2,
      problem: null,
    });
    const embeddings = JSON.stringify({ v: 1, request: { model: "text-embedding-3-small", input: ["one", "two"] }, samples: [{}] });
    expect(describeRecording(embeddings)).toMatchObject({ api: "embeddings", request: "2 × one", samples: 1 });
    expect(describeRecording(chat("x".repeat(200))).request).toHaveLength(80);
    expect(describeRecording("{oops").problem).toBe("not-json");
    expect(describeRecording("[]").problem).toBe("not-a-recording");
    expect(describeRecording(undefined)).toMatchObject({ model: null, problem: null });
  });

  it("marks a recording unused when no cell's current runs name it; a failed latest run keeps the last good one's", () => {
    const records = [
      runRecord({ cell: "bare", startedAt: "2026-11-19T08:00:00.000Z", calls: [modelCall({ requestHash: "a".repeat(64) })] }),
      runRecord({ cell: "bare", startedAt: "2026-11-19T08:05:00.000Z", calls: [modelCall({ requestHash: "b".repeat(64) })] }),
      runRecord({ cell: "shots", startedAt: "2026-11-19T08:06:00.000Z", calls: [modelCall({ requestHash: "c".repeat(64) })] }),
      runRecord({ cell: "shots", startedAt: "2026-11-19T08:07:00.000Z", status: "error", calls: [] }),
      runRecord({ cell: "deleted-cell", startedAt: "2026-11-19T08:08:00.000Z", calls: [modelCall({ requestHash: "d".repeat(64) })] }),
    ];
    const files = ["d", "a", "b", "c", "e"].map((x) => ({ name: recordingFileName(x.repeat(64)), size: 1200, text: chat(x) }));
    const rows = buildRecordingRows(NOTEBOOK, records, files);
    expect(rows.map((r) => [r.name[0], r.cells, r.unused, r.lastUsed])).toEqual([
      ["a", [], true, "2026-11-19T08:00:00.000Z"],
      ["b", [2], false, "2026-11-19T08:05:00.000Z"],
      ["c", [3], false, "2026-11-19T08:06:00.000Z"],
      ["d", [], true, "2026-11-19T08:08:00.000Z"],
      ["e", [], true, null],
    ]);
    expect(rows[0]).toMatchObject({ name: "aaaaaaaaaaaaaaaa.json", size: 1200, model: "gpt-4o-mini", request: "a" });
  });

  it("lets a prune delete only unused recordings written before the newest record ended", () => {
    const records = [
      runRecord({
        cell: "bare",
        startedAt: "2026-11-19T08:00:00.000Z",
        durationMs: 5000,
        calls: [modelCall({ requestHash: "a".repeat(64) })],
      }),
    ];
    const file = (x: string, lastModified?: string) => ({ name: recordingFileName(x.repeat(64)), size: 10, text: chat(x), lastModified });
    const rows = buildRecordingRows(NOTEBOOK, records, [
      file("a", "2026-11-19T08:00:04.000Z"),
      file("b", "2026-11-19T07:00:00.000Z"),
      // Written after the newest record: a run in progress made it.
      file("c", "2026-11-19T08:00:09.000Z"),
      // No time known: kept.
      file("d"),
    ]);
    expect(rows.map((r) => [r.name[0], r.unused, r.prunable])).toEqual([
      ["a", false, false],
      ["b", true, true],
      ["c", true, false],
      ["d", true, false],
    ]);
  });
});

test("formatting for the panel", () => {
  expect([0, 850, 1234, 9999, 12_400, 125_000, 120_000, 3_780_000].map(formatDuration)).toEqual([
    "0 ms",
    "850 ms",
    "1.2 s",
    "9.9 s",
    "12 s",
    "2 min 5 s",
    "2 min",
    "1 h 3 min",
  ]);
  // The same formatter as evaluate()'s progress line (one in the core).
  expect(
    renderProgress({
      name: "x",
      done: 1,
      total: 2,
      errors: 0,
      elapsedMs: 125_000,
      tokensIn: 0,
      tokensOut: 0,
      calls: 0,
      replayed: 0,
      finished: false,
    })["text/plain"],
  ).toContain("2 min 5 s elapsed · ETA 2 min 5 s");
  expect([null, 812, 4300, 1_363_149].map(formatBytes)).toEqual(["–", "812 B", "4.2 KB", "1.3 MB"]);
  expect(formatMetric(0.87)).toBe("0.87");
  expect(formatMetric("")).toBe('""');
  expect(formatMetric("x".repeat(50))).toHaveLength(40);
});

describe("metrics over runs", () => {
  const records = [
    runRecord({ cell: "bare", values: { accuracy: 0.7, note: "first", n: 30 } }),
    runRecord({ cell: "bare", values: { accuracy: 0.75, n: 30 } }),
    runRecord({ cell: "bare", values: { accuracy: 0.8, latency: 120 } }),
  ];
  const [bare] = buildLogCells(NOTEBOOK, records);

  it("gives the numeric metrics oldest run first, only those with two points or more", () => {
    expect(metricSeries(bare).map((p) => [p.metric, p.run, p.value])).toEqual([
      ["accuracy", 1, 0.7],
      ["n", 1, 30],
      ["accuracy", 2, 0.75],
      ["n", 2, 30],
      ["accuracy", 3, 0.8],
    ]);
    expect(metricSeries({ runs: [] })).toEqual([]);
  });

  it("charts them with a declarative Vega-Lite v5 spec: a line per metric over the runs, each its own scale", () => {
    const points = metricSeries(bare);
    const spec = metricsChartSpec(points, { run: "run", metric: "metric", value: "value", started: "started", verdict: "verdict" }, 180);
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    expect(spec).toMatchObject({
      data: { values: points },
      facet: { row: { field: "metric" } },
      resolve: { scale: { y: "independent" } },
      spec: {
        width: 180,
        mark: { type: "line", point: true },
        encoding: { x: { field: "run" }, y: { field: "value", scale: { zero: false } } },
      },
    });
    // Plain JSON: what the rendermime model carries.
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe("comparing two runs", () => {
  const older = runRecord({
    cell: "bare",
    codeHash: "c0ffee000000aaaa",
    durationMs: 900,
    values: { accuracy: 0.7, note: "first" },
    outputs: { count: 1, bytes: 20, text: "label: bug\n", result: "'bug'", resultHash: "r1" },
    calls: [
      modelCall({ requestHash: "q1", answer: "The label is bug", responseHash: "x1" }),
      modelCall({ requestHash: "q2", responseHash: "y1" }),
    ],
  });
  const newer = runRecord({
    cell: "bare",
    codeHash: "c0ffee000000aaaa",
    durationMs: 300,
    status: "ok",
    values: { accuracy: 0.75, extra: [1, 2] },
    outputs: { count: 1, bytes: 24, text: "label: feature\n", result: "'feature'", resultHash: "r2" },
    calls: [
      modelCall({ requestHash: "q1", answer: "The label is feature", responseHash: "x2", replayed: false }),
      modelCall({ requestHash: "q2", responseHash: "y1", replayed: true }),
    ],
  });
  // Given newest first, as the panel lists them: still compared older → newer.
  const comparison = compareRuns({ run: 5, record: newer }, { run: 2, record: older });

  it("orders the runs and says which fields changed", () => {
    expect([comparison.before.run, comparison.after.run]).toEqual([2, 5]);
    expect(comparison.fields.filter((f) => f.changed).map((f) => f.name)).toEqual([]);
    expect(comparison.fields.find((f) => f.name === "duration")).toMatchObject({ before: "900", after: "300", changed: false });
  });

  it("lists every metric of either run, old → new", () => {
    expect(comparison.metrics).toEqual([
      { name: "accuracy", before: "0.7", after: "0.75", changed: true },
      { name: "extra", before: null, after: "[1,2]", changed: true },
      { name: "note", before: "first", after: null, changed: true },
    ]);
  });

  it("diffs what the cell printed and returned, and each model answer, word by word", () => {
    const changed = (parts: { kind: string; text: string }[]) =>
      parts.filter((p) => p.kind !== "same").map((p) => `${p.kind}:${p.text.trim()}`);
    expect(changed(comparison.output.parts)).toEqual(["removed:bug", "added:feature"]);
    expect(changed(comparison.result.parts)).toEqual(["removed:bug", "added:feature"]);
    expect(comparison.result).toMatchObject({ changed: true, before: "'bug'", after: "'feature'" });
    const [first, second] = comparison.answers;
    expect(first).toMatchObject({ call: 1, changed: true, sameRequest: true, before: "The label is bug", after: "The label is feature" });
    expect(changed(first.parts)).toEqual(["removed:bug", "added:feature"]);
    // No answer text kept: the response hash decides.
    expect(second).toMatchObject({ call: 2, changed: false, before: null, after: null, replayedBefore: false, replayedAfter: true });
  });

  it("names a failure and a call only one run made", () => {
    const failed = runRecord({
      cell: "bare",
      codeHash: "c0ffee000000aaaa",
      status: "error",
      error: { ename: "TypeError", evalue: "x is undefined" },
      calls: [],
    });
    const result = compareRuns({ run: 1, record: older }, { run: 2, record: failed });
    expect(result.fields.filter((f) => f.changed).map((f) => [f.name, f.before, f.after])).toEqual([
      ["status", "ok", "error"],
      ["error", null, "TypeError: x is undefined"],
    ]);
    expect(result.answers.map((a) => [a.call, a.changed, a.modelAfter])).toEqual([
      [1, true, null],
      [2, true, null],
    ]);
  });
});
