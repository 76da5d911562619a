// `labtrail export` through the built CLI in a real child process, on real notebook files.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { broken, notebook, runCli } from "../fixtures";
import { jsonl, modelCall, runRecord } from "../support/run-records";

let dir: string;
let nbPath: string;
let original: Buffer;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-export-"));
  nbPath = join(dir, "summaries.ipynb");
  copyFileSync(notebook("summaries.ipynb"), nbPath);
  original = readFileSync(nbPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The notebook is only ever read. */
function expectNotebookUntouched() {
  expect(readFileSync(nbPath).equals(original)).toBe(true);
}

const STAMP = /\n\n<!-- labtrail export fingerprint: [0-9a-f]{16} — edit freely: labtrail export will not overwrite an edited draft -->\n$/;

/** The draft without its stamp line, after checking that it ends with one. */
function bodyOf(draft: string): string {
  expect(draft).toMatch(STAMP);
  return draft.replace(STAMP, "\n");
}

describe("labtrail export", () => {
  it("writes <name>.design.md beside the notebook", () => {
    const run = runCli(["export", "summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({ status: 0, stdout: "wrote summaries.design.md\n", stderr: "" });
    const draft = readFileSync(join(dir, "summaries.design.md"), "utf8");
    expect(draft.split("\n")[0]).toBe("# Commit-message summaries — design doc draft");
    expect(draft).toContain('| [2](summaries.ipynb "cell id plain-prompt") | a plain "summarize this diff" prompt |');
    expect(draft).toContain("- Undocumented: cell 5.");
    expect(bodyOf(draft).endsWith("No run records for this notebook yet, so no experiment above is backed by a recorded run.\n")).toBe(
      true,
    );
    expectNotebookUntouched();
    expect(readdirSync(dir).sort()).toEqual(["summaries.design.md", "summaries.ipynb"]);
  });

  it("gives the same bytes on every run and leaves an unchanged draft alone", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    const draftPath = join(dir, "summaries.design.md");
    const first = readFileSync(draftPath);
    const firstMtime = statSync(draftPath).mtimeMs;
    const again = runCli(["export", nbPath]);
    expect(again).toEqual({ status: 0, stdout: `${draftPath} is up to date\n`, stderr: "" });
    expect(readFileSync(draftPath).equals(first)).toBe(true);
    expect(statSync(draftPath).mtimeMs).toBe(firstMtime);
    expectNotebookUntouched();
  });

  it("prints the draft on stdout with -o -", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    const run = runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(readFileSync(join(dir, "summaries.design.md"), "utf8"));
    expect(readdirSync(dir).sort()).toEqual(["summaries.design.md", "summaries.ipynb"]);
  });

  it("-o - links as from beside the notebook, wherever it runs", () => {
    mkdirSync(join(dir, "elsewhere"));
    const run = runCli(["export", "../summaries.ipynb", "-o", "-"], { cwd: join(dir, "elsewhere") });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('| [2](summaries.ipynb "cell id plain-prompt") |');
    expect(run.stdout).not.toContain("../summaries.ipynb");
  });

  it("counts undocumented cells under the configured required keys, as lint and the status bar do", () => {
    writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify({ header: { required: ["tested", "found", "expect"] } }));
    const draft = runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir }).stdout;
    const lint = runCli(["lint", "--format", "json", "summaries.ipynb"], { cwd: dir });
    const lintCells = [...new Set(JSON.parse(lint.stdout).problems.map((p: { cell: number }) => p.cell))];
    expect(draft).toContain(`${lintCells.length} cells are undocumented.`);
    for (const cell of lintCells)
      expect(draft).toMatch(new RegExp(`[Cc]ell ${cell}\\b[^\\n]*(header|Undocumented)|Undocumented:[^\\n]*cell ${cell}\\b`));
  });

  it("does what the intro says: refreshes an untouched draft, keeps an edited one unless --force", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    const draftFile = join(dir, "summaries.design.md");
    const draft = readFileSync(draftFile, "utf8");
    expect(draft).toContain("Until you edit this file, `labtrail export summaries.ipynb` refreshes it");
    writeFileSync(draftFile, draft.replace("## Context", "## Context\n\nMine."));
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir }).status).toBe(2);
    expect(readFileSync(draftFile, "utf8")).toContain("Mine.");
    expect(runCli(["export", "summaries.ipynb", "--force"], { cwd: dir }).status).toBe(0);
    expect(readFileSync(draftFile, "utf8")).toBe(draft);
  });

  it("links the notebook relative to the draft written elsewhere with -o", () => {
    mkdirSync(join(dir, "docs", "drafts"), { recursive: true });
    const run = runCli(["export", "summaries.ipynb", "--output", "docs/drafts/summary.md"], { cwd: dir });
    expect(run).toEqual({ status: 0, stdout: "wrote docs/drafts/summary.md\n", stderr: "" });
    expect(readFileSync(join(dir, "docs", "drafts", "summary.md"), "utf8")).toContain(
      '| [2](../../summaries.ipynb "cell id plain-prompt") |',
    );
    expectNotebookUntouched();
  });

  it("refuses to write the draft over the notebook", () => {
    const run = runCli(["export", "summaries.ipynb", "-o", "./summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: ./summaries.ipynb: refusing to overwrite the notebook with its draft; pass another -o file\n",
    });
    expectNotebookUntouched();
  });

  it.each([
    ["truncated.ipynb", "truncated JSON: the file ends inside a string (line 80, column 5)"],
    ["nbformat3.ipynb", "nbformat 3 notebook; labtrail reads nbformat 4 (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE)"],
    ["directory.ipynb", "is a directory, not a notebook file"],
  ])("exits 2 on %s with one line and writes nothing", (name, problem) => {
    const path = broken(name);
    const run = runCli(["export", path, "-o", join(dir, "out.md")]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `error: ${path}: ${problem}\n` });
    expect(existsSync(join(dir, "out.md"))).toBe(false);
  });

  it("exits 2 when the draft cannot be written, leaving no temporary file", () => {
    const missing = runCli(["export", "summaries.ipynb", "-o", "no/such/dir/draft.md"], { cwd: dir });
    expect(missing).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: no/such/dir/draft.md: cannot write the draft: its directory does not exist\n",
    });
    mkdirSync(join(dir, "a-directory.md"));
    const directory = runCli(["export", "summaries.ipynb", "-o", "a-directory.md"], { cwd: dir });
    expect(directory.status).toBe(2);
    expect(directory.stderr).toBe("error: a-directory.md: is a directory; pass a file name to -o\n");
    expect(readdirSync(dir).sort()).toEqual(["a-directory.md", "summaries.ipynb"]);
    expectNotebookUntouched();
  });
});

