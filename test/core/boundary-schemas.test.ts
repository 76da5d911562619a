// The schemas of what crosses the kernel ↔ extension ↔ CLI boundary, defined once in the core: the
// execute_reply's and execute_request's labtrail metadata and the verdict a cell keeps in its metadata.
import {
  CELL_CHANGES_KEPT,
  CELL_VALUE_CHARS,
  cellVerdictSchema,
  LABTRAIL_REPLY_METADATA_KEY,
  type LabtrailReplyMetadata,
  labtrailReplyMetadata,
  labtrailRequestMetadata,
  parseCellVerdict,
  RERUN_VERDICTS,
  toCellVerdict,
} from "../../kernel/src/core";

describe("execute_reply metadata", () => {
  const sent: LabtrailReplyMetadata = {
    cellId: "cell-abc",
    notebook: "experiments/labels.ipynb",
    verdict: { kind: "drifted", summary: "≠ drifted: score 1 → 2", changes: [{ what: "score", before: "1", after: "2" }] },
  };

  it("reads back what the kernel sends, and keeps nothing it does not know", () => {
    expect(labtrailReplyMetadata({ [LABTRAIL_REPLY_METADATA_KEY]: { ...sent, newer: true }, started: "x" })).toEqual(sent);
    const unrecorded = { cellId: null, notebook: null, verdict: null };
    expect(labtrailReplyMetadata({ labtrail: unrecorded })).toEqual(unrecorded);
  });

  it.each([
    ["no metadata", undefined],
    ["no labtrail object", { started: "x" }],
    ["a block without its fields", { labtrail: { cellId: "abc" } }],
    ["a verdict of another kind", { labtrail: { ...sent, verdict: { kind: "great", summary: "", changes: [] } } }],
    ["a cell id of another type", { labtrail: { ...sent, cellId: 7 } }],
  ])("gives null for %s", (_what, metadata) => {
    expect(labtrailReplyMetadata(metadata)).toBeNull();
  });
});

describe("the cell's verdict", () => {
  it("is every rerun verdict's kind, and nothing else", () => {
    for (const kind of RERUN_VERDICTS) expect(parseCellVerdict({ verdict: kind })).toEqual({ verdict: kind });
    expect(parseCellVerdict({ verdict: "unknown", durationMs: 5 })).toBeNull();
    expect(parseCellVerdict({ verdict: "failed", durationMs: "5" })).toBeNull();
    expect(parseCellVerdict("reproduced")).toBeNull();
  });

  it("keeps the first changes, each on one clipped line, and leaves out an empty list", () => {
    expect(toCellVerdict({ kind: "reproduced", changes: [] })).toEqual({ verdict: "reproduced" });
    const changes = Array.from({ length: 8 }, (_, i) => ({ what: `m${i}\nnext`, before: String(i), after: "x".repeat(200) }));
    const kept = toCellVerdict({ kind: "drifted", changes });
    expect(kept.changes).toHaveLength(CELL_CHANGES_KEPT);
    expect(kept.changes?.[0]).toEqual({ what: "m0 next", before: "0", after: `${"x".repeat(CELL_VALUE_CHARS - 1)}…` });
    expect(cellVerdictSchema.parse(kept)).toEqual(kept);
  });
});

describe("execute_request metadata", () => {
  it("reads the notebook's path and the server root; nothing when the frontend sent none", () => {
    expect(labtrailRequestMetadata({ cellId: "a", labtrail: { notebookPath: "drafts/sentiment.ipynb", serverRoot: "~/work" } })).toEqual({
      ok: true,
      value: { notebookPath: "drafts/sentiment.ipynb", serverRoot: "~/work" },
    });
    // JupyterLab spreads the cell's metadata in: its verdict under the same key is not a path.
    expect(labtrailRequestMetadata({ labtrail: { verdict: "reproduced" } })).toEqual({ ok: true, value: {} });
    expect(labtrailRequestMetadata({ cellId: "a" })).toEqual({ ok: true, value: {} });
    expect(labtrailRequestMetadata(undefined)).toEqual({ ok: true, value: {} });
  });

  it.each([
    ["a path of another type", { notebookPath: 7 }, /notebookPath/],
    ["an empty path", { notebookPath: "" }, /notebookPath/],
    ["an absolute path", { notebookPath: "/home/me/nb.ipynb" }, /is absolute/],
    ["a path that leaves the root", { notebookPath: "../elsewhere/nb.ipynb" }, /must stay under the server root/],
    ["a path with an empty segment", { notebookPath: "a//nb.ipynb" }, /must stay under the server root/],
    ["a Windows path", { notebookPath: "a\\nb.ipynb" }, /not a \/-separated path/],
  ])("says what is wrong with %s", (_what, labtrail, problem) => {
    const read = labtrailRequestMetadata({ labtrail });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(problem);
  });
});
