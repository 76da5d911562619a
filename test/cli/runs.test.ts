// `labtrail runs` through the built CLI in a real child process, on a real notebook and runs.jsonl
// (ending in a torn line, as a kernel killed mid-write leaves it).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { judgeRun } from "../../kernel/src/core";
import { notebook, runCli } from "../fixtures";
import { jsonl, modelCall, runRecord } from "../support/run-records";

const TORN = "warning: summaries.labtrail/runs.jsonl line 5: an incomplete last record (the kernel stopped while writing it); skipped\n";

// Cells of summaries.ipynb: 1 spec (Markdown), 2 plain-prompt, 3 few-shot, 4 temperature, 5 plot, 6 raw.
const records = [
  runRecord({
    cell: "plain-prompt",
    execution: 4,
    startedAt: "2026-11-19T08:00:00.250Z",
    durationMs: 2400,
    values: { useful: 0.6, note: "long diffs" },
    calls: [modelCall(), modelCall({ model: "gpt-4o", inputTokens: 1000, outputTokens: 200 })],
  }),
  runRecord({
    cell: "few-shot",
    execution: 7,
    startedAt: "2026-11-19T08:05:00Z",
    durationMs: 340,
    values: { useful: 0.9 },
    calls: [modelCall({ replayed: true })],
  }),
  runRecord({
    cell: "plain-prompt",
    execution: 8,
    startedAt: "2026-11-19T09:00:00Z",
    durationMs: 75_000,
    values: { useful: 0.5, note: "long diffs" },
    calls: [modelCall({ replayed: true }), modelCall({ model: "gpt-4o", inputTokens: 1000, outputTokens: 200, replayed: true })],
    verdict: { kind: "drifted", summary: "≠ drifted: useful 0.6 → 0.5", changes: [{ what: "useful", before: "0.6", after: "0.5" }] },
  }),
  runRecord({
    cell: "gone-cell-1234567890",
    execution: null,
    startedAt: "2026-11-19T09:30:00Z",
    status: "error",
    error: { ename: "TypeError", evalue: "x is not a function" },
    verdict: { kind: "failed", summary: "✗ failed: TypeError: x is not a function", changes: [] },
  }),
];

const HEADER = "run  time                 cell          exec  status  verdict  duration    calls           tokens in/out  values";
const ROWS = [
  '1    2026-11-19T08:00:00  #2            4     ok      new      2.4 s       2               1,100 / 220    note="long diffs" useful=0.6',
  "2    2026-11-19T08:05:00  #3            7     ok      new      340 ms      1 (1 replayed)  100 / 20       useful=0.9",
  '3    2026-11-19T09:00:00  #2            8     ok      drifted  1 min 15 s  2 (2 replayed)  1,100 / 220    note="long diffs" useful=0.5',
  "     ≠ useful: 0.6 → 0.5",
  "4    2026-11-19T09:30:00  gone-cell-1…  —     error   failed   1.2 s       —               —",
  "     ✗ TypeError: x is not a function",
];

