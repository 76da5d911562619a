// Run records read against the notebook: matching records to cells, the design-doc evidence built from
// them, and the stale-Found check (its lint problem: test/core/lint.test.ts). Records come from a
// factory validated by runRecordSchema.
import { readFileSync } from "node:fs";
import {
  buildEvidence,
  cellLocator,
  codeHash,
  findStaleFound,
  metricsOf,
  type NumberedRun,
  renderDesignDoc,
  type RunRecord,
  runRecordSchema,
  runsByCell,
} from "../../kernel/src/core";
import { notebook, loadNotebook as load } from "../fixtures";
import { modelCall, runRecord } from "../support/run-records";

// Cells: 1 spec (Markdown), 2 plain-prompt, 3 few-shot, 4 temperature, 5 plot (no header), 6 raw.
const summaries = load(readFileSync(notebook("summaries.ipynb"), "utf8"));
const source = (position: number) => summaries.cells[position - 1].source;

const drifted = (changes: { what: string; before: string; after: string }[]) => ({
  kind: "drifted" as const,
  summary: "≠ drifted",
  changes,
});
const reproduced = { kind: "reproduced" as const, summary: "✓ reproduced", changes: [] };
const changed = { kind: "changed" as const, summary: "changed", changes: [] };

describe("the record factory", () => {
  it("makes records the schema accepts as they are", () => {
    const record = runRecord({ calls: [modelCall()], values: { a: 1 } });
    expect(runRecordSchema.parse(record)).toEqual(record);
  });
});

describe("matching records to cells", () => {
  const locate = cellLocator(summaries, { codeHash });
  const position = (record: RunRecord) => {
    const cell = locate(record);
    return cell ? cell.index + 1 : null;
  };

  it("finds a cell by its id wherever it now sits", () => {
    expect(position(runRecord({ cell: "few-shot" }))).toBe(3);
    expect(position(runRecord({ cell: "no-such-id" }))).toBeNull();
  });

  it("finds a stand-in cell-N by position, code cells only", () => {
    expect(position(runRecord({ cell: "cell-4", cellSource: "fallback" }))).toBe(4);
    expect(position(runRecord({ cell: "cell-1", cellSource: "fallback" }))).toBeNull(); // Markdown
    expect(position(runRecord({ cell: "cell-99", cellSource: "fallback" }))).toBeNull();
    // `labtrail reproduce` sends cell-N as the id of a cell without one.
    expect(position(runRecord({ cell: "cell-4", cellSource: "cell-id" }))).toBe(4);
    // An id the notebook has wins over the position it spells.
    const named = load(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: ["a()", "b()"].map((source, i) => ({
          cell_type: "code",
          id: i === 0 ? "cell-2" : "x",
          metadata: {},
          source,
          outputs: [],
          execution_count: null,
        })),
      }),
    );
    expect(cellLocator(named)(runRecord({ cell: "cell-2" }))?.index).toBe(0);
  });

  it("finds the kernel's #execution@hash stand-in by the code's hash, when one cell has that code", () => {
    const standIn = `#7@${codeHash(source(3)).slice(0, 8)}`;
    expect(position(runRecord({ cell: standIn, cellSource: "fallback" }))).toBe(3);
    expect(cellLocator(summaries)(runRecord({ cell: standIn, cellSource: "fallback" }))).toBeUndefined(); // no hash function
    const twins = load(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [1, 2].map(() => ({ cell_type: "code", metadata: {}, source: "same()", outputs: [], execution_count: null })),
      }),
    );
    const twin = runRecord({ cell: `#1@${codeHash("same()").slice(0, 8)}`, cellSource: "fallback" });
    expect(cellLocator(twins, { codeHash })(twin)).toBeUndefined();
  });

  it("numbers runs in file order and groups them by cell", () => {
    const records = [
      runRecord({ cell: "few-shot" }),
      runRecord({ cell: "gone" }),
      runRecord({ cell: "plain-prompt" }),
      runRecord({ cell: "few-shot" }),
    ];
    const byCell = runsByCell(summaries, records);
    expect([...byCell.entries()].map(([index, runs]) => [index + 1, runs.map((r) => r.run)])).toEqual([
      [3, [1, 4]],
      [2, [3]],
    ]);
  });
});

