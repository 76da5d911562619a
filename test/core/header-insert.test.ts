// "Insert header": the template above a cell, or the missing lines of the header it has, and the
// selection that lets the user type straight over the first thing to fill in.
import { cellHeaderStatus, HEADER_TEMPLATE, type HeaderInsertion, insertHeader, parseHeader } from "../../kernel/src/core";

/** The selected text of an insertion. */
function selected(insertion: HeaderInsertion): string {
  return insertion.source.slice(insertion.selection.from, insertion.selection.to);
}

const TESTED = "// Tested: <what this cell tries>";
const EXPECT = "// Expect: <the result that would support it>";
const FOUND = "// Found: <what the run showed>";

describe("insertHeader on a cell without a header", () => {
  it("an empty cell becomes the template, with Tested's placeholder selected", () => {
    const insertion = insertHeader("");
    expect(insertion.source).toBe(HEADER_TEMPLATE);
    expect(insertion.changed).toBe(true);
    expect(insertion.selection).toEqual({ from: "// Tested: ".length, to: TESTED.length });
    expect(selected(insertion)).toBe("<what this cell tries>");
  });

  it("the template goes above the code, which is kept byte for byte", () => {
    const code = "const answer = await ask(`label: ${title}`);\nanswer\n";
    const insertion = insertHeader(code);
    expect(insertion.source).toBe(`${TESTED}\n${EXPECT}\n${FOUND}\n${code}`);
    expect(selected(insertion)).toBe("<what this cell tries>");
    expect(parseHeader(insertion.source).body?.text).toBe("const answer = await ask(`label: ${title}`);");
  });

  it("a magic cell gets its header above the %%ask line", () => {
    const insertion = insertHeader("%%ask --model mini\nLabel this title: {title}");
    expect(insertion.source).toBe(`${TESTED}\n${EXPECT}\n${FOUND}\n%%ask --model mini\nLabel this title: {title}`);
    expect(parseHeader(insertion.source).body?.kind).toBe("magic");
  });

  it("prose comments and a tslab pragma stay below the header, where tslab still reads the pragma", () => {
    const source = "/** @module labels */\n// load the titles\nconst titles = load();";
    const insertion = insertHeader(source);
    expect(insertion.source).toBe(`${HEADER_TEMPLATE}${source}`);
    expect(parseHeader(insertion.source).problems).toEqual([]);
  });

  it("keeps a CRLF cell CRLF", () => {
    const insertion = insertHeader("run()\r\nmore()\r\n");
    expect(insertion.source).toBe(`${TESTED}\r\n${EXPECT}\r\n${FOUND}\r\nrun()\r\nmore()\r\n`);
    expect(selected(insertion)).toBe("<what this cell tries>");
  });

  it("adds the project's required keys the template lacks, so the cell can be documented in full", () => {
    const insertion = insertHeader("run()", { required: ["tested", "found", "decision"] });
    expect(insertion.source).toBe(`${TESTED}\n${EXPECT}\n${FOUND}\n// Decision: <what you decided>\nrun()`);
  });

  it("the result needs only filling in: no missing keys once it has run", () => {
    const status = cellHeaderStatus(insertHeader("run()").source, { hasRun: true });
    expect(status.missing).toEqual([]);
    expect(status.empty).toEqual(["tested", "found"]);
  });
});

