// The header grammar: every accepted form and every problem it reports, with positions.
import { getCodeMetadata } from "tslab/dist/metadata";
import { type HeaderForm, type HeaderKey, type HeaderProblemCode, parseHeader } from "../../kernel/src/core";

type At = [line: number, column: number];

interface FieldCase {
  key: HeaderKey;
  value: string;
  form: HeaderForm;
  at: At;
  /** Where the field ends (after its last continuation), when the case checks it. */
  end?: At;
}

interface AcceptCase {
  name: string;
  source: string;
  fields: FieldCase[];
  /** The line and kind that ends the header; null for a cell of comments only. */
  body: { kind: "code" | "magic"; at: At } | null;
  verdict?: string;
}

const code = { kind: "code" as const };

const accepted: AcceptCase[] = [
  {
    name: "canonical form, every key of the contract",
    source:
      "// Tested: a\n// Expect: b\n// Found: c\n// Verdict: supported\n// Decision: d\n// Tradeoff: e\n// Constraint: f\n// Next: g\nrun();\n",
    fields: [
      { key: "tested", value: "a", form: "comment", at: [1, 4] },
      { key: "expect", value: "b", form: "comment", at: [2, 4] },
      { key: "found", value: "c", form: "comment", at: [3, 4] },
      { key: "verdict", value: "supported", form: "comment", at: [4, 4] },
      { key: "decision", value: "d", form: "comment", at: [5, 4] },
      { key: "tradeoff", value: "e", form: "comment", at: [6, 4] },
      { key: "constraint", value: "f", form: "comment", at: [7, 4] },
      { key: "next", value: "g", form: "comment", at: [8, 4] },
    ],
    body: { ...code, at: [9, 1] },
    verdict: "supported",
  },
  {
    name: "no space after the slashes, spaces before the colon",
    source: "//Tested : x\nrun()",
    fields: [{ key: "tested", value: "x", form: "comment", at: [1, 3], end: [1, 13] }],
    body: { ...code, at: [2, 1] },
  },
  {
    name: "keys are case-insensitive",
    source: "// TESTED: x\n// found: y\nrun()",
    fields: [
      { key: "tested", value: "x", form: "comment", at: [1, 4] },
      { key: "found", value: "y", form: "comment", at: [2, 4] },
    ],
    body: { ...code, at: [3, 1] },
  },
  {
    name: "common spellings are read as the key",
    source: "// Expected: e\n// Trade-offs: t\n// Constraints: c\n// Decisions: d\nrun()",
    fields: [
      { key: "expect", value: "e", form: "comment", at: [1, 4] },
      { key: "tradeoff", value: "t", form: "comment", at: [2, 4] },
      { key: "constraint", value: "c", form: "comment", at: [3, 4] },
      { key: "decision", value: "d", form: "comment", at: [4, 4] },
    ],
    body: { ...code, at: [5, 1] },
  },
  {
    name: "two or more spaces, or a tab, after // continue the field above",
    source: "// Found: 87%;\n//  docs issues get\n//\tlabelled as features\n// Next: n\nrun()",
    fields: [
      { key: "found", value: "87%; docs issues get labelled as features", form: "comment", at: [1, 4], end: [3, 24] },
      { key: "next", value: "n", form: "comment", at: [4, 4] },
    ],
    body: { ...code, at: [5, 1] },
  },
  {
    name: "an empty key line takes its value from the continuation",
    source: "// Tested:\n//   the value\nrun()",
    fields: [{ key: "tested", value: "the value", form: "comment", at: [1, 4], end: [2, 15] }],
    body: { ...code, at: [3, 1] },
  },
  {
    name: "a prose comment ends the field; an indented line after it continues nothing",
    source: "// Tested: a\n// some prose\n//   more prose\nrun()",
    fields: [{ key: "tested", value: "a", form: "comment", at: [1, 4], end: [1, 13] }],
    body: { ...code, at: [4, 1] },
  },
  {
    name: "a blank line ends the field but not the header",
    source: "// Tested: a\n\n//   stray\n// Found: f\nrun()",
    fields: [
      { key: "tested", value: "a", form: "comment", at: [1, 4] },
      { key: "found", value: "f", form: "comment", at: [4, 4] },
    ],
    body: { ...code, at: [5, 1] },
  },
  {
    name: "Quarto/nbdev directives, continued and quoted; other tools' keys are left alone",
    source: '//| tested: t\n//|   more\n//| found: "q: v"\n//| echo: false\nrun()',
    fields: [
      { key: "tested", value: "t more", form: "directive", at: [1, 5], end: [2, 11] },
      { key: "found", value: "q: v", form: "directive", at: [3, 5] },
    ],
    body: { ...code, at: [5, 1] },
  },
  {
    name: "a JSDoc block shared with tslab's pragmas",
    source: "/**\n * @module m\n * @tested t\n *   more\n * @found f\n * @jsx\n */\nrun()",
    fields: [
      { key: "tested", value: "t more", form: "jsdoc", at: [3, 4], end: [4, 10] },
      { key: "found", value: "f", form: "jsdoc", at: [5, 4] },
    ],
    body: { ...code, at: [8, 1] },
  },
  {
    name: "a one-line JSDoc block",
    source: "/** @tested one */\nrun()",
    fields: [{ key: "tested", value: "one", form: "jsdoc", at: [1, 5], end: [1, 16] }],
    body: { ...code, at: [2, 1] },
  },
  {
    name: "mixed forms, then a magic line",
    source: "/** @module m */\n// Tested: t\n//| found: f\n%%ask gpt-4o-mini\nSummarize ${diff}",
    fields: [
      { key: "tested", value: "t", form: "comment", at: [2, 4] },
      { key: "found", value: "f", form: "directive", at: [3, 5] },
    ],
    body: { kind: "magic", at: [4, 1] },
  },
  {
    name: "leading blank lines and indentation",
    source: "\n  // Tested: t\n  run()",
    fields: [{ key: "tested", value: "t", form: "comment", at: [2, 6] }],
    body: { ...code, at: [3, 3] },
  },
  {
    name: "CRLF line endings",
    source: "// Tested: a\r\n//   b\r\n// Found: c\r\nrun()",
    fields: [
      { key: "tested", value: "a b", form: "comment", at: [1, 4], end: [2, 7] },
      { key: "found", value: "c", form: "comment", at: [3, 4] },
    ],
    body: { ...code, at: [4, 1] },
  },
  {
    name: "comment tags and URLs are not keys",
    source: "// TODO: later\n// NOTE: x\n// See: y\n// https://example.com/a\n// gs://bucket/data\n// Tested: //t\nrun()",
    fields: [{ key: "tested", value: "//t", form: "comment", at: [6, 4] }],
    body: { ...code, at: [7, 1] },
  },
  {
    name: "a plain block comment is not read",
    source: "/* Tested: no */\n/*\n// Found: no\n*/\n// Tested: yes\nrun()",
    fields: [{ key: "tested", value: "yes", form: "comment", at: [5, 4] }],
    body: { ...code, at: [6, 1] },
  },
  {
    name: "code after a comment on the same line ends the header there",
    source: "/** @tested t */ const x = 1;\n// Found: f\n",
    fields: [{ key: "tested", value: "t", form: "jsdoc", at: [1, 5] }],
    body: { ...code, at: [1, 18] },
  },
  {
    name: "a verdict keyword followed by a note",
    source: "// Verdict: Refuted — 6/10\nrun()",
    fields: [{ key: "verdict", value: "Refuted — 6/10", form: "comment", at: [1, 4] }],
    body: { ...code, at: [2, 1] },
    verdict: "refuted",
  },
  {
    name: "a cell of comments only has no body",
    source: "// just a note\n\n",
    fields: [],
    body: null,
  },
  { name: "an empty cell", source: "", fields: [], body: null },
];

