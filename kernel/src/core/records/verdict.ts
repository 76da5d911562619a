/**
 * Did a rerun reproduce? Compares a cell's run with its previous run: same code → compare the values
 * passed to record(…) (numbers within a tolerance), the model answers and the result; different code →
 * "changed", no comparison; an error → "failed"; no previous run → "new".
 */
import { clip } from "../text";
import { canonicalJson } from "./canonical-json";
import type { Change, RerunVerdict, RunRecord } from "./schema";

export interface VerdictOptions {
  /** Largest absolute difference between two numbers that still counts as the same. */
  tolerance: number;
}

const SHOWN = 60;

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
  compareValues(previous.values, current.values, options.tolerance, changes);
  compareCalls(previous, current, changes);
  if (previous.outputs.resultHash !== current.outputs.resultHash) {
    changes.push({ what: "result", before: previous.outputs.result ?? "(none)", after: current.outputs.result ?? "(none)" });
  }
  if (changes.length > 0) {
    const listed = changes
      .slice(0, 3)
      .map((c) => `${c.what} ${clip(c.before, 24)} → ${clip(c.after, 24)}`)
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

function compareCalls(previous: RunRecord, current: Omit<RunRecord, "verdict">, changes: Change[]): void {
  const before = previous.calls;
  const after = current.calls;
  if (before.length !== after.length) {
    changes.push({ what: "model calls", before: String(before.length), after: String(after.length) });
  }
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    if (before[i].responseHash !== after[i].responseHash) {
      changes.push({
        what: `model answer ${i + 1} (${after[i].name})`,
        before: before[i].responseHash.slice(0, 8),
        after: after[i].responseHash.slice(0, 8),
      });
    }
  }
}

function show(value: unknown): string {
  return value === undefined
    ? "(none)"
    : clip(typeof value === "string" ? JSON.stringify(value) : (canonicalJson(value) ?? String(value)), SHOWN);
}

function plural(n: number, word: string): string {
  return n === 0 ? "" : `${n} ${word}${n === 1 ? "" : "s"}`;
}
