// The contract on top of the grammar: required keys before and after a run, the kernel's gate, and
// the template tools write.
import {
  formatHeader,
  gateCell,
  HEADER_KEYS,
  HEADER_TEMPLATE,
  type HeaderKey,
  type HeaderProblemCode,
  isPlaceholder,
  lintCellSource,
  parseHeader,
} from "../../kernel/src/core";

type At = [line: number, column: number];

interface CheckCase {
  name: string;
  source: string;
  hasRun: boolean;
  required?: HeaderKey[];
  problems: { code: HeaderProblemCode; key: HeaderKey; at: At; message: RegExp }[];
}

const cases: CheckCase[] = [
  {
    name: "no header, not run: Tested is missing",
    source: "run()",
    hasRun: false,
    problems: [
      {
        code: "missing-key",
        key: "tested",
        at: [1, 1],
        message: /^missing Tested: add "\/\/ Tested: <what this cell tries>" at the top of the cell$/,
      },
    ],
  },
  {
    name: "no header, has run: Tested and Found are missing",
    source: "run()",
    hasRun: true,
    problems: [
      { code: "missing-key", key: "tested", at: [1, 1], message: /^missing Tested/ },
      {
        code: "missing-key",
        key: "found",
        at: [1, 1],
        message: /^missing Found: the cell has run; add "\/\/ Found: <what the run showed>" to its header$/,
      },
    ],
  },
  {
    name: "Tested only, not run: clean",
    source: "// Tested: t\nrun()",
    hasRun: false,
    problems: [],
  },
  {
    name: "Tested only, has run: Found is missing, pointed at the header",
    source: "\n// Tested: t\nrun()",
    hasRun: true,
    problems: [{ code: "missing-key", key: "found", at: [2, 4], message: /^missing Found/ }],
  },
  {
    name: "an empty Found after a run",
    source: "// Tested: t\n// Found:\nrun()",
    hasRun: true,
    problems: [
      { code: "empty-key", key: "found", at: [2, 4], message: /^Found is empty, but the cell has run: write what the run showed$/ },
    ],
  },
  {
    name: "an empty Found before a run is fine",
    source: "// Tested: t\n// Found:\nrun()",
    hasRun: false,
    problems: [],
  },
  {
    name: "an empty Tested",
    source: "// Tested:   \nrun()",
    hasRun: false,
    problems: [{ code: "empty-key", key: "tested", at: [1, 4], message: /^Tested is empty: write what this cell tries$/ }],
  },
  {
    name: "the template pasted but not filled in",
    source: `${HEADER_TEMPLATE}run()`,
    hasRun: true,
    problems: [
      { code: "empty-key", key: "tested", at: [1, 4], message: /^Tested still holds the template placeholder "<what this cell tries>"$/ },
      { code: "empty-key", key: "found", at: [3, 4], message: /^Found still holds the template placeholder/ },
    ],
  },
  {
    name: "a header below the code",
    source: "import { a } from './a';\n\n  // Tested: too late\na();",
    hasRun: false,
    problems: [
      {
        code: "missing-key",
        key: "tested",
        at: [3, 3],
        message: /^missing Tested: the header must be at the very top of the cell; move "Tested:" from line 3 above the code at line 1$/,
      },
    ],
  },
  {
    name: "a header below a magic line",
    source: "%%ask gpt-4o-mini\n/** @tested too late */\nSummarize",
    hasRun: false,
    problems: [{ code: "missing-key", key: "tested", at: [2, 1], message: /move "Tested:" from line 2 above the %%ask line at line 1$/ }],
  },
  {
    name: "a magic cell without a header",
    source: "%%ask gpt-4o-mini\nSummarize",
    hasRun: false,
    problems: [
      {
        code: "missing-key",
        key: "tested",
        at: [1, 1],
        message: /^missing Tested: add "\/\/ Tested: <what this cell tries>" above the %%ask line$/,
      },
    ],
  },
  {
    name: "a cell of comments only is not an experiment",
    source: "// scratch notes\n",
    hasRun: true,
    problems: [],
  },
  {
    name: "grammar problems come with contract problems, in source order",
    source: "// Hypothesis: h\n// Verdict: maybe\nrun()",
    hasRun: false,
    problems: [
      { code: "missing-key", key: "tested", at: [1, 1], message: /^missing Tested/ },
      { code: "unknown-key", key: undefined as unknown as HeaderKey, at: [1, 4], message: /Hypothesis/ },
      { code: "invalid-verdict", key: "verdict", at: [2, 13], message: /^Verdict must start/ },
    ],
  },
  {
    name: "configured keys: Expect before a run, Verdict after it, Found no longer required",
    source: "// Tested: t\nrun()",
    hasRun: true,
    required: ["tested", "expect", "verdict"],
    problems: [
      {
        code: "missing-key",
        key: "expect",
        at: [1, 1],
        message: /^missing Expect: add "\/\/ Expect: <the result that would support it>" at the top of the cell$/,
      },
      { code: "missing-key", key: "verdict", at: [1, 4], message: /^missing Verdict: the cell has run/ },
    ],
  },
];

