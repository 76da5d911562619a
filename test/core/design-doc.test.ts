// The design-doc renderer: the draft's sections, escaping of user text, determinism, undocumented
// cells, and the evidence seam that run records fill later.
import { readFileSync } from "node:fs";
import { buildDesignDocModel, type DesignDocEvidence, type Notebook, renderDesignDoc, renderModel } from "../../kernel/src/core";
import { notebook, loadNotebook as load } from "../fixtures";

const summariesText = readFileSync(notebook("summaries.ipynb"), "utf8");
const summaries = load(summariesText);

/** A notebook from cell sources: strings are code cells, `{ md }` Markdown cells. */
function notebookOf(cells: (string | { md: string })[]): Notebook {
  return load(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map((cell, i) =>
        typeof cell === "string"
          ? { cell_type: "code", id: `c${i + 1}`, metadata: {}, source: cell, outputs: [], execution_count: null }
          : { cell_type: "markdown", id: `m${i + 1}`, metadata: {}, source: cell.md },
      ),
    }),
  );
}

/** Occurrences of `char` not escaped by a backslash (an even run of backslashes escapes nothing). */
function unescaped(text: string, char: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== char) continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) slashes++;
    if (slashes % 2 === 0) count++;
  }
  return count;
}

function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no section ${heading}`);
  const rest = doc.slice(start + heading.length + 2);
  const next = rest.search(/\n## /);
  return (next === -1 ? rest : rest.slice(0, next)).trim();
}

describe("the draft of the design-doc-shape notebook", () => {
  it("is this page", () => {
    expect(renderDesignDoc(summaries, { notebookName: "summaries.ipynb" })).toBe(
      `# Commit-message summaries — design doc draft

> Draft exported from \`summaries.ipynb\`; cell numbers count every cell from the top, Markdown cells included, as in \`labtrail lint\`. Until you edit this file, \`labtrail export summaries.ipynb\` refreshes it; once edited, export keeps your edits: add \`--force\` to replace them, or \`-o\` another file to write a fresh draft there.

## Context

- **Problem:** reviewers skim 40 PRs a day
- **User:** reviewers on the platform team
- **Success metric:** ≥ 9/10 summaries rated useful
- **Time box:** 2 days

## Summary

3 experiments: 1 supported, 1 refuted, 1 without a verdict. 1 cell is undocumented.

## Experiments

| Cell | Tested | Expected | Found | Verdict |
|---|---|---|---|---|
| [2](summaries.ipynb "cell id plain-prompt") | a plain "summarize this diff" prompt | ≥ 9/10 useful | 6/10; long diffs get generic summaries | refuted |
| [3](summaries.ipynb "cell id few-shot") | few-shot prompt with 3 examples | — | 9/10 useful, +40% tokens | supported |
| [4](summaries.ipynb "cell id temperature") | temperature 0 vs 0.7 | — | 0 is stable across 3 reruns; 0.7 varies | — |

## Key decisions

- use the few-shot prompt (cell 3)

## Tradeoffs

- 40% more tokens per call for +3 useful summaries in 10 (cell 3)

### Alternatives considered

- a plain "summarize this diff" prompt — refuted: 6/10; long diffs get generic summaries (cell 2)

## Constraints the model revealed

- p95 latency 1.8 s on diffs over 400 lines (cell 4)

## Open questions and next steps

- try a smaller model for diffs under 50 lines (cell 4)
- Without a verdict: cell 4.
- Undocumented: cell 5.

## Evidence

No run records for this notebook yet, so no experiment above is backed by a recorded run.
`,
    );
  });

  it("is the same bytes every time, whatever the notebook's metadata and key order", () => {
    const first = renderDesignDoc(summaries, { notebookName: "summaries.ipynb" });
    expect(renderDesignDoc(summaries, { notebookName: "summaries.ipynb" })).toBe(first);
    const json = JSON.parse(summariesText);
    const reordered = {
      cells: json.cells.map((cell: Record<string, unknown>) => Object.fromEntries(Object.entries(cell).reverse())),
      metadata: { ...json.metadata, kernelspec: { name: "other" }, widgets: { state: {} } },
      nbformat_minor: json.nbformat_minor,
      nbformat: 4,
    };
    expect(renderDesignDoc(load(JSON.stringify(reordered)), { notebookName: "summaries.ipynb" })).toBe(first);
  });

  it("links cells relative to where the draft is written", () => {
    const doc = renderDesignDoc(summaries, { notebookName: "summaries.ipynb", notebookHref: "../notebooks/my (draft) #1.ipynb" });
    expect(doc).toContain('| [2](../notebooks/my%20%28draft%29%20%231.ipynb "cell id plain-prompt") |');
  });
});