describe("labtrail export and a draft someone keeps", () => {
  const draftPath = () => join(dir, "summaries.design.md");
  const EDITED =
    "error: summaries.design.md: edited since it was exported; pass --force to overwrite it, or -o to write the draft elsewhere\n";

  /** Rewrites the notebook's few-shot cell's Found, as a user does after a rerun. */
  function changeFound(found: string) {
    const nb = JSON.parse(readFileSync(nbPath, "utf8"));
    const cell = nb.cells.find((c: { id: string }) => c.id === "few-shot");
    cell.source = (cell.source as string[]).map((line) => (line.startsWith("// Found:") ? `// Found: ${found}\n` : line));
    writeFileSync(nbPath, JSON.stringify(nb, null, 1));
  }

  it("refuses to replace an edited draft and leaves it byte for byte as it was", () => {
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir }).status).toBe(0);
    const edited = readFileSync(draftPath(), "utf8").replace(
      "## Key decisions",
      "## Key decisions\n\nWe chose few-shot after the review on Monday.",
    );
    writeFileSync(draftPath(), edited);
    changeFound("10/10 useful");
    const run = runCli(["export", "summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({ status: 2, stdout: "", stderr: EDITED });
    expect(readFileSync(draftPath(), "utf8")).toBe(edited);
    expect(readdirSync(dir).sort()).toEqual(["summaries.design.md", "summaries.ipynb"]);
  });

  it("--force replaces an edited draft with the fresh one", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    writeFileSync(draftPath(), `${readFileSync(draftPath(), "utf8")}\nMy notes.\n`);
    const run = runCli(["export", "summaries.ipynb", "--force"], { cwd: dir });
    expect(run).toEqual({ status: 0, stdout: "wrote summaries.design.md\n", stderr: "" });
    expect(readFileSync(draftPath(), "utf8")).toBe(runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir }).stdout);
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir }).stdout).toBe("summaries.design.md is up to date\n");
    expectNotebookUntouched();
  });

  it("refreshes an untouched draft after the notebook changes", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    expect(readFileSync(draftPath(), "utf8")).toContain("| 9/10 useful, +40% tokens |");
    changeFound("10/10 useful with 4 examples");
    const run = runCli(["export", "summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({ status: 0, stdout: "wrote summaries.design.md\n", stderr: "" });
    const draft = readFileSync(draftPath(), "utf8");
    expect(draft).toContain("| 10/10 useful with 4 examples |");
    expect(draft).not.toContain("9/10 useful, +40% tokens");
    expect(draft).toBe(runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir }).stdout);
  });

  it("an untouched draft that an editor saved with CRLF line endings is still refreshed", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    writeFileSync(draftPath(), readFileSync(draftPath(), "utf8").replace(/\n/g, "\r\n"));
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir })).toEqual({ status: 0, stdout: "wrote summaries.design.md\n", stderr: "" });
    expect(readFileSync(draftPath(), "utf8")).not.toContain("\r");
  });

  it("a draft without a stamp (from an older labtrail) counts as edited", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    const unstamped = bodyOf(readFileSync(draftPath(), "utf8"));
    writeFileSync(draftPath(), unstamped);
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir })).toEqual({ status: 2, stdout: "", stderr: EDITED });
    expect(readFileSync(draftPath(), "utf8")).toBe(unstamped);
    // Written elsewhere with -o, the draft leaves the kept one alone.
    expect(runCli(["export", "summaries.ipynb", "-o", "fresh.md"], { cwd: dir }).status).toBe(0);
    expect(readFileSync(draftPath(), "utf8")).toBe(unstamped);
  });

  it("-o - prints the stamped draft and never looks at the kept one", () => {
    writeFileSync(draftPath(), "# My own design doc\n");
    const run = runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(bodyOf(run.stdout).split("\n")[0]).toBe("# Commit-message summaries — design doc draft");
    expect(readFileSync(draftPath(), "utf8")).toBe("# My own design doc\n");
  });
});

