// `labtrail reproduce` through the built CLI in a real child process: a fresh kernel runs real notebook
// files written to a temp folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellVerdict } from "../../labextension/src/notebook/verdict-metadata";
import { executedCellMetadata, type ReproduceReport } from "../../kernel/src/cli/commands/reproduce";
import { cellVerdictSchema, RERUN_VERDICTS, toCellVerdict } from "../../kernel/src/core";
import { runCli, type CliRun } from "../fixtures";

interface CellSpec {
  id?: string;
  type?: "code" | "markdown" | "raw";
  source: string;
}

/** nbformat 4.5 JSON, as Jupyter writes it (sources as lists of lines, 1-space indent). */
function notebookJson(cells: CellSpec[]): string {
  const lines = (source: string) => source.split(/(?<=\n)/).filter((line) => line !== "");
  return `${JSON.stringify(
    {
      cells: cells.map(({ id, type = "code", source }) => ({
        cell_type: type,
        ...(id !== undefined ? { id } : {}),
        metadata: {},
        ...(type === "code" ? { execution_count: null, outputs: [] } : {}),
        source: lines(source),
      })),
      metadata: {
        kernelspec: { display_name: "TypeScript (labtrail)", language: "typescript", name: "labtrail" },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-reproduce-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeNotebook(name: string, cells: CellSpec[]): string {
  const file = join(dir, name);
  writeFileSync(file, notebookJson(cells));
  return file;
}

/** Header enforcement is off: these notebooks are about running, not about the header contract. */
function reproduce(args: string[]): CliRun {
  return runCli(["reproduce", ...args], { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const VERDICTS = [...RERUN_VERDICTS, "unknown"];

describe("labtrail reproduce: running the notebook", () => {
  test("writes the executed notebook, keeps going after a failing cell, and never touches the input", () => {
    const nbPath = writeNotebook("run.ipynb", [
      { id: "intro", type: "markdown", source: "# A run\n" },
      { id: "greet", source: 'console.log("hello");\nconsole.log("world");\nconsole.error("careful");\n' },
      { id: "value", source: "const answer: number = 6 * 7;\nanswer\n" },
      {
        id: "display",
        source: 'import * as tslab from "tslab";\nconst shown = tslab.newDisplay();\nshown.text("first");\nshown.text("second");\n',
      },
      { id: "blank", source: "  \n" },
      { id: "notes", type: "raw", source: "raw text\n" },
      { id: "boom", source: 'throw new Error("boom");\n' },
      { source: "console.log(answer + 1);\n" },
    ]);
    const original = readFileSync(nbPath);

    const run = reproduce(["run.ipynb", "--json", "--output", "executed.ipynb"]);

    // A failed cell never reproduces: exit 1, with one line saying so.
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: \d of 5 code cells did not reproduce\n$/);
    expect(readFileSync(nbPath).equals(original)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    const report: ReproduceReport = JSON.parse(run.stdout);
    expect(Object.keys(report).sort()).toEqual(["cells", "mode", "notebook", "reproduced"]);
    expect(report).toMatchObject({ notebook: "run.ipynb", mode: "replay", reproduced: false });
    expect(report.cells.map((c) => [c.index, c.cellId, c.status])).toEqual([
      [2, "greet", "ok"],
      [3, "value", "ok"],
      [4, "display", "ok"],
      [7, "boom", "error"],
      [8, "cell-8", "ok"],
    ]);
    for (const cell of report.cells) {
      expect(Object.keys(cell).sort()).toEqual(["cellId", "changes", "durationMs", "index", "status", "summary", "verdict"]);
      expect(VERDICTS).toContain(cell.verdict);
      expect(typeof cell.summary).toBe("string");
      expect(Array.isArray(cell.changes)).toBe(true);
      expect(cell.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(report.cells[3]).toMatchObject({ verdict: "failed", status: "error" });
    expect(report.cells[3].summary).toContain("boom");

    const text = readFileSync(join(dir, "executed.ipynb"), "utf8");
    const executed = JSON.parse(text);
    expect(text).toBe(`${JSON.stringify(executed, null, 1)}\n`);
    const input = JSON.parse(original.toString("utf8"));
    expect(executed.metadata).toEqual(input.metadata);
    expect(executed.nbformat_minor).toBe(5);
    const cells = executed.cells;
    // Cells that do not run are copied as they were.
    for (const i of [0, 4, 5]) expect(cells[i]).toEqual(input.cells[i]);

    expect(cells[1].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "hello\nworld\n" },
      { output_type: "stream", name: "stderr", text: "careful\n" },
    ]);
    expect(cells[2].outputs).toEqual([{ output_type: "execute_result", execution_count: 2, data: { "text/plain": "42" }, metadata: {} }]);
    // update_display_data rewrote the display in place: one output, showing the last text.
    expect(cells[3].outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "second" }, metadata: {} }]);
    expect(cells[6].outputs).toHaveLength(1);
    expect(cells[6].outputs[0]).toMatchObject({ output_type: "error", ename: "Error", evalue: "boom" });
    expect(cells[6].outputs[0].traceback.join("\n")).toContain("boom");
    expect(cells[7].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "43\n" }]);
    expect([1, 2, 3, 6, 7].map((i) => cells[i].execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(cells.map((c: { source: unknown }) => c.source)).toEqual(input.cells.map((c: { source: unknown }) => c.source));

    for (const [i, cell] of [1, 2, 3, 6, 7].map((i, k) => [i, report.cells[k]] as const)) {
      const { execution, labtrail } = cells[i].metadata;
      expect(Object.keys(execution).sort()).toEqual(["iopub.execute_input", "shell.execute_reply"]);
      expect(execution["iopub.execute_input"]).toMatch(ISO);
      expect(execution["shell.execute_reply"]).toMatch(ISO);
      expect(Date.parse(execution["shell.execute_reply"])).toBeGreaterThanOrEqual(Date.parse(execution["iopub.execute_input"]));
      expect(labtrail).toEqual({ verdict: cell.verdict, durationMs: cell.durationMs });
    }
  });

  test("--timeout interrupts a busy cell and the next cells run; a dying kernel fails the rest with its log", () => {
    writeNotebook("loop.ipynb", [
      { id: "busy-loop-cell", source: "while (true) {}\n" },
      { id: "after", source: 'console.log("after the loop");\n' },
      { id: "dies", source: 'process.kill(process.pid, "SIGKILL");\n' },
      { id: "never", source: "1 + 1\n" },
    ]);
    const started = Date.now();
    const run = reproduce(["loop.ipynb", "--timeout", "1", "-o", "executed.ipynb"]);
    expect(Date.now() - started).toBeLessThan(20_000);

    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")).toHaveLength(2); // one line, then the final newline
    expect(run.stderr).toMatch(
      /^error: [34] of 4 code cells did not reproduce; the kernel exited unexpectedly \(killed by SIGKILL\); its log ends: .*kernel ready/,
    );

    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^#\s+cell\s+verdict\s+time\s+summary$/);
    expect(lines[1]).toMatch(/^1\s+busy-loo\s+failed\s+\d+\.\ds\s+timed out after 1 s and was interrupted$/);
    expect(lines[2]).toMatch(/^2\s+after\s+\w+\s+\S+\s/);
    expect(lines[3]).toMatch(/^3\s+dies\s+failed\s+\S+\s+the kernel exited unexpectedly \(killed by SIGKILL\)/);
    expect(lines[4]).toMatch(/^4\s+never\s+failed\s+-\s+not run: the kernel exited$/);
    expect(lines[5]).toMatch(/^4 cells: (1 \w+, )?3 failed$/);
    expect(lines[6]).toBe("hint: failed cells raised an error or did not finish; their outputs are in executed.ipynb");
    expect(lines).toHaveLength(7);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);

    const cells = JSON.parse(readFileSync(join(dir, "executed.ipynb"), "utf8")).cells;
    expect(cells[0].outputs).toEqual([expect.objectContaining({ output_type: "error", ename: "Interrupted" })]);
    expect(cells[0].metadata.labtrail.verdict).toBe("failed");
    expect(cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "after the loop\n" }]);
    // The cells without a reply keep what they had.
    expect(cells[2]).toMatchObject({ outputs: [], execution_count: null, metadata: {} });
    expect(cells[3]).toMatchObject({ outputs: [], execution_count: null, metadata: {} });
  });
});

describe("labtrail reproduce: input problems exit 2 with one line", () => {
  beforeEach(() => {
    writeNotebook("ok.ipynb", [{ id: "a", source: "1\n" }]);
    writeFileSync(join(dir, "broken.ipynb"), '{"cells": [{"cell_type": "code", "source": "1');
  });

  test.each([
    ["a missing notebook", ["missing.ipynb"], "error: missing.ipynb: no such file"],
    ["broken JSON", ["broken.ipynb"], "error: broken.ipynb: truncated JSON: the file ends inside a string (line 1, column 44)"],
    [
      "a bad --mode",
      ["ok.ipynb", "--mode", "rerun"],
      "error: option '--mode <mode>' argument 'rerun' is invalid. Allowed choices are replay, record, refresh.",
    ],
    [
      "a bad --timeout",
      ["ok.ipynb", "--timeout", "soon"],
      "error: option '--timeout <seconds>' argument 'soon' is invalid. expected a positive number of seconds.",
    ],
    [
      "--output in a missing folder",
      ["ok.ipynb", "-o", "no/such/out.ipynb"],
      "error: no/such/out.ipynb: cannot write the executed notebook: its directory does not exist",
    ],
    [
      "--output onto the notebook",
      ["ok.ipynb", "--output", "./ok.ipynb"],
      "error: ./ok.ipynb: refusing to overwrite the notebook; pass another --output file",
    ],
  ])("%s", (_what, args, message) => {
    const before = readdirSync(dir).sort();
    const run = reproduce(args);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `${message}\n` });
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe("labtrail reproduce: verdicts", () => {
  // Each run gets a fresh kernel; the kernel keeps its record beside the notebook.
  test("record, then replay reproduces every cell; an edited cell is changed and a new result drifted", () => {
    const cells: CellSpec[] = [
      { id: "setup", source: "const base = 2 + 3;\nconsole.log(`base is ${base}`);\n" },
      { id: "scale", source: "base * 10\n" },
      { id: "data-file", source: 'import { readFileSync } from "node:fs";\nreadFileSync("input.txt", "utf8").trim()\n' },
    ];
    const nbPath = writeNotebook("verdicts.ipynb", cells);
    writeFileSync(join(dir, "input.txt"), "first input\n");

    const recorded = reproduce(["verdicts.ipynb", "--mode", "record", "--json"]);
    const first: ReproduceReport = JSON.parse(recorded.stdout);
    expect(first).toMatchObject({ mode: "record", reproduced: false });
    expect(first.cells.map((c) => [c.cellId, c.verdict])).toEqual([
      ["setup", "new"],
      ["scale", "new"],
      ["data-file", "new"],
    ]);
    expect(recorded.status).toBe(1);

    // --no-record checks against the records and leaves them byte for byte.
    const runsFile = join(dir, "verdicts.labtrail", "runs.jsonl");
    const before = readFileSync(runsFile, "utf8");
    const checked = reproduce(["verdicts.ipynb", "--no-record"]);
    expect(checked.stdout).toMatch(/\n3 cells: 3 reproduced\n$/);
    expect(checked.status).toBe(0);
    expect(readFileSync(runsFile, "utf8")).toBe(before);

    const replayed = reproduce(["verdicts.ipynb"]);
    expect(replayed.stdout).toMatch(/\n3 cells: 3 reproduced\n$/);
    expect(readFileSync(runsFile, "utf8").length).toBeGreaterThan(before.length);
    expect(replayed.stdout).not.toContain("hint:");
    expect(replayed).toMatchObject({ status: 0, stderr: "" });

    // The code of one cell changes; what another cell reads changes under it.
    writeFileSync(nbPath, notebookJson([cells[0], { id: "scale", source: "base * 100\n" }, cells[2]]));
    writeFileSync(join(dir, "input.txt"), "second input\n");
    const edited = reproduce(["verdicts.ipynb"]);
    expect(edited.status).toBe(1);
    expect(edited.stderr).toBe("error: 2 of 3 code cells did not reproduce\n");
    const lines = edited.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^1\s+setup\s+reproduced\s/);
    expect(lines[2]).toMatch(/^2\s+scale\s+changed\s/);
    expect(lines[3]).toMatch(/^3\s+data-fil\s+drifted\s/);
    // The drifted cell's changes, one per line under its row.
    expect(lines[4]).toMatch(/^ {6}\S.*: .*first input.* → .*second input/);
    expect(lines.at(-2)).toBe("3 cells: 1 reproduced, 1 drifted, 1 changed");
    expect(lines.at(-1)).toMatch(/^hint: /);
  });
});

describe("labtrail reproduce: the verdicts in the executed notebook", () => {
  test("every run cell keeps its verdict as the extension reads it, a drift's changes clipped as the extension clips them", () => {
    const cells: CellSpec[] = [
      { id: "same", source: "1 + 1\n" },
      { id: "edited", source: "2 + 2\n" },
      { id: "reads", source: 'import { readFileSync } from "node:fs";\nreadFileSync("input.txt", "utf8").trim()\n' },
      { id: "boom", source: 'throw new Error("boom");\n' },
    ];
    const nbPath = writeNotebook("badges.ipynb", cells);
    writeFileSync(join(dir, "input.txt"), `${"first ".repeat(30)}\n`);
    expect(reproduce(["badges.ipynb", "--mode", "record"]).status).toBe(1);
    writeFileSync(nbPath, notebookJson([cells[0], { id: "edited", source: "2 + 3\n" }, cells[2], cells[3]]));
    writeFileSync(join(dir, "input.txt"), `${"second ".repeat(30)}\n`);

    const run = reproduce(["badges.ipynb", "--json", "--output", "executed.ipynb"]);
    const report = JSON.parse(run.stdout) as ReproduceReport;
    const verdicts = ["reproduced", "changed", "drifted", "failed"];
    expect(report.cells.map((c) => c.verdict)).toEqual(verdicts);

    const executed = JSON.parse(readFileSync(join(dir, "executed.ipynb"), "utf8")) as { cells: { metadata: Record<string, unknown> }[] };
    const kept = executed.cells.map(
      (c) => c.metadata.labtrail as { verdict: string; durationMs?: number; changes?: { what: string; before: string; after: string }[] },
    );
    expect(kept.map((value) => value.verdict)).toEqual(verdicts);
    for (const [i, value] of kept.entries()) {
      expect(cellVerdictSchema.parse(value)).toEqual(value);
      expect(cellVerdict(value)).toEqual(value);
      expect(value.durationMs).toBe(report.cells[i].durationMs);
    }
    const drift = report.cells[2];
    expect(drift.changes[0].after.length).toBeGreaterThan(80);
    expect(kept[2].changes).toEqual(toCellVerdict({ kind: "drifted", changes: drift.changes }).changes);
    expect(kept[2].changes?.[0].after).toHaveLength(80);
  });

  test('a cell the kernel gave no verdict keeps none: not "unknown", which the extension rejects, nor a stale one', () => {
    const times = { startedAt: new Date("2025-01-01T00:00:00Z"), finishedAt: new Date("2025-01-01T00:00:01Z") };
    const execution = { "iopub.execute_input": "2025-01-01T00:00:00.000Z", "shell.execute_reply": "2025-01-01T00:00:01.000Z" };
    const unknown = { verdict: "unknown" as const, changes: [], durationMs: 1000 };
    const stale = { verdict: "drifted", changes: [{ what: "a", before: "1", after: "2" }], durationMs: 3, note: "kept" };
    expect(executedCellMetadata({ tags: ["t"], labtrail: stale }, times, unknown)).toEqual({
      tags: ["t"],
      execution,
      labtrail: { note: "kept" },
    });
    expect(executedCellMetadata({}, times, unknown)).toEqual({ execution });
    expect(executedCellMetadata({ labtrail: stale }, times, { verdict: "new", changes: [], durationMs: 5 })).toEqual({
      execution,
      labtrail: { verdict: "new", durationMs: 5, note: "kept" },
    });
  });
});