describe("user text cannot break the Markdown", () => {
  const hostile = [
    "a | b",
    "<script>alert(1)</script>",
    "`rm -rf` and ``x``",
    "$x$ and {{< include secret.md >}}",
    "[click](javascript:alert(1)) ![img](x.png)",
    "**bold** _it_ ~~gone~~ ^sup^ @citation &amp; \\| # not a heading",
  ].join(" ");

  const doc = renderDesignDoc(
    notebookOf([
      { md: `# Title <b>bold</b> | x #\nProblem: ${hostile}` },
      `// Tested: ${hostile}\n// Expect: ${hostile}\n// Found: ${hostile}\n// Verdict: refuted | <i>\n// Decision: ${hostile}\n// Tradeoff: ${hostile}\n// Constraint: ${hostile}\n// Next: ${hostile}\nrun()`,
    ]),
    { notebookName: "a`b|c.ipynb" },
  );

  it("escapes every construct in every place user text lands", () => {
    const escaped =
      "a \\| b \\<script\\>alert(1)\\</script\\> \\`rm -rf\\` and \\`\\`x\\`\\` \\$x\\$ and \\{\\{\\< include secret.md \\>\\}\\} " +
      "\\[click\\](javascript:alert(1)) !\\[img\\](x.png) \\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~ \\^sup\\^ \\@citation \\&amp; \\\\\\| \\# not a heading";
    expect(section(doc, "## Experiments").split("\n")[2]).toBe(
      `| [2](a%60b%7Cc.ipynb "cell id c2") | ${escaped} | ${escaped} | ${escaped} | refuted \\| \\<i\\> |`,
    );
    // (The trailing " #" closes the ATX heading, so it is not part of the title.)
    expect(doc.split("\n")[0]).toBe("# Title \\<b\\>bold\\</b\\> \\| x — design doc draft");
    expect(doc).toContain(`- **Problem:** ${escaped}\n`);
    // In the lists (decisions, tradeoffs, alternatives, constraints, next steps) too.
    expect(doc).toContain(`- ${escaped} (cell 2)\n`);
    expect(doc).toContain("> Draft exported from ``a`b|c.ipynb``;");
  });

  it("leaves no raw HTML, math, shortcode, or table pipe outside its own syntax", () => {
    // The only code spans are the draft's own (`labtrail export`, `// Decision: …`, the file name).
    const withoutOwnSpans = doc.replace(/``a`b\|c\.ipynb``/, "").replace(/`[^`\n]*`/g, (span) => (/[<$|{]/.test(span) ? span : ""));
    for (const char of ["<", ">", "$", "{", "&", "@", "["]) {
      // Minus the draft's own syntax: the cell link's "[" and the blockquote's ">".
      const stripped = withoutOwnSpans.replace(/\[2\]\(/g, "").replace(/^> /gm, "");
      expect([char, unescaped(stripped, char), stripped]).toEqual([char, 0, stripped]);
    }
    for (const row of doc.split("\n").filter((line) => line.startsWith("| "))) {
      expect(unescaped(row, "|")).toBe(6); // five columns
    }
  });

  it("keeps text with line breaks and control characters on its line", () => {
    const model = buildDesignDocModel(notebookOf(["// Tested: t\nrun()"]), "n.ipynb");
    model.experiments[0].tested = "first line\nsecond | line\r\n\u2028third\u0007";
    model.experiments[0].decision = "decide\n## Injected heading";
    const rendered = renderModel(model, { notebookName: "n.ipynb" });
    expect(section(rendered, "## Experiments").split("\n")[2]).toBe(
      '| [1](n.ipynb "cell id c1") | first line second \\| line third | — | — | — |',
    );
    expect(rendered).toContain("- decide \\#\\# Injected heading (cell 1)\n");
    expect(rendered.match(/^## /gm)).toHaveLength(8);
  });
});

describe("undocumented cells and empty sections", () => {
  it("lists undocumented cells, counting past twenty", () => {
    const cells = ["// Tested: t\nrun()", ...Array.from({ length: 25 }, (_, i) => `step${i}()`), "", "// only a comment"];
    const doc = renderDesignDoc(notebookOf(cells), { notebookName: "n.ipynb" });
    expect(section(doc, "## Summary")).toBe("1 experiment: 1 without a verdict. 25 cells are undocumented.");
    expect(section(doc, "## Open questions and next steps")).toBe(
      `- Without a verdict: cell 1.\n- Undocumented: ${Array.from({ length: 20 }, (_, i) => `cell ${i + 2}`).join(", ")} and 5 more.`,
    );
  });

  it("says what is missing rather than leaving sections blank", () => {
    const doc = renderDesignDoc(notebookOf(["run()"]), { notebookName: "scratch.ipynb" });
    expect(doc.split("\n")[0]).toBe("# scratch — design doc draft");
    expect(section(doc, "## Context")).toMatch(/^No spec-lite yet: start the notebook with a Markdown cell/);
    expect(section(doc, "## Summary")).toBe("No documented experiments yet. 1 cell is undocumented.");
    expect(section(doc, "## Experiments")).toBe("_No code cell has a `// Tested: …` header yet._");
    expect(section(doc, "## Key decisions")).toBe("_None recorded yet: add `// Decision: …` to the cell that settled one._");
    expect(doc).not.toContain("### Alternatives considered");
  });

  it("names the spec-lite fields not stated, and open items from the headers", () => {
    const nb = notebookOf([{ md: "# T\nProblem: p" }, "// Tested: a\n// Verdict: inconclusive\nrun()", "// Tested: b\nrun()"]);
    (nb.cells[2] as { executionCount: number | null }).executionCount = 3; // cell 3 has run
    const doc = renderDesignDoc(nb, { notebookName: "n.ipynb" });
    expect(section(doc, "## Context")).toBe("- **Problem:** p\n- Not stated yet: User, Success metric, Time box.");
    expect(section(doc, "## Summary")).toBe("2 experiments: 1 inconclusive, 1 without a verdict. 1 cell is undocumented.");
    expect(section(doc, "## Open questions and next steps")).toBe(
      "- Inconclusive: a (cell 2)\n- Without a verdict: cell 3.\n- Cell 3 has run, but its header does not say what was found.",
    );
  });
});

describe("the evidence seam", () => {
  const evidence: DesignDocEvidence = {
    firstRunAt: "2026-11-19T08:00:00Z",
    lastRunAt: "2026-11-20T20:00:00Z",
    cells: [
      // Matched by id: the cell may have moved since the run.
      {
        cell: 9,
        cellId: "few-shot",
        run: 7,
        rerun: { verdict: "reproduced" },
        models: [{ model: "gpt-4o-mini", calls: 10, tokensIn: 11400, tokensOut: 640, replayed: 10 }],
        metrics: { useful: 0.9, label: "a|b" },
      },
      // Matched by number.
      {
        cell: 2,
        run: 4,
        rerun: { verdict: "reproduced" },
        models: [
          { model: "gpt-4o-mini", calls: 8, tokensIn: 6000, tokensOut: 500, replayed: 8 },
          { model: "gpt-4o", calls: 2, tokensIn: 2120, tokensOut: 110, replayed: 2 },
        ],
        metrics: { useful: 0.6 },
      },
      { cell: 4, run: 9, rerun: { verdict: "drifted", detail: "Found 3/3 stable → 2/3" }, models: [], metrics: {} },
    ],
    reproduceCommand: "labtrail reproduce summaries.ipynb --mode replay",
  };
  const doc = renderDesignDoc(summaries, { notebookName: "summaries.ipynb", evidence });

  it("dates the draft from the records and states the span of the runs", () => {
    expect(doc.split("\n")[2]).toBe(
      "> Draft exported from `summaries.ipynb` (results as of 2026-11-20); cell numbers count every cell from the top, Markdown cells included, as in `labtrail lint`. Until you edit this file, `labtrail export summaries.ipynb` refreshes it; once edited, export keeps your edits: add `--force` to replace them, or `-o` another file to write a fresh draft there.",
    );
    expect(section(doc, "## Context")).toContain(
      "- **Time box:** 2 days · the results below came from runs over 1.5 days (for each cell, the run that first gave its latest result; later reruns that reproduced it do not count)",
    );
  });

  it("links each experiment to its run and verdict", () => {
    expect(section(doc, "## Experiments").split("\n").slice(0, 2)).toEqual([
      "| Cell | Tested | Expected | Found | Verdict | Evidence |",
      "|---|---|---|---|---|---|",
    ]);
    const rows = section(doc, "## Experiments").split("\n").slice(2);
    expect(rows.map((row) => row.split(" | ").pop())).toEqual(["reproduced |", "reproduced |", "drifted ⚠ |"]);
  });

  it("surfaces drift as an open question", () => {
    expect(section(doc, "## Open questions and next steps")).toContain(
      "- Cell 4's last rerun drifted from the Found it states (Found 3/3 stable → 2/3): recheck before relying on it.",
    );
  });

  it("renders the appendix from the evidence alone", () => {
    expect(section(doc, "## Evidence")).toBe(
      [
        "| Cell | Model | Calls | Tokens in/out | Replayed | Metrics |",
        "|---|---|---|---|---|---|",
        "| 2 | gpt-4o, gpt-4o-mini | 10 | 8,120 / 610 | 10/10 | useful=0.6 |",
        "| 3 | gpt-4o-mini | 10 | 11,400 / 640 | 10/10 | label=a\\|b, useful=0.9 |",
        "| 4 | — | 0 | 0 / 0 | 0/0 | — |",
        "",
        "Totals over the latest runs above: 20 model calls (20 replayed, 0 live); 19,520 tokens in, 1,250 out.",
        "",
        "Reproduce: `labtrail reproduce summaries.ipynb --mode replay`",
      ].join("\n"),
    );
  });

  it("is deterministic too", () => {
    expect(renderDesignDoc(summaries, { notebookName: "summaries.ipynb", evidence })).toBe(doc);
  });

  it("says how many calls were live and when there were none", () => {
    const mixed: DesignDocEvidence = {
      ...evidence,
      cells: [{ cell: 2, run: 1, models: [{ model: "m", calls: 3, tokensIn: 1500, tokensOut: 30, replayed: 1 }], metrics: {} }],
    };
    expect(renderDesignDoc(summaries, { notebookName: "summaries.ipynb", evidence: mixed })).toContain(
      "\nTotals over the latest runs above: 3 model calls (1 replayed, 2 live); 1,500 tokens in, 30 out.\n",
    );
    const none: DesignDocEvidence = { ...evidence, cells: [{ cell: 2, run: 1, models: [], metrics: { n: 1 } }] };
    expect(renderDesignDoc(summaries, { notebookName: "summaries.ipynb", evidence: none })).toContain(
      "\nTotals over the latest runs above: no model calls.\n",
    );
  });
});
