// Linting a whole notebook: problems carry their cell, and the work grows with the headers, not the code.
import { readFileSync } from "node:fs";
import { codeHash, formatProblem, lintNotebook, type RunRecord } from "../../kernel/src/core";
import { generateNotebook, notebook, loadNotebook as load } from "../fixtures";
import { runRecord } from "../support/run-records";

describe("lintNotebook", () => {
  it("numbers cells as the notebook does, Markdown cells included, and keeps cell ids", () => {
    const { problems } = lintNotebook(load(readFileSync(notebook("problems.ipynb"), "utf8")));
    expect(problems.map((p) => formatProblem("problems.ipynb", p))).toEqual([
      'problems.ipynb:cell 2:1:1: missing Tested: add "// Tested: <what this cell tries>" at the top of the cell',
      'problems.ipynb:cell 3:1:4: missing Found: the cell has run; add "// Found: <what the run showed>" to its header',
      'problems.ipynb:cell 4:2:4: unknown header key "Fnd" (did you mean "Found"?)',
      'problems.ipynb:cell 5:2:4: duplicate key "tested" (first given at line 1); only the first is used',
      'problems.ipynb:cell 6:3:13: Verdict must start with supported, refuted or inconclusive, not "maybe"',
      'problems.ipynb:cell 7:2:1: missing Tested: the header must be at the very top of the cell; move "Tested:" from line 2 above the code at line 1',
    ]);
    expect(problems.map((p) => p.cellId)).toEqual(["no-header", "no-found", "unknown", "dup", "verdict", "below"]);
  });

  it("finds nothing wrong with every accepted form", () => {
    expect(lintNotebook(load(readFileSync(notebook("forms.ipynb"), "utf8"))).problems).toEqual([]);
  });

  it("applies the configured required keys", () => {
    const { problems } = lintNotebook(load(readFileSync(notebook("forms.ipynb"), "utf8")), { required: ["tested", "verdict"] });
    expect(problems.map((p) => [p.cell, p.key, p.code])).toEqual([
      [1, "verdict", "missing-key"],
      [2, "verdict", "missing-key"],
      [3, "verdict", "missing-key"],
    ]);
  });

  it("reads each cell's header and one more line: independent of code length, linear in cells", () => {
    const short = lintNotebook(load(generateNotebook(2_000, 2)));
    const long = lintNotebook(load(generateNotebook(2_000, 100)));
    // 1,000 cells with a three-line header (4 lines read each) and 1,000 without (1 line read each).
    expect(short.linesScanned).toBe(1_000 * 4 + 1_000 * 1);
    expect(long.linesScanned).toBe(short.linesScanned);
    const large = lintNotebook(load(generateNotebook(10_000, 2)));
    expect(large.linesScanned).toBe(5 * short.linesScanned);
    // Odd cells lack Tested; of those, the ones that ran (i % 3 != 0) lack Found too.
    const ranWithoutHeader = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 !== 0).length;
    expect(large.problems).toHaveLength(5_000 + ranWithoutHeader);
    expect(large.problems[0]).toMatchObject({ cell: 2, cellId: "c1", code: "missing-key", key: "tested" });
  });
});

// Cells: 1 spec (Markdown), 2 plain-prompt, 3 few-shot, 4 temperature, 5 plot (no header), 6 raw.
const summaries = load(readFileSync(notebook("summaries.ipynb"), "utf8"));
const source = (position: number) => summaries.cells[position - 1].source;
const drifted: RunRecord["verdict"] = { kind: "drifted", summary: "≠ drifted", changes: [] };

describe("lintNotebook with run records", () => {
  it("reports a stale Found at the Found field, in source order among the cell's other problems", () => {
    const records = [
      runRecord({ cell: "plain-prompt", codeHash: codeHash(source(2)), header: { found: "6/10; long diffs get generic summaries" } }),
      runRecord({
        cell: "plain-prompt",
        codeHash: codeHash(source(2)),
        header: { found: "6/10; long diffs get generic summaries" },
        values: { useful: 0.5 },
        verdict: drifted,
      }),
      runRecord({ cell: "few-shot", codeHash: "an older version of the code" }),
      runRecord({ cell: "temperature", codeHash: codeHash(source(4)), header: { found: "0 is stable across 3 reruns; 0.7 varies" } }),
    ];
    const { problems } = lintNotebook(summaries, { runs: { records, codeHash } });
    expect(problems.map((p) => [p.cell, p.cellId, p.code, p.key, p.start.line, p.start.column, p.end.line, p.message])).toEqual([
      [2, "plain-prompt", "stale-found", "found", 3, 4, 3, "Found may be stale: the results drifted after Found was written (run 2)"],
      [
        3,
        "few-shot",
        "stale-found",
        "found",
        2,
        4,
        2,
        "Found may be stale: the code changed after the last run (rerun the cell and update Found)",
      ],
      // Cell 5 has no header and no records: only its usual problem.
      [5, "plot", "missing-key", "tested", 1, 1, 1, 'missing Tested: add "// Tested: <what this cell tries>" at the top of the cell'],
    ]);
    const mixed = load(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: "code",
            id: "a",
            metadata: {},
            source: "// Fnd: typo\n// Tested: t\n// Found: x\n// Tset: typo\nrun()",
            outputs: [],
            execution_count: 1,
          },
        ],
      }),
    );
    const stale = lintNotebook(mixed, { runs: { records: [runRecord({ cell: "a", codeHash: "old" })], codeHash } }).problems;
    expect(stale.map((p) => [p.start.line, p.code])).toEqual([
      [1, "unknown-key"],
      [3, "stale-found"],
      [4, "unknown-key"],
    ]);
  });

  it("respects a Found confirmed against the latest run in the cell's metadata", () => {
    const found = "6/10; long diffs get generic summaries";
    const records = [
      runRecord({ cell: "plain-prompt", codeHash: codeHash(source(2)), header: { found }, values: { useful: 0.6 } }),
      runRecord({ cell: "plain-prompt", codeHash: codeHash(source(2)), header: { found }, values: { useful: 0.5 }, verdict: drifted }),
    ];
    const stale = (nb: typeof summaries) =>
      lintNotebook(nb, { runs: { records, codeHash } }).problems.filter((p) => p.code === "stale-found" && p.cell === 2);
    expect(stale(summaries)).toHaveLength(1);
    const confirmed = structuredClone(summaries);
    confirmed.cells[1].metadata = { labtrail: { verdict: "drifted", foundConfirmed: { found, codeHash: codeHash(source(2)), run: 2 } } };
    expect(stale(confirmed)).toEqual([]);
  });

  it("flags nothing without records, or for cells without a Found", () => {
    expect(lintNotebook(summaries, { runs: { records: [], codeHash } }).problems).toEqual(lintNotebook(summaries).problems);
    const noFound = load(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: "code", id: "a", metadata: {}, source: "// Tested: t\nrun()", outputs: [], execution_count: null }],
      }),
    );
    const records = [runRecord({ cell: "a", codeHash: "other" })];
    expect(lintNotebook(noFound, { runs: { records, codeHash } }).problems).toEqual([]);
  });
});
