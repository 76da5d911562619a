/**
 * The part of a verdict that is about evaluate(): each evaluation's items compared with the previous
 * run's by index and trial (output, scores, failure), so a drift names the items that changed. Latency
 * and token counts are not compared: a replay is faster than the live run it replays.
 */
import type { Change } from "../records/schema";
import type { EvaluationItemRecord, EvaluationRecord } from "./schema";

const NAMED = 8;

function label(e: EvaluationRecord): string {
  return e.variant === null ? `evaluation "${e.name}"` : `evaluation "${e.name}" › ${e.variant}`;
}

function sameItem(a: EvaluationItemRecord, b: EvaluationItemRecord): "output" | "scores" | "error" | null {
  if ((a.error === undefined) !== (b.error === undefined)) return "error";
  if (a.outputHash !== b.outputHash) return "output";
  const keys = new Set([...Object.keys(a.scores), ...Object.keys(b.scores)]);
  for (const key of keys) if (a.scores[key] !== b.scores[key]) return "scores";
  return null;
}

export function compareEvaluations(before: readonly EvaluationRecord[], after: readonly EvaluationRecord[], changes: Change[]): void {
  for (const current of after) {
    const previous = before.find((e) => e.name === current.name && e.variant === current.variant);
    if (!previous) {
      changes.push({ what: label(current), before: "(none)", after: `${current.runs} item runs` });
      continue;
    }
    if (previous.runs !== current.runs) {
      changes.push({ what: `${label(current)} items`, before: String(previous.runs), after: String(current.runs) });
      continue;
    }
    const old = new Map(previous.items.map((item) => [`${item.index}.${item.trial}`, item]));
    const drifted: string[] = [];
    for (const item of current.items) {
      const was = old.get(`${item.index}.${item.trial}`);
      if (!was) continue;
      const what = sameItem(was, item);
      if (what) drifted.push(`${item.index}${item.trial > 1 ? `.${item.trial}` : ""} (${what})`);
    }
    if (drifted.length === 0) continue;
    const named = drifted.slice(0, NAMED).join(", ") + (drifted.length > NAMED ? `, and ${drifted.length - NAMED} more` : "");
    const means = current.scores
      .filter((s) => previous.summary[s] !== current.summary[s])
      .map((s) => `${s} ${show(previous.summary[s])} → ${show(current.summary[s])}`);
    changes.push({
      what: label(current),
      before: means.length ? means.join(", ") : `${previous.runs} item runs`,
      after: `${drifted.length} of ${current.runs} item runs changed`,
      diff: `item${drifted.length === 1 ? "" : "s"} ${named} changed${means.length ? `; ${means.join(", ")}` : ""}`,
    });
  }
  for (const previous of before) {
    if (!after.some((e) => e.name === previous.name && e.variant === previous.variant)) {
      changes.push({ what: label(previous), before: `${previous.runs} item runs`, after: "(none)" });
    }
  }
}

function show(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : String(Math.round(value * 1000) / 1000);
}
