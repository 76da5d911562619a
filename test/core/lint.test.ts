// Linting a whole notebook: problems carry their cell, and the work grows with the headers, not the code.
import { readFileSync } from "node:fs";
import { formatProblem, lintNotebook, Notebook, parseNotebook } from "../../kernel/src/core";
import { generateNotebook, notebook } from "../fixtures";

function load(text: string): Notebook {
  const result = parseNotebook(text);
  if (!result.ok) throw new Error(result.problem);
  return result.notebook;
}

describe("lintNotebook", () => {
  it("numbers cells as the notebook does, Markdown cells included, and keeps cell ids", () => {
    const { problems } = lintNotebook(load(readFileSync(notebook("problems.ipynb"), "utf8")));
    expect(problems.map((p) => formatProblem("problems.ipynb", p))).toEqual([
      'problems.ipynb:cell 2:1:1: missing Tested: add "// Tested: <what this cell tries>" at the top of the cell',
      'problems.ipynb:cell 3:1:4: missing Found: the cell has run; add "// Found: <what the run showed>" to its header',
      'problems.ipynb:cell 4:2:4: unknown header key "Fnd" (did you mean "Found"?)',
      'problems.ipynb:cell 5:2:4: duplicate key "tested" (first given at line 1); only the first is used',
      'problems.ipynb:cell 6:3:13: Verdict must start with supported, refuted or inconclusive, not "maybe"',
      'problems.ipynb:cell 7:2:1: missing Tested: the header must be at the very top of the cell; move "Tested:" from line 2 above the code at line 1',
    ]);
    expect(problems.map((p) => p.cellId)).toEqual(["no-header", "no-found", "unknown", "dup", "verdict", "below"]);
  });

  it("finds nothing wrong with every accepted form", () => {
    expect(lintNotebook(load(readFileSync(notebook("forms.ipynb"), "utf8"))).problems).toEqual([]);
  });

  it("applies the configured required keys", () => {
    const { problems } = lintNotebook(load(readFileSync(notebook("forms.ipynb"), "utf8")), { required: ["tested", "verdict"] });
    expect(problems.map((p) => [p.cell, p.key, p.code])).toEqual([
      [1, "verdict", "missing-key"],
      [2, "verdict", "missing-key"],
      [3, "verdict", "missing-key"],
    ]);
  });

  it("reads each cell's header and one more line: independent of code length, linear in cells", () => {
    const short = lintNotebook(load(generateNotebook(2_000, 2)));
    const long = lintNotebook(load(generateNotebook(2_000, 100)));
    // 1,000 cells with a three-line header (4 lines read each) and 1,000 without (1 line read each).
    expect(short.linesScanned).toBe(1_000 * 4 + 1_000 * 1);
    expect(long.linesScanned).toBe(short.linesScanned);
    const large = lintNotebook(load(generateNotebook(10_000, 2)));
    expect(large.linesScanned).toBe(5 * short.linesScanned);
    // Odd cells lack Tested; of those, the ones that ran (i % 3 != 0) lack Found too.
    const ranWithoutHeader = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 !== 0).length;
    expect(large.problems).toHaveLength(5_000 + ranWithoutHeader);
    expect(large.problems[0]).toMatchObject({ cell: 2, cellId: "c1", code: "missing-key", key: "tested" });
  });
});