describe("labtrail export with run records beside the notebook", () => {
  const TORN = "warning: summaries.labtrail/runs.jsonl line 4: an incomplete last record (the kernel stopped while writing it); skipped\n";
  beforeEach(() => {
    mkdirSync(join(dir, "summaries.labtrail"));
    const records = [
      runRecord({
        cell: "few-shot",
        startedAt: "2026-11-19T08:00:00Z",
        values: { useful: 0.9, tokens: 640 },
        calls: [modelCall({ inputTokens: 1140, outputTokens: 64 }), modelCall({ inputTokens: 1160, outputTokens: 60, sample: 2 })],
      }),
      runRecord({
        cell: "few-shot",
        startedAt: "2026-11-20T20:00:00Z",
        values: { useful: 0.9, tokens: 640 },
        calls: [
          modelCall({ inputTokens: 1140, outputTokens: 64, replayed: true }),
          modelCall({ model: "gpt-4o", inputTokens: 1160, outputTokens: 60, sample: 2 }),
        ],
        verdict: { kind: "reproduced", summary: "✓ reproduced", changes: [] },
      }),
      runRecord({
        cell: "plain-prompt",
        startedAt: "2026-11-19T09:00:00Z",
        values: { useful: 0.6, notes: { long: "generic" } },
        calls: [modelCall({ replayed: true, inputTokens: 900, outputTokens: 45 })],
        verdict: { kind: "drifted", summary: "≠ drifted", changes: [{ what: "useful", before: "0.7", after: "0.6" }] },
      }),
    ];
    writeFileSync(join(dir, "summaries.labtrail", "runs.jsonl"), `${jsonl(records)}{"v":1,"cel`);
  });

  it("fills the evidence appendix: metrics, models, tokens, replay status and the reproduce command", () => {
    const run = runCli(["export", "summaries.ipynb"], { cwd: dir });
    expect(run).toEqual({ status: 0, stdout: "wrote summaries.design.md\n", stderr: TORN });
    const draft = readFileSync(join(dir, "summaries.design.md"), "utf8");
    expect(draft.split("\n")[2]).toBe(
      "> Draft exported from `summaries.ipynb` (results as of 2026-11-19); cell numbers count every cell from the top, Markdown cells included, as in `labtrail lint`. Until you edit this file, `labtrail export summaries.ipynb` refreshes it; once edited, export keeps your edits: add `--force` to replace them, or `-o` another file to write a fresh draft there.",
    );
    expect(draft).toContain(
      "- **Time box:** 2 days · the results below came from runs over 60 min (for each cell, the run that first gave its latest result; later reruns that reproduced it do not count)",
    );
    expect(draft).toContain(
      '| [3](summaries.ipynb "cell id few-shot") | few-shot prompt with 3 examples | — | 9/10 useful, +40% tokens | supported | reproduced |',
    );
    expect(draft).toContain("- Cell 2's last rerun drifted from the Found it states (useful 0.7 → 0.6): recheck before relying on it.");
    expect(bodyOf(draft).slice(draft.indexOf("## Evidence"))).toBe(
      [
        "## Evidence",
        "",
        "| Cell | Model | Calls | Tokens in/out | Replayed | Metrics |",
        "|---|---|---|---|---|---|",
        '| 2 | gpt-4o-mini | 1 | 900 / 45 | 1/1 | notes=\\{"long":"generic"\\}, useful=0.6 |',
        "| 3 | gpt-4o, gpt-4o-mini | 2 | 2,300 / 124 | 1/2 | tokens=640, useful=0.9 |",
        "",
        "Totals over the latest runs above: 3 model calls (2 replayed, 1 live); 3,200 tokens in, 169 out.",
        "",
        "Reproduce: `labtrail reproduce summaries.ipynb --mode replay`",
        "",
      ].join("\n"),
    );
    expectNotebookUntouched();
  });

  it("gives the same bytes every time, on stdout too", () => {
    runCli(["export", "summaries.ipynb"], { cwd: dir });
    const first = readFileSync(join(dir, "summaries.design.md"));
    expect(runCli(["export", "summaries.ipynb"], { cwd: dir })).toEqual({
      status: 0,
      stdout: "summaries.design.md is up to date\n",
      stderr: TORN,
    });
    const stdout = runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir, env: { TZ: "Asia/Tokyo" } });
    expect(stdout.status).toBe(0);
    expect(stdout.stderr).toBe(TORN);
    expect(Buffer.from(stdout.stdout).equals(first)).toBe(true);
  });

  it("warns about records it cannot read and exports without them", () => {
    rmSync(join(dir, "summaries.labtrail"), { recursive: true });
    mkdirSync(join(dir, "summaries.labtrail", "runs.jsonl"), { recursive: true });
    const run = runCli(["export", "summaries.ipynb", "-o", "-"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("warning: summaries.labtrail/runs.jsonl: cannot read the run records: is a directory, not a file\n");
    expect(bodyOf(run.stdout).endsWith("No run records for this notebook yet, so no experiment above is backed by a recorded run.\n")).toBe(
      true,
    );
  });
});
