// `labtrail lint` through the built CLI in a real child process, on real notebook files.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseNotebook } from "../../kernel/src/core";
import { codeHash } from "../../kernel/src/records/code-hash";
import { generateNotebook, runCli } from "../fixtures";
import { jsonl, runRecord } from "../support/run-records";

const fixtures = "test/fixtures";
const problemsNb = `${fixtures}/notebooks/problems.ipynb`;

/** Output the user must never see: a stack trace. */
const STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-lint-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("labtrail lint", () => {
  it("exits 0 without a word on clean notebooks", () => {
    const run = runCli(["lint", `${fixtures}/notebooks/forms.ipynb`]);
    expect(run).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("prints path:cell N:line:col: message per problem and exits 1", () => {
    const run = runCli(["lint", problemsNb]);
    expect(run.status).toBe(1);
    expect(run.stdout.split("\n")).toEqual([
      `${problemsNb}:cell 2:1:1: missing Tested: add "// Tested: <what this cell tries>" at the top of the cell`,
      `${problemsNb}:cell 3:1:4: missing Found: the cell has run; add "// Found: <what the run showed>" to its header`,
      `${problemsNb}:cell 4:2:4: unknown header key "Fnd" (did you mean "Found"?)`,
      `${problemsNb}:cell 5:2:4: duplicate key "tested" (first given at line 1); only the first is used`,
      `${problemsNb}:cell 6:3:13: Verdict must start with supported, refuted or inconclusive, not "maybe"`,
      `${problemsNb}:cell 7:2:1: missing Tested: the header must be at the very top of the cell; move "Tested:" from line 2 above the code at line 1`,
      "",
    ]);
    expect(run.stderr).toBe("error: 6 header problems in 1 notebook\n");
  });

  it("prints the same problems as JSON with --format json", () => {
    const run = runCli(["lint", "--format", "json", problemsNb, `${fixtures}/notebooks/forms.ipynb`]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ notebooks: 2, problems: 6, unreadable: 0 });
    expect(report.unreadable).toEqual([]);
    expect(report.problems[2]).toEqual({
      path: problemsNb,
      cell: 4,
      cellId: "unknown",
      line: 2,
      column: 4,
      endLine: 2,
      endColumn: 7,
      code: "unknown-key",
      key: null,
      message: 'unknown header key "Fnd" (did you mean "Found"?)',
    });
    expect(report.problems.map((p: { code: string }) => p.code)).toEqual([
      "missing-key",
      "missing-key",
      "unknown-key",
      "duplicate-key",
      "invalid-verdict",
      "missing-key",
    ]);
  });

  it.each([
    ["invalid-json.ipynb", "invalid JSON: expected ',' or '}' after a property value, found '\"' (line 6, column 39)"],
    ["truncated.ipynb", "truncated JSON: the file ends inside a string (line 80, column 5)"],
    ["empty.ipynb", "empty file (0 bytes), not a notebook"],
    ["nbformat3.ipynb", "nbformat 3 notebook; labtrail reads nbformat 4 (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE)"],
    ["missing-cells.ipynb", 'not a valid nbformat 4 notebook: missing "cells" (expected a list of cells)'],
    ["wrong-types.ipynb", "not a valid nbformat 4 notebook: cells[1].source: expected a string or a list of strings, got 42"],
    ["binary.ipynb", "binary data, not a notebook (a NUL byte at byte offset 8; notebooks are JSON text)"],
    ["invalid-utf8.ipynb", "not valid UTF-8: byte 0xE9 at line 12 (byte offset 204); notebooks are UTF-8 JSON"],
    ["utf16.ipynb", "the file is UTF-16 text; notebooks are UTF-8 (save it as UTF-8)"],
    ["directory.ipynb", "is a directory, not a notebook file"],
    ["no-such-notebook.ipynb", "no such file"],
  ])("exits 2 on %s with one line naming the file and the problem", (name, problem) => {
    const path = `${fixtures}/broken/${name}`;
    const run = runCli(["lint", path]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `${path}: ${problem}\nerror: 1 of 1 notebook could not be read\n` });
  });

  it("still lints the readable notebooks when some are not, and exits 2", () => {
    const bad = [`${fixtures}/broken/truncated.ipynb`, `${fixtures}/broken/binary.ipynb`];
    const run = runCli(["lint", bad[0], problemsNb, bad[1]]);
    expect(run.status).toBe(2);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(6);
    expect(run.stderr.split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^${bad[0]}: truncated JSON`)),
      expect.stringMatching(new RegExp(`^${bad[1]}: binary data`)),
      "error: 2 of 3 notebooks could not be read",
      "",
    ]);
    expect(run.stderr).not.toMatch(STACK);

    const json = runCli(["lint", "--format", "json", bad[0], problemsNb]);
    expect(json.status).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toEqual({ notebooks: 2, problems: 6, unreadable: 1 });
    expect(report.unreadable).toEqual([{ path: bad[0], message: "truncated JSON: the file ends inside a string (line 80, column 5)" }]);
  });

  it("takes the required keys from the nearest labtrail.config.json", () => {
    copyFileSync(`${fixtures}/notebooks/forms.ipynb`, join(dir, "forms.ipynb"));
    writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify({ header: { required: ["tested", "verdict"] } }));
    const run = runCli(["lint", "forms.ipynb"], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      [
        'forms.ipynb:cell 1:1:4: missing Verdict: the cell has run; add "// Verdict: <supported | refuted | inconclusive>" to its header',
        'forms.ipynb:cell 2:1:5: missing Verdict: the cell has run; add "// Verdict: <supported | refuted | inconclusive>" to its header',
        'forms.ipynb:cell 3:3:4: missing Verdict: the cell has run; add "// Verdict: <supported | refuted | inconclusive>" to its header',
        "",
      ].join("\n"),
    );
  });

  it("exits 2 on an invalid config, naming the file and the key", () => {
    copyFileSync(`${fixtures}/notebooks/forms.ipynb`, join(dir, "forms.ipynb"));
    writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify({ header: { mode: "strict" } }));
    const run = runCli(["lint", "forms.ipynb"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      `forms.ipynb: cannot lint: ${join(dir, "labtrail.config.json")}: header.mode: expected "off", "warn" or "block"`,
    );
  });

  it("exits 2 on a usage error, in one line", () => {
    const run = runCli(["lint", "--format", "xml", problemsNb]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/xml/);
  });

  it("lints a generated 10,000-cell notebook (the figure of its speed is taken by measurement, not here)", () => {
    writeFileSync(join(dir, "big.ipynb"), generateNotebook(10_000));
    const run = runCli(["lint", "big.ipynb"], { cwd: dir });
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    const ranWithoutHeader = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 !== 0).length;
    expect(lines).toHaveLength(5_000 + ranWithoutHeader);
    expect(lines[0]).toBe('big.ipynb:cell 2:1:1: missing Tested: add "// Tested: <what this cell tries>" at the top of the cell');
    expect(lines[lines.length - 1]).toMatch(/^big\.ipynb:cell 10000:1:1: missing Tested/);
  });
});

describe("labtrail lint with run records beside the notebook", () => {
  // summaries.ipynb: cell 2 plain-prompt, 3 few-shot, 4 temperature have a Found; cell 5 has no header.
  const summaries = `${fixtures}/notebooks/summaries.ipynb`;
  const parsed = parseNotebook(readFileSync(summaries, "utf8"));
  if (!parsed.ok) throw new Error(parsed.problem);
  const cells = parsed.notebook.cells;
  const hash = (position: number) => codeHash(cells[position - 1].source);
  const PLAIN_FOUND = "6/10; long diffs get generic summaries";
  const CELL5 = 'summaries.ipynb:cell 5:1:1: missing Tested: add "// Tested: <what this cell tries>" at the top of the cell';
  const TORN = "warning: summaries.labtrail/runs.jsonl line 5: an incomplete last record (the kernel stopped while writing it); skipped";

  beforeEach(() => {
    copyFileSync(summaries, join(dir, "summaries.ipynb"));
    mkdirSync(join(dir, "summaries.labtrail"));
  });
  const writeRuns = (text: string) => writeFileSync(join(dir, "summaries.labtrail", "runs.jsonl"), text);

  it("flags a Found whose cell's code changed after the last run, and one whose results drifted after it was written", () => {
    writeRuns(
      `${jsonl([
        runRecord({ cell: "plain-prompt", codeHash: hash(2), header: { found: PLAIN_FOUND }, values: { useful: 0.6 } }),
        runRecord({ cell: "few-shot", codeHash: "the code before the last edit" }),
        runRecord({
          cell: "plain-prompt",
          codeHash: hash(2),
          header: { found: PLAIN_FOUND },
          values: { useful: 0.5 },
          verdict: { kind: "drifted", summary: "≠ drifted", changes: [{ what: "useful", before: "0.6", after: "0.5" }] },
        }),
        // Rerun with the same code and no drift: not stale.
        runRecord({ cell: "temperature", codeHash: hash(4), header: { found: "0 is stable across 3 reruns; 0.7 varies" } }),
      ])}{"v":1,"cell":"tor`,
    );
    const run = runCli(["lint", "summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({
      status: 1,
      stdout: [
        "summaries.ipynb:cell 2:3:4: Found may be stale: the results drifted after Found was written (run 3)",
        "summaries.ipynb:cell 3:2:4: Found may be stale: the code changed after the last run (rerun the cell and update Found)",
        CELL5,
        "",
      ].join("\n"),
      stderr: `${TORN}\nerror: 3 header problems in 1 notebook\n`,
    });

    const json = runCli(["lint", "--format", "json", "summaries.ipynb"], { cwd: dir });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.warnings).toEqual([TORN]);
    expect(report.problems[0]).toEqual({
      path: "summaries.ipynb",
      cell: 2,
      cellId: "plain-prompt",
      line: 3,
      column: 4,
      endLine: 3,
      endColumn: 49,
      code: "stale-found",
      key: "found",
      message: "Found may be stale: the results drifted after Found was written (run 3)",
    });
    expect(report.problems.map((p: { code: string }) => p.code)).toEqual(["stale-found", "stale-found", "missing-key"]);
  });

  it("flags nothing stale without records, or with records that match", () => {
    rmSync(join(dir, "summaries.labtrail"), { recursive: true });
    expect(runCli(["lint", "summaries.ipynb"], { cwd: dir })).toEqual({
      status: 1,
      stdout: `${CELL5}\n`,
      stderr: "error: 1 header problem in 1 notebook\n",
    });
    mkdirSync(join(dir, "summaries.labtrail"));
    writeRuns(jsonl([runRecord({ cell: "plain-prompt", codeHash: hash(2), header: { found: PLAIN_FOUND } })]));
    expect(runCli(["lint", "summaries.ipynb"], { cwd: dir })).toEqual({
      status: 1,
      stdout: `${CELL5}\n`,
      stderr: "error: 1 header problem in 1 notebook\n",
    });
    expect(JSON.parse(runCli(["lint", "--format", "json", "summaries.ipynb"], { cwd: dir }).stdout).warnings).toEqual([]);
  });
});
