// The core's evaluate() logic, pure: the results table and the comparison escape whatever a cell or a
// model wrote, the chart spec is small and readable, and the verdict names the items that drifted.
import {
  type EvaluationRecord,
  type EvaluationView,
  judgeRun,
  renderComparison,
  renderComparisonChart,
  renderProgress,
  renderResults,
  summaryLine,
} from "../../kernel/src/core";
import { runRecord } from "../support/run-records";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

function view(overrides: Partial<EvaluationView> = {}): EvaluationView {
  return {
    name: `labels ${HOSTILE}`,
    variant: null,
    scores: [`correct${HOSTILE}`],
    summary: {
      [`correct${HOSTILE}`]: 0.5,
      n: 2,
      runs: 2,
      errors: 1,
      calls: 1,
      replayed: 1,
      tokensIn: 10,
      tokensOut: 2,
      p50Ms: 3,
      p90Ms: 4,
    },
    items: [
      { index: 0, trial: 1, input: HOSTILE, output: `${"long ".repeat(100)}${HOSTILE}`, scores: { [`correct${HOSTILE}`]: 1 } },
      { index: 1, trial: 1, input: "b", output: null, scores: {}, error: `boom ${HOSTILE}` },
    ],
    ...overrides,
  };
}

test("the results table escapes every string (names, inputs, outputs, errors, hover text) and clips long outputs", () => {
  const bundle = renderResults(view());
  const html = bundle["text/html"] as string;
  expect(html).not.toMatch(/<script|<img/);
  expect(html.match(/&lt;script&gt;/g)!.length).toBeGreaterThanOrEqual(4);
  // A long output is clipped in its cell, whole in its hover text.
  expect(html).toContain(
    `title="${"long ".repeat(100)}&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"`,
  );
  expect(html).toMatch(/>long long [^<]*…<\/td>/);
  expect(html).toContain(">✗ boom &lt;script&gt;");
  expect(bundle["text/plain"]).toContain("  1  ✗ boom <script>");
});

test("variants side by side: an escaped table with a text twin, and apart from it a Vega-Lite v5 bar chart of the score means with text bars", () => {
  const a = view({ name: "cmp", variant: `a${HOSTILE}`, scores: ["correct"], summary: { correct: 0.25, n: 4, errors: 0 } });
  const b = view({ name: "cmp", variant: "b", scores: ["correct"], summary: { correct: 0.75, n: 4, errors: 1 } });
  const bundle = renderComparison("cmp", [a, b]);
  expect(bundle["text/html"]).not.toMatch(/<script|<img/);
  expect(bundle["text/plain"]).toMatch(/^cmp: 2 variants\n.*\ncorrect\s+0\.25\s+0\.75\n/);
  // Not in the table's bundle: JupyterLab would show its HTML and never draw the chart.
  expect(Object.keys(bundle).sort()).toEqual(["text/html", "text/plain"]);
  const chart = renderComparisonChart("cmp", [a, b])!;
  expect(chart["text/plain"]).toBe(
    [
      "cmp: score means",
      "correct",
      `  a${HOSTILE}  █████░░░░░░░░░░░░░░░  0.25`,
      `  b${" ".repeat(HOSTILE.length)}  ███████████████░░░░░  0.75`,
    ].join("\n"),
  );
  expect(chart["application/vnd.vegalite.v5+json"]).toMatchObject({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    data: {
      values: [
        { variant: `a${HOSTILE}`, score: "correct", mean: 0.25 },
        { variant: "b", score: "correct", mean: 0.75 },
      ],
    },
    mark: "bar",
    encoding: { y: { scale: { domain: [0, 1] } } },
  });
  // A score that is no rate gets the axis its values need.
  const points = view({ name: "cmp", variant: "c", scores: ["points"], summary: { points: 7, n: 4, errors: 0 } });
  const open = renderComparisonChart("cmp", [points, b])!["application/vnd.vegalite.v5+json"] as { encoding: { y: object } };
  expect(open.encoding.y).not.toHaveProperty("scale");
  expect(summaryLine(b)).toBe("cmp › b: correct 0.75 · n 4 · errors 1");
});

test("progress: done/total, errors, elapsed, ETA and tokens, as text and HTML", () => {
  const p = renderProgress({
    name: "x",
    done: 5,
    total: 20,
    errors: 1,
    elapsedMs: 2000,
    tokensIn: 100,
    tokensOut: 7,
    calls: 5,
    replayed: 2,
    finished: false,
  });
  expect(p["text/plain"]).toBe(
    'evaluate "x": 5/20 done · 1 error · 2.0 s elapsed · ETA 6.0 s · tokens 100 in / 7 out · 5 calls (2 replayed)',
  );
  expect(p["text/html"]).toContain('<progress value="5" max="20"');
  const slowed = renderProgress({
    name: "x",
    done: 5,
    total: 20,
    errors: 0,
    elapsedMs: 2000,
    tokensIn: 0,
    tokensOut: 0,
    calls: 5,
    replayed: 0,
    finished: false,
    atOnce: 2,
  });
  expect(slowed["text/plain"]).toMatch(/ · slowed to 2 at once by the endpoint's limits$/);
});

function evaluation(items: EvaluationRecord["items"], summary: Record<string, number> = { correct: 1, n: 2 }): EvaluationRecord {
  return { name: "labels", variant: null, scores: ["correct"], summary, items, runs: items.length };
}

test("the verdict compares items, not latencies: a replay with other timings is reproduced, a changed item is named", () => {
  const items = [
    { index: 0, trial: 1, output: "bug", outputHash: "h0", scores: { correct: 1 } },
    { index: 1, trial: 1, output: "feature", outputHash: "h1", scores: { correct: 1 } },
  ];
  const before = runRecord({ values: { labels: { correct: 1, p50Ms: 300 } }, evaluations: [evaluation(items)] });
  const same = runRecord({ values: { labels: { correct: 1, p50Ms: 2 } }, evaluations: [evaluation(items)] });
  expect(judgeRun(before, same, { tolerance: 1e-9 }).kind).toBe("reproduced");

  const changed = [items[0], { ...items[1], output: "bug", outputHash: "h2", scores: { correct: 0 } }];
  const drift = judgeRun(before, runRecord({ values: {}, evaluations: [evaluation(changed, { correct: 0.5, n: 2 })] }), {
    tolerance: 1e-9,
  });
  expect(drift.kind).toBe("drifted");
  expect(drift.summary).toBe('≠ drifted: evaluation "labels": item 1 (output) changed; correct 1 → 0.5');
});