describe("parseHeader accepts", () => {
  it.each(accepted)("$name", ({ source, fields, body, verdict }) => {
    const header = parseHeader(source);
    expect(header.problems).toEqual([]);
    expect(header.fields.map((f) => ({ key: f.key, value: f.value, form: f.form, at: [f.start.line, f.start.column] }))).toEqual(
      fields.map(({ key, value, form, at }) => ({ key, value, form, at })),
    );
    for (const expected of fields.filter((f) => f.end)) {
      const field = header.byKey[expected.key]!;
      expect([field.end.line, field.end.column]).toEqual(expected.end);
    }
    expect(header.body && { kind: header.body.kind, at: [header.body.start.line, header.body.start.column] }).toEqual(body);
    expect(header.verdict).toBe(verdict);
  });

  it("gives offsets that index the source", () => {
    const source = "\r\n  // Tested: the thing\r\n/**\r\n * @found it\r\n */\r\nrun()";
    const header = parseHeader(source);
    const tested = header.byKey.tested!;
    const found = header.byKey.found!;
    expect(source.slice(tested.start.offset, tested.end.offset)).toBe("Tested: the thing");
    expect(source.slice(tested.valueStart.offset, tested.end.offset)).toBe("the thing");
    expect(source.slice(found.start.offset, found.end.offset)).toBe("@found it");
    expect(source.slice(header.body!.start.offset)).toBe("run()");
  });
});