let dir: string;
const runs = (...args: string[]) => runCli(["runs", "summaries.ipynb", ...args], { cwd: dir, env: { TZ: "UTC" } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-runs-"));
  copyFileSync(notebook("summaries.ipynb"), join(dir, "summaries.ipynb"));
  mkdirSync(join(dir, "summaries.labtrail"));
  writeFileSync(join(dir, "summaries.labtrail", "runs.jsonl"), `${jsonl(records)}{"v":1,"notebook":"summ`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("labtrail runs", () => {
  it("prints the history as a table, changes under drifted rows, and warns about the torn line", () => {
    expect(runs()).toEqual({ status: 0, stdout: `${[HEADER, ...ROWS].join("\n")}\n`, stderr: TORN });
  });

  it("shows times in local time", () => {
    const run = runCli(["runs", "summaries.ipynb"], { cwd: dir, env: { TZ: "Asia/Tokyo" } });
    expect(run.stdout.split("\n")[1]).toMatch(/^1 {4}2026-11-19T17:00:00 /);
  });

  it("keeps one cell's runs with --cell, by position, id or id prefix", () => {
    const cell2 = [
      "run  time                 cell  exec  status  verdict  duration    calls           tokens in/out  values",
      '1    2026-11-19T08:00:00  #2    4     ok      new      2.4 s       2               1,100 / 220    note="long diffs" useful=0.6',
      '3    2026-11-19T09:00:00  #2    8     ok      drifted  1 min 15 s  2 (2 replayed)  1,100 / 220    note="long diffs" useful=0.5',
      "     ≠ useful: 0.6 → 0.5",
      "",
    ].join("\n");
    for (const spec of ["2", "plain-prompt", "plai"]) expect(runs("--cell", spec)).toEqual({ status: 0, stdout: cell2, stderr: TORN });
    // A cell the notebook no longer has, known from its records.
    expect(runs("--cell", "gone").stdout.split("\n")[1]).toMatch(/^4 .* gone-cell-1… /);
    expect(runs("--cell", "4")).toEqual({
      status: 0,
      stdout: "no runs of cell 4 recorded yet in summaries.labtrail/runs.jsonl\n",
      stderr: TORN,
    });
  });

  it("exits 2 with one line for a --cell that names no code cell", () => {
    expect(runs("--cell", "99")).toEqual({ status: 2, stdout: "", stderr: "error: --cell 99: summaries.ipynb has 6 cells\n" });
    expect(runs("--cell", "1")).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: --cell 1: cell 1 is a markdown cell; runs are recorded for code cells\n",
    });
    expect(runs("--cell", "nope")).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: --cell nope: no code cell of summaries.ipynb has that position or id\n",
    });
    expect(runs("--cell", "p")).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: --cell p: more than one cell id starts with it: plain-prompt (cell 2), plot (cell 5)\n",
    });
  });

  it("prints the records, their run numbers and cell positions, and the file's problems as JSON", () => {
    const run = runs("--json");
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    expect(out.notebook).toBe("summaries.ipynb");
    expect(out.file).toBe(join("summaries.labtrail", "runs.jsonl"));
    expect(out.problems).toEqual(["line 5: an incomplete last record (the kernel stopped while writing it); skipped"]);
    expect(out.records.map((r: { run: number; position: number | null; cell: string }) => [r.run, r.position, r.cell])).toEqual([
      [1, 2, "plain-prompt"],
      [2, 3, "few-shot"],
      [3, 2, "plain-prompt"],
      [4, null, "gone-cell-1234567890"],
    ]);
    const { run: _run, position: _position, ...first } = out.records[0];
    expect(first).toEqual(records[0]);
    expect(JSON.parse(runs("--json", "--cell", "3").stdout).records.map((r: { run: number }) => r.run)).toEqual([2]);
  });

  it("says there are no runs yet, and where they would be", () => {
    rmSync(join(dir, "summaries.labtrail"), { recursive: true });
    expect(runs()).toEqual({
      status: 0,
      stdout: "no runs recorded yet for summaries.ipynb (they would be in summaries.labtrail/runs.jsonl)\n",
      stderr: "",
    });
    expect(JSON.parse(runs("--json").stdout)).toEqual({
      notebook: "summaries.ipynb",
      file: "summaries.labtrail/runs.jsonl",
      records: [],
      problems: [],
    });
    // Only a torn line: no records, and the warning.
    mkdirSync(join(dir, "summaries.labtrail"));
    writeFileSync(join(dir, "summaries.labtrail", "runs.jsonl"), "{");
    expect(runs()).toEqual({
      status: 0,
      stdout: "no runs recorded yet for summaries.ipynb (they would be in summaries.labtrail/runs.jsonl)\n",
      stderr: "warning: summaries.labtrail/runs.jsonl line 1: an incomplete last record (the kernel stopped while writing it); skipped\n",
    });
  });

  it("exits 2 with one line for an unreadable notebook or records", () => {
    expect(runCli(["runs", "missing.ipynb"], { cwd: dir })).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: missing.ipynb: no such file\n",
    });
    rmSync(join(dir, "summaries.labtrail"), { recursive: true });
    mkdirSync(join(dir, "summaries.labtrail", "runs.jsonl"), { recursive: true });
    expect(runs()).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: summaries.labtrail/runs.jsonl: cannot read the run records: is a directory, not a file\n",
    });
  });
});

describe("labtrail runs --cell on a drifted answer", () => {
  it("prints what the answer said before and after as a word diff, as the cell's verdict line does", () => {
    const first = runRecord({
      cell: "few-shot",
      calls: [modelCall({ responseHash: "268c7f45", answer: "Summarizes the diff in one generic sentence." })],
      values: { useful: 0.9 },
    });
    const { verdict: _new, ...second } = runRecord({
      cell: "few-shot",
      execution: 2,
      calls: [modelCall({ responseHash: "6cbf3737", answer: "Summarizes the diff in one specific sentence." })],
      values: { useful: 0.7 },
    });
    const verdict = judgeRun(first, second, { tolerance: 1e-9 });
    writeFileSync(join(dir, "summaries.labtrail", "runs.jsonl"), jsonl([first, { ...second, verdict }]));
    const out = runs("--cell", "3").stdout.split("\n");
    expect(out.slice(3, 5)).toEqual([
      "     ≠ useful: 0.9 → 0.7",
      "     ≠ model answer 1 (fast): … diff in one [-generic-] {+specific+} sentence.",
    ]);
    expect(verdict.summary).toContain("model answer 1 (fast): … diff in one [-generic-] {+specific+} sentence.");
    expect(out.join("\n")).not.toContain("268c7f45");
  });
});
