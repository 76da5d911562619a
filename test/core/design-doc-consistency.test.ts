// The draft never contradicts itself or the other views: one rule for "documented" (the status bar's),
// counts and "nothing open" from one tally, the user's casing kept, the span of the runs behind the
// results, one cell numbering with lint, and a rerun that reproduced leaves the draft byte for byte.
import { cellHeaderStatus, composeDraft, hasRun, lintNotebook, type Notebook, renderDesignDoc } from "../../kernel/src/core";
import { loadNotebook } from "../fixtures";
import { runRecord } from "../support/run-records";

type CellSpec = string | { md: string } | { code: string; ran: true };

function notebookOf(cells: CellSpec[]): Notebook {
  return loadNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map((cell, i) =>
        typeof cell === "object" && "md" in cell
          ? { cell_type: "markdown", id: `m${i + 1}`, metadata: {}, source: cell.md }
          : {
              cell_type: "code",
              id: `c${i + 1}`,
              metadata: {},
              source: typeof cell === "string" ? cell : cell.code,
              outputs: [],
              execution_count: typeof cell === "string" ? null : i + 1,
            },
      ),
    }),
  );
}

function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no section ${heading}`);
  const rest = doc.slice(start + heading.length + 2);
  const next = rest.search(/\n## /);
  return (next === -1 ? rest : rest.slice(0, next)).trim();
}

/** The numbers of the code cells the status bar counts as undocumented. */
function statusBarUndocumented(nb: Notebook, required?: Parameters<typeof cellHeaderStatus>[1]["required"]): number[] {
  return nb.cells
    .filter((cell) => cell.cellType === "code" && !cellHeaderStatus(cell.source, { hasRun: hasRun(cell), required }).documented)
    .map((cell) => cell.index + 1);
}

describe("one rule for documented", () => {
  const nb = notebookOf([
    { md: "# T" },
    "// Tested: a\n// Found: b\n// Verdict: supported\nrun()",
    { code: "// Tested: c\n// Verdict: supported\nrun()", ran: true },
  ]);

  it("counts a cell that ran without a Found as undocumented, as the status bar does", () => {
    expect(statusBarUndocumented(nb)).toEqual([3]);
    const doc = renderDesignDoc(nb, { notebookName: "n.ipynb" });
    expect(section(doc, "## Summary")).toBe("2 experiments: 2 supported. 1 cell is undocumented.");
    expect(doc).not.toContain("Every code cell is documented.");
    expect(section(doc, "## Open questions and next steps")).toBe("- Cell 3 has run, but its header does not say what was found.");
  });

  it("follows the configured required keys", () => {
    const required = ["tested", "found", "expect"] as const;
    expect(statusBarUndocumented(nb, required)).toEqual([2, 3]);
    const doc = renderDesignDoc(nb, { notebookName: "n.ipynb", required });
    expect(section(doc, "## Summary")).toBe("2 experiments: 2 supported. 2 cells are undocumented.");
    expect(section(doc, "## Open questions and next steps")).toBe(
      "- Cell 2's header is incomplete: needs Expect.\n- Cell 3's header is incomplete: needs Expect, Found.",
    );
  });

  it("reaches the draft through composeDraft's required keys", () => {
    const draft = composeDraft({ notebook: nb, notebookName: "n.ipynb", required: ["tested", "found", "expect"] });
    expect(draft).toContain("2 cells are undocumented.");
  });
});

describe("counts and nothing open from one tally", () => {
  it("lists the experiments without a verdict instead of saying every experiment has one", () => {
    const cells = Array.from({ length: 10 }, (_, i) => `// Tested: t${i}\n// Found: f${i}\nrun()`);
    const doc = renderDesignDoc(notebookOf(cells), { notebookName: "n.ipynb" });
    expect(section(doc, "## Summary")).toBe("10 experiments: 10 without a verdict. Every code cell is documented.");
    expect(doc).not.toContain("Nothing open");
    expect(section(doc, "## Open questions and next steps")).toBe(
      `- Without a verdict: ${Array.from({ length: 10 }, (_, i) => `cell ${i + 1}`).join(", ")}.`,
    );
  });

  it("says nothing is open only when every experiment has a verdict and every cell is documented", () => {
    const doc = renderDesignDoc(notebookOf(["// Tested: t\n// Found: f\n// Verdict: refuted\nrun()"]), { notebookName: "n.ipynb" });
    expect(section(doc, "## Summary")).toBe("1 experiment: 1 refuted. Every code cell is documented.");
    expect(section(doc, "## Open questions and next steps")).toBe(
      "_Nothing open: every experiment has a verdict and every code cell is documented._",
    );
  });
});