describe("buildEvidence", () => {
  const records = [
    runRecord({
      cell: "few-shot",
      startedAt: "2026-11-19T09:00:00.000Z",
      values: { useful: 0.9 },
      calls: [modelCall({ inputTokens: 1000, outputTokens: 50 })],
    }),
    runRecord({
      cell: "plain-prompt",
      startedAt: "2026-11-19T08:00:00.000Z", // earlier than the line above it
      values: { useful: 0.6, label: "a|b", ok: true, detail: { b: [1, 2], a: null } },
      calls: [
        modelCall({ model: "gpt-4o-mini", inputTokens: 500, outputTokens: 40, replayed: true }),
        modelCall({ model: "gpt-4o", inputTokens: 2000, outputTokens: null, replayed: false }),
        modelCall({ model: "gpt-4o-mini", inputTokens: null, outputTokens: 10, replayed: true, sample: 2 }),
      ],
      verdict: reproduced,
    }),
    runRecord({
      cell: "few-shot",
      startedAt: "2026-11-20T20:00:00.000Z",
      values: { useful: 0.7 },
      calls: [modelCall({ replayed: true, inputTokens: 1000, outputTokens: 60 })],
      verdict: drifted([
        { what: "useful", before: "0.9", after: "0.7" },
        { what: "result", before: "9", after: "7" },
        { what: "model answer 1 (fast)", before: "aaaa", after: "bbbb" },
        { what: "model calls", before: "1", after: "2" },
      ]),
    }),
    runRecord({
      cell: "cell-4",
      cellSource: "fallback",
      startedAt: "2026-11-20T10:00:00.000Z",
      status: "error",
      error: { ename: "TimeoutError", evalue: "request took 30s\nmore" },
      verdict: { kind: "failed", summary: "✗ failed", changes: [] },
    }),
    runRecord({ cell: "deleted-cell", startedAt: "2026-11-18T07:00:00.000Z" }),
  ];

  it("is undefined without records, so the draft says there are none", () => {
    expect(buildEvidence(summaries, [], { notebookFileName: "summaries.ipynb" })).toBeUndefined();
  });

  it("takes each cell's latest run: metrics, models, tokens, replays and the rerun verdict", () => {
    const evidence = buildEvidence(summaries, records, { notebookFileName: "summaries.ipynb" })!;
    expect(evidence).toEqual({
      // Every record counts for the span, the deleted cell's too.
      firstRunAt: "2026-11-19T08:00:00.000Z",
      lastRunAt: "2026-11-20T20:00:00.000Z",
      cells: [
        {
          cell: 2,
          cellId: "plain-prompt",
          run: 2,
          rerun: { verdict: "reproduced" },
          models: [
            { model: "gpt-4o", calls: 1, tokensIn: 2000, tokensOut: 0, replayed: 0 },
            { model: "gpt-4o-mini", calls: 2, tokensIn: 500, tokensOut: 50, replayed: 2 },
          ],
          metrics: { detail: '{"a":null,"b":[1,2]}', label: "a|b", ok: true, useful: 0.6 },
        },
        {
          cell: 3,
          cellId: "few-shot",
          run: 3,
          rerun: { verdict: "drifted", detail: "useful 0.9 → 0.7; result 9 → 7; model answer 1 (fast) aaaa → bbbb; and 1 more" },
          models: [{ model: "gpt-4o-mini", calls: 1, tokensIn: 1000, tokensOut: 60, replayed: 1 }],
          metrics: { useful: 0.7 },
        },
        {
          cell: 4,
          cellId: "temperature",
          run: 4,
          rerun: { verdict: "failed", detail: "TimeoutError: request took 30s" },
          models: [],
          metrics: {},
        },
      ],
      reproduceCommand: "labtrail reproduce summaries.ipynb --mode replay",
    });
  });

  it("leaves out the rerun of a cell's first run and quotes an odd file name in the command", () => {
    const evidence = buildEvidence(summaries, [runRecord({ cell: "few-shot" })], { notebookFileName: "my draft's.ipynb" })!;
    expect(evidence.cells[0]).not.toHaveProperty("rerun");
    expect(evidence.reproduceCommand).toBe("labtrail reproduce 'my draft'\\''s.ipynb' --mode replay");
  });

  it("keeps plain values and writes the rest as canonical JSON", () => {
    expect(metricsOf({ z: "s", n: 0, b: false, nil: null, list: [{ y: 1, x: 2 }] })).toEqual({
      b: false,
      list: '[{"x":2,"y":1}]',
      n: 0,
      nil: "null",
      z: "s",
    });
  });

  it("renders into the draft's appendix, the same bytes every time", () => {
    const render = () =>
      renderDesignDoc(summaries, {
        notebookName: "summaries.ipynb",
        evidence: buildEvidence(summaries, records, { notebookFileName: "summaries.ipynb" }),
      });
    const doc = render();
    expect(doc.slice(doc.indexOf("## Evidence"))).toBe(
      [
        "## Evidence",
        "",
        "| Cell | Model | Calls | Tokens in/out | Replayed | Metrics |",
        "|---|---|---|---|---|---|",
        '| 2 | gpt-4o, gpt-4o-mini | 3 | 2,500 / 50 | 2/3 | detail=\\{"a":null,"b":\\[1,2\\]\\}, label=a\\|b, ok=true, useful=0.6 |',
        "| 3 | gpt-4o-mini | 1 | 1,000 / 60 | 1/1 | useful=0.7 |",
        "| 4 | — | 0 | 0 / 0 | 0/0 | — |",
        "",
        "Totals over the latest runs above: 4 model calls (3 replayed, 1 live); 3,500 tokens in, 110 out.",
        "",
        "Reproduce: `labtrail reproduce summaries.ipynb --mode replay`",
        "",
      ].join("\n"),
    );
    expect(doc).toContain(
      '| [3](summaries.ipynb "cell id few-shot") | few-shot prompt with 3 examples | — | 9/10 useful, +40% tokens | supported | drifted ⚠ |',
    );
    expect(doc).toContain(
      "- Cell 3's last rerun drifted from the Found it states (useful 0.9 → 0.7; result 9 → 7; model answer 1 (fast) aaaa → bbbb; and 1 more): recheck before relying on it.",
    );
    expect(doc).toContain("- Cell 4's last rerun failed (TimeoutError: request took 30s).");
    expect(render()).toBe(doc);
  });
});

