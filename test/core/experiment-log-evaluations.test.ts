// The Experiment Log's evaluations view model: a run record's evaluate() calls grouped by name, the
// variants' summaries side by side and each variant's items × scores table with failures marked, all
// through the evaluation renderer the kernel uses (so the panel and the cell output read alike).
import { type EvaluationRecord, logEvaluations, logRun, metricSeries, renderResults } from "../../kernel/src/core";
import { runRecord } from "../support/run-records";

function evaluation(overrides: Partial<EvaluationRecord>): EvaluationRecord {
  return {
    name: "labels",
    variant: null,
    scores: ["correct"],
    summary: { correct: 0.5, n: 2, runs: 2, errors: 0, calls: 2, replayed: 2, tokensIn: 20, tokensOut: 2, p50Ms: 3, p90Ms: 4 },
    items: [
      { index: 0, trial: 1, output: "bug", outputHash: "h0", scores: { correct: 1 } },
      { index: 1, trial: 1, output: "feature", outputHash: "h1", scores: { correct: 0 } },
    ],
    runs: 2,
    ...overrides,
  };
}

test("an evaluation without variants: one table, items × scores, a failed score marked; the record keeps no inputs", () => {
  const record = runRecord({ evaluations: [evaluation({})] });
  const [log] = logEvaluations(record);
  expect(log.name).toBe("labels");
  expect(log.comparison).toBeNull();
  expect(log.results).toHaveLength(1);
  expect(log.results[0]).toMatchObject({ variant: null, failures: 0, runs: 2 });
  const html = String(log.results[0].bundle["text/html"]);
  expect(html).toContain("<th");
  expect(html).not.toContain(">input<");
  expect(html).toMatch(/>output<.*>correct</);
  // A score of 0 is marked as a failure, as in the cell's own table.
  expect(html).toMatch(/color:#e53935">0</);
  expect(String(log.results[0].bundle["text/plain"]).split("\n")).toEqual([
    "labels: correct 0.5 · n 2 · runs 2 · errors 0 · calls 2 · replayed 2 · tokensIn 20 · tokensOut 2 · p50Ms 3 · p90Ms 4",
    "  0  bug  [correct 1]",
    "  1  feature  [correct 0]",
  ]);
  expect(logRun({ run: 1, record }).evaluations).toEqual(["labels"]);
  expect(logRun({ run: 1, record: runRecord() }).evaluations).toEqual([]);
});

test("variants side by side, then each variant's table; a failed item is marked with its message, escaped", () => {
  const bare = evaluation({ variant: "bare" });
  const constrained = evaluation({
    variant: "constrained",
    summary: { correct: 1, n: 2, runs: 2, errors: 1, calls: 1, replayed: 1, tokensIn: 10, tokensOut: 1, p50Ms: 2, p90Ms: 2 },
    items: [
      { index: 0, trial: 1, output: "bug", outputHash: "h0", scores: { correct: 1 } },
      { index: 1, trial: 1, output: null, outputHash: null, scores: {}, error: "<img src=x onerror=alert(1)> timed out" },
    ],
  });
  const other = evaluation({ name: "judged", scores: ["ok"], summary: { ok: 1, n: 1 }, items: [], runs: 0 });
  const logs = logEvaluations(runRecord({ evaluations: [bare, constrained, other] }));
  expect(logs.map((l) => l.name)).toEqual(["labels", "judged"]);

  const [labels] = logs;
  expect(labels.results.map((r) => [r.variant, r.failures])).toEqual([
    ["bare", 0],
    ["constrained", 1],
  ]);
  const comparison = labels.comparison!;
  expect(String(comparison["text/plain"]).split("\n").slice(0, 3)).toEqual([
    "labels: 2 variants",
    "                    bare  constrained",
    "correct              0.5            1",
  ]);
  expect(labels.chart!["application/vnd.vegalite.v5+json"]).toMatchObject({ mark: "bar" });
  expect(String(labels.chart!["text/plain"]).split("\n").slice(0, 2)).toEqual(["labels: score means", "correct"]);

  const failed = String(labels.results[1].bundle["text/html"]);
  expect(failed).toContain("✗ &lt;img src=x onerror=alert(1)&gt; timed out");
  expect(failed).not.toContain("<img");
  expect(String(labels.results[1].bundle["text/plain"])).toContain("  1  ✗ <img src=x onerror=alert(1)> timed out");
});

test("a record that kept only some item runs counts the rest; the cell's own table still shows inputs", () => {
  const items = Array.from({ length: 250 }, (_, i) => ({ index: i, trial: 1, output: "bug", outputHash: "h", scores: { correct: 1 } }));
  const [log] = logEvaluations(runRecord({ evaluations: [evaluation({ items, runs: 1200 })] }));
  expect(String(log.results[0].bundle["text/plain"])).toMatch(/\n {2}… 1000 more$/);

  const withInputs = renderResults({
    name: "labels",
    variant: null,
    scores: ["correct"],
    summary: { correct: 1 },
    items: [{ index: 0, trial: 1, input: "Login fails", output: "bug", scores: { correct: 1 } }],
  });
  expect(String(withInputs["text/html"])).toContain(">input<");
  expect(String(withInputs["text/html"])).toContain("Login fails");
});

test("a run's metrics: record()'s values, and each evaluation's score means in place of its summary's JSON; they chart over runs", () => {
  const run = (n: number, correct: number) =>
    logRun({
      run: n,
      record: runRecord({
        values: { accuracy: correct, labels: { bare: { correct, n: 2 }, constrained: { correct: 1, n: 2 } } },
        evaluations: [
          evaluation({ variant: "bare", summary: { correct, n: 2 } }),
          evaluation({ variant: "constrained", summary: { correct: 1, n: 2 } }),
        ],
      }),
    });
  const runs = [run(2, 0.75), run(1, 0.5)];
  expect(runs[0].metrics).toEqual({ accuracy: 0.75, "labels.bare.correct": 0.75, "labels.constrained.correct": 1 });
  expect(
    metricSeries({ runs })
      .filter((p) => p.metric === "labels.bare.correct")
      .map((p) => [p.run, p.value]),
  ).toEqual([
    [1, 0.5],
    [2, 0.75],
  ]);
});