test("keeps the user's casing in every list", () => {
  const source = [
    "// Tested: gpt-4o-mini answers in JSON",
    "// Found: f",
    "// Verdict: refuted",
    "// Decision: iOS first",
    "// Tradeoff: eSIM costs more",
    "// Constraint: gpt-4o-mini reads at most 8k tokens",
    "// Next: npm publish",
    "run()",
  ].join("\n");
  const doc = renderDesignDoc(notebookOf([source]), { notebookName: "n.ipynb" });
  for (const line of [
    "- iOS first (cell 1)",
    "- eSIM costs more (cell 1)",
    "- gpt-4o-mini answers in JSON — refuted: f (cell 1)",
    "- gpt-4o-mini reads at most 8k tokens (cell 1)",
    "- npm publish (cell 1)",
  ]) {
    expect(doc).toContain(`\n${line}\n`);
  }
  expect(doc).not.toMatch(/Gpt-4o-mini|IOS|ESIM|Npm/);
});

describe("the runs behind the results", () => {
  const nb = notebookOf([{ md: "# T\nTime box: a day" }, "// Tested: a\n// Found: b\nrun()"]);
  const first = runRecord({ cell: "c2", codeHash: "old", startedAt: "2026-01-01T10:00:00.000Z" });
  // A colleague's runs of older code, ten days before; then the code changed and ran again.
  const changed = runRecord({
    cell: "c2",
    codeHash: "new",
    startedAt: "2026-01-11T10:00:00.000Z",
    verdict: { kind: "changed", summary: "changed", changes: [] },
  });
  const other = runRecord({
    cell: "c2",
    codeHash: "new",
    startedAt: "2026-01-11T10:30:00.000Z",
    verdict: { kind: "drifted", summary: "≠", changes: [] },
  });
  const reproduced = (at: string) =>
    runRecord({ cell: "c2", codeHash: "new", startedAt: at, verdict: { kind: "reproduced", summary: "✓ reproduced", changes: [] } });
  const draftOf = (records: ReturnType<typeof runRecord>[]) => composeDraft({ notebook: nb, notebookName: "n.ipynb", records });

  it("spans the run each cell's latest result came from, not every record, and says so", () => {
    const draft = draftOf([first, changed, other]);
    expect(draft).toContain(
      "- **Time box:** a day · the results below came from runs over 1 min (for each cell, the run that first gave its latest result; later reruns that reproduced it do not count)",
    );
    expect(draft).toContain("(results as of 2026-01-11)");
    expect(draft).not.toContain("10 days");
  });

  it("is byte-identical after reruns that reproduced, whatever their time and number", () => {
    const before = draftOf([first, changed, other]);
    expect(draftOf([first, changed, other, reproduced("2026-02-01T00:00:00.000Z")])).toBe(
      draftOf([first, changed, other, reproduced("2026-03-01T00:00:00.000Z"), reproduced("2026-04-01T00:00:00.000Z")]),
    );
    const after = draftOf([first, changed, other, reproduced("2026-02-01T00:00:00.000Z")]);
    expect(after).not.toBe(before); // the rerun verdict is news once
    expect(after).toContain("(results as of 2026-01-11)");
    expect(after).not.toMatch(/\brun \d/);
    expect(section(after, "## Experiments")).toContain("| reproduced |");
  });
});

test("numbers cells as lint does, counting Markdown cells, and says so", () => {
  const nb = notebookOf([{ md: "# T" }, { md: "notes" }, "// Tested: a\n// Found: b\nrun()", "undocumented()"]);
  const linted = lintNotebook(nb).problems.map((problem) => problem.cell);
  expect(linted).toEqual([4]);
  const doc = renderDesignDoc(nb, { notebookName: "n.ipynb" });
  expect(doc).toContain("- Undocumented: cell 4.");
  expect(doc).toContain('| [3](n.ipynb "cell id c3") |');
  expect(doc).toContain("cell numbers count every cell from the top, Markdown cells included, as in `labtrail lint`");
});

test("the intro says what refreshes the draft and what an edit changes", () => {
  const doc = renderDesignDoc(notebookOf(["run()"]), { notebookName: "my nb.ipynb" });
  const intro = doc.split("\n")[2];
  expect(intro).not.toContain("rerun `labtrail export` to refresh");
  expect(intro).toContain("Until you edit this file, `labtrail export my nb.ipynb` refreshes it");
  expect(intro).toContain("add `--force` to replace them, or `-o` another file");
});
