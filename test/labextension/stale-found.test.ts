// The stale-Found marks the extension shows: the core's judgement of a cell's Found against its run
// records, where on the cell it goes, and the "Found still holds" confirmation that clears it.
import { CELL_METADATA_KEY, codeHash, lintNotebook, parseNotebook, withFoundConfirmation } from "labtrail/core";
import type { Notebook, RunRecord } from "labtrail/core";
import { staleFoundMark, staleFoundMarks } from "../../labextension/src/notebook/stale-found";
import { runRecord } from "../support/run-records";

const SOURCE = "// Tested: a one-line prompt is enough\n// Found: 6/10 useful\nrecord({ useful: 0.6 });";
const FOUND = "6/10 useful";

function notebookOf(source: string, metadata: Record<string, unknown> = {}): Notebook {
  const parsed = parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown", id: "intro", metadata: {}, source: "# Prompts" },
        { cell_type: "code", id: "plain", metadata, execution_count: 2, outputs: [], source },
      ],
    }),
  );
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.notebook;
}

/** Found written after run 1, then a rerun whose results drifted. */
const drifted: RunRecord[] = [
  runRecord({ cell: "plain", codeHash: codeHash(SOURCE), header: {}, values: { useful: 0.6 } }),
  runRecord({
    cell: "plain",
    codeHash: codeHash(SOURCE),
    header: { found: FOUND },
    values: { useful: 0.5 },
    verdict: { kind: "drifted", summary: "≠ drifted", changes: [{ what: "useful", before: "0.6", after: "0.5" }] },
  }),
];

test("a Found whose results drifted after it was written is marked on its line, with lint's message", () => {
  const notebook = notebookOf(SOURCE);
  const marks = staleFoundMarks(notebook, drifted);
  expect([...marks.keys()]).toEqual([1]);
  expect(marks.get(1)).toEqual({
    reason: "results-drifted",
    message: "Found may be stale: the results drifted after Found was written (run 2)",
    line: 2,
    confirmation: { found: FOUND, codeHash: codeHash(SOURCE), run: 2 },
  });
  expect(staleFoundMark(notebook, drifted, 1)).toEqual(marks.get(1));
  const lint = lintNotebook(notebook, { runs: { records: drifted, codeHash } }).problems.filter((p) => p.code === "stale-found");
  expect(lint.map((p) => [p.cell - 1, p.start.line, p.message])).toEqual([[1, 2, marks.get(1)!.message]]);
});

test("the confirmation it offers, once in the cell's metadata, clears the mark (and lint's)", () => {
  const mark = staleFoundMark(notebookOf(SOURCE), drifted, 1)!;
  const confirmed = notebookOf(SOURCE, { [CELL_METADATA_KEY]: withFoundConfirmation({ verdict: "drifted" }, mark.confirmation!) });
  expect(staleFoundMark(confirmed, drifted, 1)).toBeNull();
  expect(staleFoundMarks(confirmed, drifted).size).toBe(0);
  expect(lintNotebook(confirmed, { runs: { records: drifted, codeHash } }).problems).toEqual([]);
});

test("code changed after the last run: marked, but no confirmation offered (rerun instead)", () => {
  const edited = `${SOURCE}\nrecord({ extra: 1 });`;
  const mark = staleFoundMark(notebookOf(edited), drifted, 1);
  expect(mark?.reason).toBe("code-changed");
  expect(mark?.confirmation).toBeNull();
});

test("nothing is marked without records, without a Found, for other cells, or when the results hold", () => {
  expect(staleFoundMarks(notebookOf(SOURCE), []).size).toBe(0);
  expect(staleFoundMark(notebookOf(SOURCE), drifted, 0)).toBeNull();
  const noFound = "// Tested: a one-line prompt is enough\nrecord({ useful: 0.6 });";
  expect(staleFoundMark(notebookOf(noFound), drifted, 1)).toBeNull();
  const held = [drifted[0], runRecord({ cell: "plain", codeHash: codeHash(SOURCE), header: { found: FOUND }, values: { useful: 0.6 } })];
  expect(staleFoundMark(notebookOf(SOURCE), held, 1)).toBeNull();
});
