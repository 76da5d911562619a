// Reading notebooks: nbformat 4.x in its real variations, and one plain line for every broken input.
import { readFileSync } from "node:fs";
import { type CodeCell, type MarkdownCell, parseJsonText, parseNotebook, readNotebookBytes } from "../../kernel/src/core";
import { broken, notebook } from "../fixtures";

function read(path: string) {
  const result = readNotebookBytes(readFileSync(path));
  if (!result.ok) throw new Error(`${path}: ${result.problem}`);
  return result.notebook;
}

describe("reading nbformat 4", () => {
  it("reads 4.5 with ids, list sources, attachments, a raw cell and outputs of every kind", () => {
    const nb = read(notebook("summaries.ipynb"));
    expect(nb.nbformatMinor).toBe(5);
    expect(nb.cells.map((c) => [c.cellType, c.id])).toEqual([
      ["markdown", "spec"],
      ["code", "plain-prompt"],
      ["code", "few-shot"],
      ["code", "temperature"],
      ["code", "plot"],
      ["raw", "raw-notes"],
    ]);
    const spec = nb.cells[0] as MarkdownCell;
    expect(spec.source.split("\n")[0]).toBe("# Commit-message summaries");
    expect(Object.keys(spec.attachments!)).toEqual(["diagram.png"]);

    const plain = nb.cells[1] as CodeCell;
    expect(plain.source).toBe(
      '// Tested: a plain "summarize this diff" prompt\n// Expect: ≥ 9/10 useful\n// Found: 6/10; long diffs get generic summaries\n// Verdict: refuted\nconst summaries = await summarize(diffs, plainPrompt);\nsummaries.length',
    );
    expect(plain.executionCount).toBe(4);
    expect(plain.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "scored 10 diffs\nuseful: 6\n" },
      { output_type: "execute_result", execution_count: 4, metadata: {}, data: { "text/plain": "10" } },
    ]);

    const fewShot = nb.cells[2] as CodeCell;
    expect(fewShot.metadata).toEqual({ tags: ["experiment"] });
    expect(fewShot.outputs[0]).toEqual({
      output_type: "display_data",
      metadata: {},
      data: { "text/html": "<table>\n<tr><td>9/10</td></tr>\n</table>", "text/plain": "9/10", "application/json": { useful: 9 } },
    });
    expect((nb.cells[3] as CodeCell).outputs[0]).toMatchObject({ output_type: "error", ename: "TimeoutError" });
    expect((nb.cells[4] as CodeCell).executionCount).toBeNull();
    expect(nb.cells[5].source).toBe("Raw notes are not part of the draft.");
  });

  it("reads 4.0 without ids, with string sources", () => {
    const nb = read(notebook("forms.ipynb"));
    expect(nb.nbformatMinor).toBe(0);
    expect(nb.cells.every((c) => c.id === null)).toBe(true);
    expect(nb.cells[0].source.startsWith("// TESTED: keys are case-insensitive\n")).toBe(true);
  });

  it("defaults what hand-written notebooks leave out, and accepts a byte-order mark", () => {
    const result = parseNotebook(
      '\uFEFF{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x"}, {"cell_type": "markdown", "source": []}]}',
    );
    expect(result.ok).toBe(true);
    const nb = (result as { notebook: import("../../kernel/src/core").Notebook }).notebook;
    expect(nb.cells[0]).toEqual({ index: 0, id: null, source: "x", metadata: {}, cellType: "code", executionCount: null, outputs: [] });
    expect(nb.cells[1]).toEqual({ index: 1, id: null, source: "", metadata: {}, cellType: "markdown", attachments: null });
  });
});

