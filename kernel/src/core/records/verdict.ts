/**
 * Did a rerun reproduce? Compares a cell's run with its previous run: same code → compare the values
 * passed to record(…) (numbers within a tolerance), the model answers and the result; different code →
 * "changed", no comparison; an error → "failed"; no previous run → "new".
 */
import { clip } from "../text";
import { canonicalJson } from "./canonical-json";
import type { Change, ModelCallRecord, RerunVerdict, RunRecord } from "./schema";
import { wordDiff } from "./word-diff";
import { compareEvaluations } from "../evaluation/compare";

export interface VerdictOptions {
  /** Largest absolute difference between two numbers that still counts as the same. */
  tolerance: number;
}

const SHOWN = 60;
/** How long a change's word diff may be in the record; the one-line summary shows less of it. */
const DIFF_KEPT = 240;
const DIFF_SHOWN = 100;

/** The tolerance when the caller has no configured one (the config's default, `verdicts.tolerance`). */
export const DEFAULT_TOLERANCE = 1e-9;

export function judgeRun(previous: RunRecord | undefined, current: Omit<RunRecord, "verdict">, options: VerdictOptions): RerunVerdict {
  if (current.status === "error") {
    const error = current.error ? `${current.error.ename}: ${current.error.evalue}` : "the cell failed";
    return { kind: "failed", summary: `✗ failed: ${clip(error.split("\n")[0], 120)}`, changes: [] };
  }
  if (!previous) return { kind: "new", summary: "new: the first recorded run of this cell", changes: [] };
  if (previous.codeHash !== current.codeHash) {
    return { kind: "changed", summary: "changed: the code differs from the last run, so nothing was compared", changes: [] };
  }
  const changes: Change[] = [];
  if (previous.status === "error") changes.push({ what: "status", before: "error", after: "ok" });
  // An evaluation's summary (in values under its name) holds latencies and token counts that a replay
  // does not reproduce: its items and score means are compared instead.
  const evaluated = new Set([...(previous.evaluations ?? []), ...(current.evaluations ?? [])].map((e) => e.name));
  compareValues(omit(previous.values, evaluated), omit(current.values, evaluated), options.tolerance, changes);
  compareCalls(previous, current, changes);
  compareEvaluations(previous.evaluations ?? [], current.evaluations ?? [], changes);
  if (previous.outputs.resultHash !== current.outputs.resultHash) {
    const before = previous.outputs.result ?? "(none)";
    const after = current.outputs.result ?? "(none)";
    const diff = previous.outputs.result !== null && current.outputs.result !== null ? wordDiff(before, after, DIFF_KEPT) : undefined;
    changes.push({ what: "result", before, after, ...(diff ? { diff } : {}) });
  }
  if (changes.length > 0) {
    const listed = changes
      .slice(0, 3)
      .map((c) => (c.diff ? `${c.what}: ${clip(c.diff, DIFF_SHOWN)}` : `${c.what} ${clip(c.before, 24)} → ${clip(c.after, 24)}`))
      .join("; ");
    return { kind: "drifted", summary: `≠ drifted: ${listed}${changes.length > 3 ? `; and ${changes.length - 3} more` : ""}`, changes };
  }
  const compared = [
    plural(Object.keys(current.values).length, "value"),
    plural(current.calls.length, "model answer"),
    current.outputs.resultHash ? "result" : "",
  ].filter(Boolean);
  const replayed = current.calls.filter((c) => c.replayed).length;
  const detail = compared.length ? `same ${compared.join(", ")}` : "same code, nothing to compare";
  return {
    kind: "reproduced",
    summary: `✓ reproduced: ${detail}${current.calls.length ? ` (${replayed} of ${current.calls.length} replayed)` : ""}`,
    changes: [],
  };
}

function compareValues(before: Record<string, unknown>, after: Record<string, unknown>, tolerance: number, changes: Change[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (typeof a === "number" && typeof b === "number") {
      if (Math.abs(a - b) <= tolerance || (Number.isNaN(a) && Number.isNaN(b))) continue;
    } else if (canonicalJson(a) === canonicalJson(b)) {
      continue;
    }
    changes.push({ what: key, before: show(a), after: show(b) });
  }
}

function omit(values: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  return names.size === 0 ? values : Object.fromEntries(Object.entries(values).filter(([key]) => !names.has(key)));
}

function compareCalls(previous: RunRecord, current: Omit<RunRecord, "verdict">, changes: Change[]): void {
  if (previous.calls.length !== current.calls.length) {
    changes.push({ what: "model calls", before: String(previous.calls.length), after: String(current.calls.length) });
  }
  // Calls made for evaluate() items start in whatever order concurrent items free a slot: their
  // answers are compared item by item (compareEvaluations), not by position.
  const before = previous.calls.filter((c) => c.item === undefined);
  const after = current.calls.filter((c) => c.item === undefined);
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    if (before[i].responseHash !== after[i].responseHash) changes.push(answerChange(i, before[i], after[i]));
  }
}

/**
 * A changed model answer: its text before and after with a word diff, when both records kept the text
 * (`answer`); otherwise, for records older than that, the response hashes.
 */
function answerChange(i: number, before: ModelCallRecord, after: ModelCallRecord): Change {
  const what = `model answer ${i + 1} (${after.name})`;
  if (before.answer === undefined || after.answer === undefined) {
    return { what, before: before.responseHash.slice(0, 8), after: after.responseHash.slice(0, 8) };
  }
  const diff =
    before.answer === after.answer ? "(the same text; the rest of the answer differs)" : wordDiff(before.answer, after.answer, DIFF_KEPT);
  return { what, before: clip(oneLine(before.answer), SHOWN), after: clip(oneLine(after.answer), SHOWN), diff };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function show(value: unknown): string {
  return value === undefined
    ? "(none)"
    : clip(typeof value === "string" ? JSON.stringify(value) : (canonicalJson(value) ?? String(value)), SHOWN);
}

function plural(n: number, word: string): string {
  return n === 0 ? "" : `${n} ${word}${n === 1 ? "" : "s"}`;
}