interface ProblemCase {
  name: string;
  source: string;
  problems: { code: HeaderProblemCode; at: At; message: RegExp }[];
  /** Fields still read despite the problems. */
  values?: Partial<Record<HeaderKey, string>>;
}

const problemCases: ProblemCase[] = [
  {
    name: "an unknown key in the canonical form",
    source: "// Tested: t\n// Hypothesis: h\nrun()",
    problems: [
      {
        code: "unknown-key",
        at: [2, 4],
        message: /^unknown header key "Hypothesis"; header keys are Tested, Expect, Found, Verdict, Decision, Tradeoff, Constraint, Next$/,
      },
    ],
    values: { tested: "t" },
  },
  {
    name: "a misspelt key, with a suggestion",
    source: "// Tsted: t\n// Fnd: f\nrun()",
    problems: [
      { code: "unknown-key", at: [1, 4], message: /^unknown header key "Tsted" \(did you mean "Tested"\?\)$/ },
      { code: "unknown-key", at: [2, 4], message: /^unknown header key "Fnd" \(did you mean "Found"\?\)$/ },
    ],
    values: {},
  },
  {
    name: "a misspelt directive (other directive keys are not problems)",
    source: "//| label: fig-a\n//| foundd: x\n//| tested: t\nrun()",
    problems: [{ code: "unknown-key", at: [2, 5], message: /^unknown header key "foundd" \(did you mean "found"\?\)$/ }],
    values: { tested: "t" },
  },
  {
    name: "a misspelt JSDoc tag (other tags are not problems)",
    source: "/**\n * @see x\n * @tessted t\n */\nrun()",
    problems: [{ code: "unknown-key", at: [3, 4], message: /^unknown header key "@tessted" \(did you mean "@tested"\?\)$/ }],
    values: {},
  },
  {
    name: "the continuation of an unknown key is not read as a key",
    source: "// Hypothesis: h\n//   Tested: not a key\nrun()",
    problems: [{ code: "unknown-key", at: [1, 4], message: /Hypothesis/ }],
    values: {},
  },
  {
    name: "a key given twice, across forms; the first one counts",
    source: "// Tested: a\n//| tested: b\n/** @TESTED c */\nrun()",
    problems: [
      { code: "duplicate-key", at: [2, 5], message: /^duplicate key "tested" \(first given at line 1\); only the first is used$/ },
      { code: "duplicate-key", at: [3, 5], message: /^duplicate key "TESTED" \(first given at line 1\)/ },
    ],
    values: { tested: "a" },
  },
  {
    name: "a verdict that is none of the three",
    source: "// Verdict: probably\nrun()",
    problems: [
      { code: "invalid-verdict", at: [1, 13], message: /^Verdict must start with supported, refuted or inconclusive, not "probably"$/ },
    ],
    values: { verdict: "probably" },
  },
];

describe("parseHeader reports", () => {
  it.each(problemCases)("$name", ({ source, problems, values }) => {
    const header = parseHeader(source);
    expect(header.problems.map((p) => ({ code: p.code, at: [p.start.line, p.start.column] }))).toEqual(
      problems.map(({ code, at }) => ({ code, at })),
    );
    for (const [i, problem] of header.problems.entries()) expect(problem.message).toMatch(problems[i].message);
    if (values) {
      expect(Object.fromEntries(header.fields.map((f) => [f.key, f.value]))).toEqual(values);
    }
  });
});

describe("parseHeader's cost", () => {
  it("reads the header and one more line, however long the code below it", () => {
    const header = "// Tested: t\n// Expect: e\n// Found: f\n";
    const short = parseHeader(`${header}${"run();\n".repeat(5)}`);
    const long = parseHeader(`${header}${"run();\n".repeat(100_000)}`);
    expect(short.linesScanned).toBe(4);
    expect(long.linesScanned).toBe(4);
  });
});

describe("coexistence with tslab's JSDoc pragmas", () => {
  it.each([
    [
      "in one JSDoc block",
      "/**\n * @module summaries\n * @tested pragmas and header together\n * @jsx\n * @node\n */\nexport const x = 1;\n",
    ],
    [
      "with a canonical header around it",
      "// Tested: pragmas and header together\n/** @module summaries @jsx */\n/** @node */\nexport const x = 1;\n",
    ],
  ])("tslab and labtrail both read their parts %s", (_name, source) => {
    expect(getCodeMetadata(source)).toEqual({ module: "summaries", jsx: true, mode: "node" });
    const header = parseHeader(source);
    expect(header.byKey.tested?.value).toBe("pragmas and header together");
    expect(header.problems).toEqual([]);
  });
});