describe("broken notebook files get one plain line", () => {
  it.each([
    ["empty.ipynb", /^empty file \(0 bytes\), not a notebook$/],
    ["truncated.ipynb", /^truncated JSON: the file ends inside a string \(line \d+, column \d+\)$/],
    ["invalid-json.ipynb", /^invalid JSON: expected ',' or '}' after a property value, found '"' \(line 6, column 39\)$/],
    [
      "nbformat3.ipynb",
      /^nbformat 3 notebook; labtrail reads nbformat 4 \(convert it: jupyter nbconvert --to notebook --nbformat 4 FILE\)$/,
    ],
    ["missing-cells.ipynb", /^not a valid nbformat 4 notebook: missing "cells" \(expected a list of cells\)$/],
    ["wrong-types.ipynb", /^not a valid nbformat 4 notebook: cells\[1\]\.source: expected a string or a list of strings, got 42$/],
    ["binary.ipynb", /^binary data, not a notebook \(a NUL byte at byte offset 8; notebooks are JSON text\)$/],
    ["invalid-utf8.ipynb", /^not valid UTF-8: byte 0xE9 at line 12 \(byte offset 204\); notebooks are UTF-8 JSON$/],
    ["utf16.ipynb", /^the file is UTF-16 text; notebooks are UTF-8 \(save it as UTF-8\)$/],
  ])("%s", (name, expected) => {
    const result = readNotebookBytes(readFileSync(broken(name)));
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(expected);
  });

  it.each([
    ["whitespace only", " \n\t\n", /^empty file \(only whitespace\)/],
    ["a JSON list", "[1, 2]", /^not a notebook: the JSON is a list, not an object with "cells"$/],
    ["JSON null", "null", /^not a notebook: the JSON is null/],
    ["some other JSON object", '{"name": "package"}', /^not a notebook: the JSON has neither "nbformat" nor "cells"$/],
    ["a newer nbformat", '{"nbformat": 5, "cells": []}', /^nbformat 5 notebook; labtrail reads nbformat 4$/],
    [
      "cells that are not a list",
      '{"nbformat": 4, "cells": {}}',
      /^not a valid nbformat 4 notebook: cells: expected a list of cells, got an object$/,
    ],
    [
      "an unknown cell type",
      '{"nbformat": 4, "cells": [{"cell_type": "heading", "source": "x"}]}',
      /cells\[0\]\.cell_type: expected a cell with cell_type "code", "markdown" or "raw", got "heading"$/,
    ],
    ["a cell without a type", '{"nbformat": 4, "cells": [{"source": "x"}]}', /cells\[0\] is missing "cell_type"/],
    [
      "a source list holding a number",
      '{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 1]}]}',
      /cells\[0\]\.source: expected a string or a list of strings, got a list$/,
    ],
    [
      "an unknown output type",
      '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "pdf"}]}]}',
      /cells\[0\]\.outputs\[0\]\.output_type: expected an output with output_type/,
    ],
    [
      "an execution count that is text",
      '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "execution_count": "3"}]}',
      /cells\[0\]\.execution_count: expected a number or null, got "3"$/,
    ],
  ])("%s", (_name, text, expected) => {
    const result = parseNotebook(text);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(expected);
  });
});

describe("parseJsonText locates the first syntax error", () => {
  it.each([
    ['{"a": 1', '{"a": 1', "truncated JSON: the file ends before the document is complete (line 1, column 8)"],
    ['{"a": 1,\n}', '{"a": 1,\n}', "invalid JSON: expected a property name in double quotes, found '}' (line 2, column 1)"],
    ['{"a" 1}', '{"a" 1}', "invalid JSON: expected ':' after a property name, found '1' (line 1, column 6)"],
    ["[1, 2 3]", "[1, 2 3]", "invalid JSON: expected ',' or ']' after an array element, found '3' (line 1, column 7)"],
    ['{"a": "x\ny"}', '{"a": "x\ny"}', "invalid JSON: unescaped line break in a string (line 1, column 9)"],
    ['{"a": "x\ty"}', '{"a": "x\ty"}', "invalid JSON: unescaped control character in a string (line 1, column 7)"],
    ['{"a": "\\q"}', '{"a": "\\q"}', "invalid JSON: bad escape sequence in a string (line 1, column 7)"],
    ['{"a": tru}', '{"a": tru}', "invalid JSON: unexpected 'tru' (line 1, column 7)"],
    ['{"a": -}', '{"a": -}', "invalid JSON: unexpected '-' (line 1, column 7)"],
    ['{"a": 1.}', '{"a": 1.}', "invalid JSON: malformed number (line 1, column 7)"],
    ['{"a": 1 // note\n}', '{"a": 1 // note\n}', "invalid JSON: comments are not allowed in JSON (line 1, column 9)"],
    ["{}\n{}", "{}\n{}", "invalid JSON: unexpected text after the end of the document (line 2, column 1)"],
    ["\r\n\r\n  \u00e9", "\r\n\r\n  \u00e9", "invalid JSON: unexpected U+00E9 (line 3, column 3)"],
    [
      "100,000 nested lists, unclosed",
      "[".repeat(100_000),
      "truncated JSON: the file ends before the document is complete (line 1, column 100001)",
    ],
    [
      "a missing comma 5,000 lists deep",
      `${"[".repeat(5000)}1 2${"]".repeat(5000)}`,
      "invalid JSON: expected ',' or ']' after an array element, found '2' (line 1, column 5003)",
    ],
    ["text after 5,000 nested lists", `${"[".repeat(5000)}${"]".repeat(5000)} x`, "invalid JSON: unexpected 'x' (line 1, column 10002)"],
  ])("%j", (_label, text, problem) => {
    expect(parseJsonText(text)).toEqual({ ok: false, problem });
  });

  it("parses valid JSON", () => {
    expect(parseJsonText('{"a": [1, "b"]}')).toEqual({ ok: true, value: { a: [1, "b"] } });
  });
});
