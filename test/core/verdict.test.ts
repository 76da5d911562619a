// Drift you can read: a rerun's verdict says what changed in words (a word diff of each changed model
// answer, old → new for values), from records that keep the start of each answer; records written
// before that field existed still parse and still show their hashes.
import { judgeRun, modelCallRecordSchema, parseCellVerdict, type RunRecord, toCellVerdict, wordDiff } from "../../kernel/src/core";
import { modelCall, runRecord } from "../support/run-records";

const options = { tolerance: 1e-9 };
const rerun = (previous: RunRecord, overrides: Partial<RunRecord>) => {
  const { verdict: _verdict, ...current } = runRecord({ ...overrides });
  return judgeRun(previous, current, options);
};

describe("wordDiff", () => {
  it("marks removed and added words and keeps a few words of context around them", () => {
    expect(wordDiff("The label is bug because the button fails.", "The label is feature because the button fails.", 200)).toBe(
      "The label is [-bug-] {+feature+} because the button …",
    );
    const long = `${"one two three four five six seven eight ".repeat(3)}bug`;
    expect(wordDiff(long, long.replace(/bug$/, "feature"), 200)).toBe("… six seven eight [-bug-] {+feature+}");
  });

  it("is one line, clipped", () => {
    const diff = wordDiff("a\nb c", `a\nb ${"d ".repeat(200)}`, 40);
    expect(diff).toHaveLength(40);
    expect(diff).not.toContain("\n");
    expect(diff.endsWith("…")).toBe(true);
  });
});

describe("judgeRun on changed answers", () => {
  const before = runRecord({
    calls: [modelCall({ responseHash: "268c7f45aa", answer: "The title describes a bug: the login button does nothing." })],
    values: { accuracy: 0.9 },
  });

  it("shows the word diff of a changed answer and old → new for a value, in the summary and the changes", () => {
    const verdict = rerun(before, {
      calls: [modelCall({ responseHash: "6cbf3737bb", answer: "The title describes a feature: the login button does nothing." })],
      values: { accuracy: 0.8 },
    });
    expect(verdict.kind).toBe("drifted");
    expect(verdict.summary).toBe(
      "≠ drifted: accuracy 0.9 → 0.8; model answer 1 (fast): … title describes a [-bug-] {+feature+}: the login …",
    );
    expect(verdict.changes).toEqual([
      { what: "accuracy", before: "0.9", after: "0.8" },
      {
        what: "model answer 1 (fast)",
        before: "The title describes a bug: the login button does nothing.",
        // Clipped: the diff is what to read.
        after: "The title describes a feature: the login button does nothin…",
        diff: "… title describes a [-bug-] {+feature+}: the login …",
      },
    ]);
    expect(verdict.summary).not.toContain("268c7f45");
  });

  it("falls back to the response hashes for records that kept no answer text", () => {
    const old = runRecord({ calls: [modelCall({ responseHash: "268c7f45aa" })] });
    const verdict = rerun(old, { calls: [modelCall({ responseHash: "6cbf3737bb", answer: "anything" })] });
    expect(verdict.changes).toEqual([{ what: "model answer 1 (fast)", before: "268c7f45", after: "6cbf3737" }]);
    expect(verdict.summary).toBe("≠ drifted: model answer 1 (fast) 268c7f45 → 6cbf3737");
  });

  it("keeps the diff in the cell's metadata, clipped, where the extension reads it", () => {
    const verdict = rerun(before, {
      calls: [modelCall({ responseHash: "6cbf3737bb", answer: "The title describes a feature: the login button does nothing." })],
    });
    const cell = toCellVerdict(verdict);
    expect(parseCellVerdict(cell)).toEqual(cell);
    expect(cell.changes?.find((change) => change.what === "model answer 1 (fast)")?.diff).toBe(
      "… title describes a [-bug-] {+feature+}: the login …",
    );
  });

  it("parses a model-call record written before answers were kept", () => {
    const { answer: _answer, ...older } = modelCall({ answer: "x" });
    expect(modelCallRecordSchema.parse(older)).toEqual(older);
  });
});
