/**
 * Compare two runs of a cell: what changed between them — status, duration, error, the code (by its
 * hash), each metric, what the cell printed and returned, and each model answer — with word diffs to
 * read rather than hashes. Structured, so the panel renders removed and added words as such; the
 * labels are the panel's (translated). Pure and browser-safe.
 */
import { diffWords } from "diff";
import { canonicalJson } from "../records/canonical-json";
import type { NumberedRun } from "../records/evidence";
import type { RunRecord } from "../records/schema";

/** Each side of a text diff is cut to this many characters (records keep bounded text anyway). */
export const COMPARE_TEXT_CHARS = 4000;

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

export interface ValueChange {
  /** A field ("status", "duration", "error", "code", "verdict") or a metric's name. */
  name: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

export interface TextChange {
  changed: boolean;
  before: string | null;
  after: string | null;
  /** The word diff; empty when neither side has text. */
  parts: DiffPart[];
}

export interface AnswerChange extends TextChange {
  /** 1-based place of the call in the run. */
  call: number;
  modelBefore: string | null;
  modelAfter: string | null;
  /** Both runs made the same request (same recording key). */
  sameRequest: boolean;
  replayedBefore: boolean | null;
  replayedAfter: boolean | null;
}

export interface RunComparison {
  before: { run: number; startedAt: string };
  after: { run: number; startedAt: string };
  fields: ValueChange[];
  metrics: ValueChange[];
  output: TextChange;
  result: TextChange;
  answers: AnswerChange[];
}

/** The two runs compared, older first whatever order they come in. */
export function compareRuns(a: NumberedRun, b: NumberedRun): RunComparison {
  const [older, newer] = a.run <= b.run ? [a, b] : [b, a];
  const x = older.record;
  const y = newer.record;
  return {
    before: { run: older.run, startedAt: x.startedAt },
    after: { run: newer.run, startedAt: y.startedAt },
    fields: [
      value("status", x.status, y.status),
      value("duration", String(x.durationMs), String(y.durationMs), false),
      value("error", errorOf(x), errorOf(y)),
      value("code", x.codeHash.slice(0, 12), y.codeHash.slice(0, 12)),
      value("verdict", x.verdict.kind, y.verdict.kind, false),
    ],
    metrics: metricChanges(x, y),
    output: textChange(x.outputs.text, y.outputs.text),
    result: textChange(x.outputs.result, y.outputs.result),
    answers: answerChanges(x, y),
  };
}

/** A word diff of two texts as parts (whitespace kept as the texts have it). */
export function diffParts(before: string, after: string): DiffPart[] {
  return diffWords(before.slice(0, COMPARE_TEXT_CHARS), after.slice(0, COMPARE_TEXT_CHARS)).map((part) => ({
    kind: part.added ? "added" : part.removed ? "removed" : "same",
    text: part.value,
  }));
}

function value(name: string, before: string | null, after: string | null, counts = true): ValueChange {
  return { name, before, after, changed: counts && before !== after };
}

function errorOf(record: RunRecord): string | null {
  return record.error ? `${record.error.ename}: ${record.error.evalue}`.split("\n")[0] : null;
}

function metricText(value: unknown): string | null {
  if (value === undefined) return null;
  return typeof value === "string" ? value : (canonicalJson(value) ?? String(value));
}

function metricChanges(x: RunRecord, y: RunRecord): ValueChange[] {
  const names = [...new Set([...Object.keys(x.values), ...Object.keys(y.values)])].sort();
  return names.map((name) => value(name, metricText(x.values[name]), metricText(y.values[name])));
}

function textChange(before: string | null, after: string | null): TextChange {
  const changed = before !== after;
  const parts = before === null && after === null ? [] : diffParts(before ?? "", after ?? "");
  return { changed, before, after, parts };
}

function answerChanges(x: RunRecord, y: RunRecord): AnswerChange[] {
  const count = Math.max(x.calls.length, y.calls.length);
  const out: AnswerChange[] = [];
  for (let i = 0; i < count; i++) {
    const a = x.calls[i];
    const b = y.calls[i];
    const before = a ? (a.answer ?? null) : null;
    const after = b ? (b.answer ?? null) : null;
    const text = textChange(before, after);
    // Older records keep no answer text: the response hash still says whether it changed.
    const changed = a && b && before === null && after === null ? a.responseHash !== b.responseHash : text.changed || !a || !b;
    out.push({
      ...text,
      changed,
      call: i + 1,
      modelBefore: a?.model ?? null,
      modelAfter: b?.model ?? null,
      sameRequest: !!a && !!b && a.requestHash === b.requestHash,
      replayedBefore: a ? a.replayed : null,
      replayedAfter: b ? b.replayed : null,
    });
  }
  return out;
}