describe("findStaleFound", () => {
  const F = "9/10 useful";
  const runs = (...records: Partial<RunRecord>[]): NumberedRun[] =>
    records.map((overrides, i) => ({ run: i + 1, record: runRecord({ codeHash: "now", ...overrides }) }));

  it("needs a Found and a run", () => {
    expect(findStaleFound(undefined, "now", runs({}))).toBeNull();
    expect(findStaleFound(F, "now", [])).toBeNull();
  });

  it("flags code changed after the last run", () => {
    expect(findStaleFound(F, "now", runs({ codeHash: "before", header: { found: F } }))).toEqual({
      reason: "code-changed",
      run: 1,
      message: "Found may be stale: the code changed after the last run (rerun the cell and update Found)",
    });
  });

  it("flags results that drifted after Found was written", () => {
    const history = runs(
      { values: { useful: 0.9 } },
      { header: { found: F }, values: { useful: 0.9 }, verdict: reproduced },
      { header: { found: F }, values: { useful: 0.7 }, verdict: drifted([]) },
      { header: { found: F }, values: { useful: 0.7 }, verdict: reproduced },
    );
    expect(findStaleFound(F, "now", history)).toEqual({
      reason: "results-drifted",
      run: 3,
      message: "Found may be stale: the results drifted after Found was written (run 3)",
    });
  });

  it("counts the run that first carried Found: it ran after Found was written", () => {
    expect(findStaleFound(F, "now", runs({ codeHash: "old" }, { header: { found: F }, verdict: changed }))).toEqual({
      reason: "code-changed-since-found",
      run: 2,
      message: "Found may be stale: the code changed after Found was written (run 2)",
    });
  });

  it("does not flag drift before Found was written, nor a Found rewritten since", () => {
    expect(findStaleFound(F, "now", runs({}, { verdict: drifted([]) }, { header: { found: F }, verdict: reproduced }))).toBeNull();
    expect(
      findStaleFound(
        F,
        "now",
        runs(
          { header: { found: "old text" } },
          { header: { found: "old text" }, verdict: drifted([]) },
          { header: { found: F }, verdict: reproduced },
        ),
      ),
    ).toBeNull();
    // Written after the last run (no record has seen it): nothing to judge it by but the code.
    expect(findStaleFound(F, "now", runs({}, { verdict: drifted([]) }))).toBeNull();
  });

  it("compares the latest results with the ones Found was written against: drifted and back is not stale", () => {
    const history = runs(
      { values: { useful: 0.9 } },
      { header: { found: F }, values: { useful: 0.9 }, verdict: reproduced },
      { header: { found: F }, values: { useful: 0.7 }, verdict: drifted([]) },
      { header: { found: F }, values: { useful: 0.9 }, verdict: drifted([]) },
    );
    expect(findStaleFound(F, "now", history)).toBeNull();
    // Within the tolerance is the same; past it is not.
    const close = runs({ values: { useful: 0.9 } }, { header: { found: F }, values: { useful: 0.9001 }, verdict: drifted([]) });
    expect(findStaleFound(F, "now", close, { tolerance: 0.01 })).toBeNull();
    expect(findStaleFound(F, "now", close)).toMatchObject({ reason: "results-drifted", run: 2 });
  });

  it("takes a confirmed Found's run as the baseline, for that Found and that code only", () => {
    const history = runs(
      { values: { useful: 0.9 } },
      { header: { found: F }, values: { useful: 0.9 }, verdict: reproduced },
      { header: { found: F }, values: { useful: 0.7 }, verdict: drifted([]) },
    );
    expect(findStaleFound(F, "now", history)).toMatchObject({ reason: "results-drifted", run: 3 });
    const confirmation = { found: F, codeHash: "now", run: 3 };
    expect(findStaleFound(F, "now", history, { confirmation })).toBeNull();
    // Another Found text, other code, or a run the cell does not have: the confirmation does not apply.
    expect(findStaleFound(F, "now", history, { confirmation: { ...confirmation, found: "8/10" } })).toMatchObject({ run: 3 });
    expect(findStaleFound(F, "now", history, { confirmation: { ...confirmation, codeHash: "then" } })).toMatchObject({ run: 3 });
    expect(findStaleFound(F, "now", history, { confirmation: { ...confirmation, run: 9 } })).toMatchObject({ run: 3 });
    // A later run that drifts from the confirmed one makes it stale again; one that reproduces it does not.
    const later = [...history, { run: 4, record: runRecord({ codeHash: "now", header: { found: F }, values: { useful: 0.5 } }) }];
    expect(findStaleFound(F, "now", later, { confirmation })).toEqual({
      reason: "results-drifted",
      run: 4,
      message: "Found may be stale: the results drifted after Found was written (run 4)",
    });
    const same = [...history, { run: 4, record: runRecord({ codeHash: "now", header: { found: F }, values: { useful: 0.7 } }) }];
    expect(findStaleFound(F, "now", same, { confirmation })).toBeNull();
    // The code changing after the last run is not something a confirmation can vouch for.
    expect(findStaleFound(F, "later", history, { confirmation: { ...confirmation, codeHash: "later" } })).toMatchObject({
      reason: "code-changed",
    });
  });
});