describe("checkHeader", () => {
  it.each(cases)("$name", ({ source, hasRun, required, problems }) => {
    const result = lintCellSource(source, { hasRun, required });
    expect(result.problems.map((p) => ({ code: p.code, key: p.key, at: [p.start.line, p.start.column] }))).toEqual(
      problems.map(({ code, key, at }) => ({ code, key, at })),
    );
    for (const [i, problem] of result.problems.entries()) expect(problem.message).toMatch(problems[i].message);
  });
});

describe("gateCell (what the kernel does before running a cell)", () => {
  const noHeader = "const answer = await ask(prompt);";
  const withHeader = `// Tested: the prompt\n${noHeader}`;

  it("off: runs anything, silently", () => {
    expect(gateCell(noHeader, { mode: "off" })).toEqual({ run: true, notice: null });
  });

  it("warn: runs a cell without Tested and gives one short line", () => {
    const decision = gateCell(noHeader, { mode: "warn" });
    expect(decision.run).toBe(true);
    const notice = (decision as { notice: string }).notice;
    expect(notice).toMatch(/^labtrail: missing Tested: add "\/\/ Tested: <what this cell tries>" at the top of the cell/);
    expect(notice).not.toContain("\n");
  });

  it("block: refuses a cell without Tested, with the template to paste and how to opt out", () => {
    const decision = gateCell(noHeader, { mode: "block" });
    expect(decision.run).toBe(false);
    const error = (decision as { error: string }).error;
    expect(error.split("\n")[0]).toBe(
      'labtrail did not run this cell (header mode: block): missing Tested: add "// Tested: <what this cell tries>" at the top of the cell.',
    );
    expect(error).toContain(`\n\n${HEADER_TEMPLATE}\n`);
    expect(error).toContain("LABTRAIL_HEADER_MODE=warn");
    // The template in the error, pasted as told, lets the cell through once filled in.
    const pasted = `${HEADER_TEMPLATE.replace("<what this cell tries>", "the prompt")}${noHeader}`;
    expect(gateCell(pasted, { mode: "block" })).toEqual({ run: true, notice: null });
  });

  it("block: refuses the template pasted unfilled", () => {
    expect(gateCell(`${HEADER_TEMPLATE}${noHeader}`, { mode: "block" }).run).toBe(false);
  });

  it.each(["warn", "block"] as const)("%s: a cell with Tested runs without a word, Found not yet due", (mode) => {
    expect(gateCell(withHeader, { mode })).toEqual({ run: true, notice: null });
  });

  it("block: an empty or comment-only cell has nothing to refuse", () => {
    expect(gateCell("", { mode: "block" }).run).toBe(true);
    expect(gateCell("// nothing to run\n", { mode: "block" }).run).toBe(true);
  });

  it("block: configured before-run keys are enforced too", () => {
    const decision = gateCell(withHeader, { mode: "block", required: ["tested", "expect"] });
    expect(decision.run).toBe(false);
    expect((decision as { error: string }).error).toMatch(/missing Expect/);
  });
});

describe("the canonical header that tools write", () => {
  it("round-trips every key through the parser, multi-line values as continuations", () => {
    const values = Object.fromEntries(HEADER_KEYS.map((key) => [key, `${key} value`])) as Record<HeaderKey, string>;
    values.found = "87% overall;\n  docs issues labelled as features";
    values.verdict = "supported";
    const text = formatHeader(values);
    expect(text.split("\n")[0]).toBe("// Tested: tested value");
    expect(text).toContain("// Found: 87% overall;\n//   docs issues labelled as features\n");
    const header = parseHeader(`${text}run()`);
    expect(header.problems).toEqual([]);
    expect(header.fields.map((f) => f.key)).toEqual([...HEADER_KEYS]);
    expect(header.fields.every((f) => f.form === "comment")).toBe(true);
    expect(header.byKey.found!.value).toBe("87% overall; docs issues labelled as features");
    expect(header.verdict).toBe("supported");
  });

  it("the template holds Tested, Expect and Found placeholders", () => {
    const header = parseHeader(HEADER_TEMPLATE);
    expect(header.fields.map((f) => f.key)).toEqual(["tested", "expect", "found"]);
    expect(header.fields.every((f) => isPlaceholder(f.value))).toBe(true);
    expect(isPlaceholder("<b>real</b> text")).toBe(false);
  });
});