describe("insertHeader on a cell with a header", () => {
  it("adds only the missing template lines, after the last field and before the body", () => {
    const source = "// Tested: few-shot beats zero-shot\n//   on the 30 labelled titles\n\n// Some prose.\nrun()";
    const insertion = insertHeader(source);
    expect(insertion.changed).toBe(true);
    expect(insertion.source).toBe(
      `// Tested: few-shot beats zero-shot\n//   on the 30 labelled titles\n${EXPECT}\n${FOUND}\n\n// Some prose.\nrun()`,
    );
    expect(parseHeader(insertion.source).byKey.tested?.value).toBe("few-shot beats zero-shot on the 30 labelled titles");
    // Tested is filled in, so the first required key to fill in is Found.
    expect(selected(insertion)).toBe("<what the run showed>");
  });

  it("selects an empty required key as a caret at its end", () => {
    const insertion = insertHeader("// Tested:\n// Expect: e\n// Found: f\nrun()");
    expect(insertion.changed).toBe(false);
    expect(insertion.selection).toEqual({ from: "// Tested:".length, to: "// Tested:".length });
  });

  it("a complete header is left unchanged, the caret at the end of Tested's value", () => {
    const source = "// Tested: t\n// Expect: e\n// Found: f\n// Verdict: supported\nrun()";
    const insertion = insertHeader(source);
    expect(insertion).toEqual({ source, changed: false, selection: { from: "// Tested: t".length, to: "// Tested: t".length } });
  });

  it("a placeholder still in the header is selected, even when nothing is inserted", () => {
    const source = `// Tested: t\n${EXPECT}\n${FOUND}\nrun()`;
    const insertion = insertHeader(source);
    expect(insertion.changed).toBe(false);
    expect(selected(insertion)).toBe("<what the run showed>");
    expect(insertion.selection.from).toBe(source.indexOf("<what the run showed>"));
  });

  it("completes a JSDoc header below its closing */, leaving the pragma block intact", () => {
    const source = "/**\n * @module labels\n * @tested few-shot beats zero-shot\n */\nrun()";
    const insertion = insertHeader(source);
    expect(insertion.source).toBe(`/**\n * @module labels\n * @tested few-shot beats zero-shot\n */\n${EXPECT}\n${FOUND}\nrun()`);
    const header = parseHeader(insertion.source);
    expect(header.problems).toEqual([]);
    expect(header.byKey.tested?.value).toBe("few-shot beats zero-shot");
  });

  it("a one-line JSDoc header with code after it gets the lines above it", () => {
    const insertion = insertHeader("/** @tested t */ run()");
    expect(insertion.source).toBe(`${EXPECT}\n${FOUND}\n/** @tested t */ run()`);
    expect(parseHeader(insertion.source).body?.text).toBe("run()");
  });

  it("completes a directive header with canonical lines", () => {
    const insertion = insertHeader("//| tested: t\n//| expect: e\nrun()");
    expect(insertion.source).toBe(`//| tested: t\n//| expect: e\n${FOUND}\nrun()`);
  });

  it("a comment-only cell whose last line has no line ending", () => {
    const insertion = insertHeader("// Tested: t");
    expect(insertion.source).toBe(`// Tested: t\n${EXPECT}\n${FOUND}`);
  });

  it("keeps a CRLF header CRLF", () => {
    const insertion = insertHeader("// Tested: t\r\nrun()\r\n");
    expect(insertion.source).toBe(`// Tested: t\r\n${EXPECT}\r\n${FOUND}\r\nrun()\r\n`);
    expect(selected(insertion)).toBe("<what the run showed>");
  });

  it("selects the first required key to fill in, in the project's order", () => {
    const insertion = insertHeader("// Tested: t\n// Found: f\nrun()", { required: ["tested", "decision", "found"] });
    expect(insertion.source).toBe(`// Tested: t\n// Found: f\n${EXPECT}\n// Decision: <what you decided>\nrun()`);
    expect(selected(insertion)).toBe("<what you decided>");
  });
});

describe("insertHeader with a custom template", () => {
  const template = "// Tested: <hypothesis>\n// Constraint: <budget>\n\n\n";

  it("uses it, normalised to end with one line break", () => {
    const insertion = insertHeader("run()", { template });
    expect(insertion.source).toBe("// Tested: <hypothesis>\n// Constraint: <budget>\n// Found: <what the run showed>\nrun()");
    expect(selected(insertion)).toBe("<hypothesis>");
  });

  it("fills a partial header from the template's own values", () => {
    const insertion = insertHeader("// Found: f\nrun()", { template, required: ["tested"] });
    expect(insertion.source).toBe("// Found: f\n// Tested: <hypothesis>\n// Constraint: <budget>\nrun()");
    expect(selected(insertion)).toBe("<hypothesis>");
  });

  it.each([
    ["", /no header fields/],
    ["just a sentence", /no header fields/],
    ["// a comment, but no key", /no header fields; write it as "\/\/ Key: value" lines/],
    ["// Expect: <e>\n// Found: <f>", /no Tested field/],
    ["// Tested: <t>\nrun()", /line 2 is not a comment \("run\(\)"\)/],
  ])("refuses the invalid template %j with an error saying what is wrong", (bad, message) => {
    expect(() => insertHeader("run()", { template: bad })).toThrow(message);
    expect(() => insertHeader("run()", { template: bad })).toThrow(/^invalid header template: /);
  });
});
