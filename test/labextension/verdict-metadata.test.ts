// Verdicts from the kernel's reply to the cell metadata and the badge: minimal, clipped, plain text.
import { nullTranslator } from "@jupyterlab/translation";
import { cellVerdict, describeVerdict, verdictFromReply } from "../../labextension/src/notebook/verdict-metadata";

const trans = nullTranslator.load("labtrail");

const reply = (verdict: unknown) => ({ labtrail: { cellId: "abc", notebook: "n.ipynb", verdict } });

test("a reproduced verdict is stored as its kind alone, so reruns keep the notebook's diff quiet", () => {
  const found = verdictFromReply(reply({ kind: "reproduced", summary: "✓ reproduced: same 1 value (run 7 at 12:00)", changes: [] }));
  expect(found).toEqual({ cellId: "abc", verdict: { verdict: "reproduced" } });
  expect(describeVerdict(found!.verdict, trans)).toEqual({
    label: "✓ reproduced",
    tooltip: "labtrail: The last run reproduced the previous one.",
  });
});

test("a drift keeps what changed, clipped and limited, and says it in the tooltip", () => {
  const changes = Array.from({ length: 8 }, (_, i) => ({ what: `m${i}`, before: String(i), after: "x".repeat(200) }));
  const found = verdictFromReply(reply({ kind: "drifted", summary: "≠ drifted", changes }));
  expect(found!.verdict.changes).toHaveLength(5);
  expect(found!.verdict.changes![0].after).toHaveLength(80);
  const { label, tooltip } = describeVerdict(found!.verdict, trans);
  expect(label).toBe("≠ drifted");
  expect(tooltip.split("\n")).toHaveLength(6);
  expect(tooltip).toContain("• m0: 0 → xxx");
});

test("replies without a verdict, or with one of another shape, give nothing", () => {
  expect(verdictFromReply(reply(null))).toBeNull();
  expect(verdictFromReply({ labtrail: { cellId: "abc" } })).toBeNull();
  expect(verdictFromReply(reply({ kind: "great", summary: "", changes: [] }))).toBeNull();
  expect(verdictFromReply({})).toBeNull();
  expect(verdictFromReply(undefined)).toBeNull();
});

test("cell metadata is read back with the same schema; foreign values are ignored", () => {
  expect(cellVerdict({ verdict: "failed" })).toEqual({ verdict: "failed" });
  expect(cellVerdict({ verdict: "failed", changes: [{ what: "a", before: "1", after: "2" }] })).toMatchObject({ verdict: "failed" });
  expect(cellVerdict({ verdict: "<script>" })).toBeNull();
  expect(cellVerdict("reproduced")).toBeNull();
});

test("a changed answer reads as its word diff in the tooltip, not as hashes", () => {
  const changes = [
    { what: "model answer 1 (fast)", before: "It is a bug.", after: "It is a feature.", diff: "It is a [-bug-] {+feature+} ." },
    { what: "accuracy", before: "0.9", after: "0.8" },
  ];
  const found = verdictFromReply(reply({ kind: "drifted", summary: "≠ drifted", changes }));
  expect(found!.verdict.changes![0].diff).toBe("It is a [-bug-] {+feature+} .");
  expect(describeVerdict(found!.verdict, trans).tooltip.split("\n").slice(1)).toEqual([
    "• model answer 1 (fast): It is a [-bug-] {+feature+} .",
    "• accuracy: 0.9 → 0.8",
  ]);
});
