/**
 * The rerun verdict a cell keeps in its metadata, under the `labtrail` key: its kind and what changed
 * (a few changes, clipped), with no run numbers or times, so rerunning a reproduced cell leaves the
 * notebook's diff quiet. The JupyterLab extension writes it from each execute_reply and shows it as a
 * badge; `labtrail reproduce --output` writes it into the executed copy (with the run's duration).
 *
 * The same key holds `foundConfirmed`: the user's word ("Found still holds") that the cell's Found was
 * checked against a run, so the stale-Found check (records/stale-found.ts) takes that run as its
 * baseline — in `labtrail lint`, the export and the extension alike.
 */

import { z } from "zod";
import { changeSchema, RERUN_VERDICTS, type Change, type RerunVerdict } from "./records/schema";

/** The cell metadata key. */
export const CELL_METADATA_KEY = "labtrail";

/** At most this many changes are kept in the cell, each value clipped to this many characters. */
export const CELL_CHANGES_KEPT = 5;
export const CELL_VALUE_CHARS = 80;
/** A change's word diff is kept in the cell up to this many characters. */
export const CELL_DIFF_CHARS = 240;

/** "Found still holds": the Found text, the code hash and the run (its number in runs.jsonl) it was checked against. */
export const foundConfirmationSchema = z.object({
  found: z.string(),
  codeHash: z.string(),
  run: z.number().int().positive(),
});
export type FoundConfirmation = z.output<typeof foundConfirmationSchema>;

/** Not strict: the same key may hold fields a newer labtrail adds. */
export const cellVerdictSchema = z.object({
  verdict: z.enum(RERUN_VERDICTS),
  changes: z.array(changeSchema).optional(),
  /** How long the run took; written by `labtrail reproduce --output`, not by the extension. */
  durationMs: z.number().optional(),
  foundConfirmed: foundConfirmationSchema.optional(),
});
export type CellVerdict = z.output<typeof cellVerdictSchema>;

/** What a cell keeps of a rerun verdict: its kind, and the first changes, clipped (none when there are none). */
export function toCellVerdict(verdict: Pick<RerunVerdict, "kind" | "changes">): CellVerdict {
  const changes: Change[] = verdict.changes.slice(0, CELL_CHANGES_KEPT).map((change) => ({
    what: clipValue(change.what),
    before: clipValue(change.before),
    after: clipValue(change.after),
    ...(change.diff === undefined ? {} : { diff: clipValue(change.diff, CELL_DIFF_CHARS) }),
  }));
  return changes.length > 0 ? { verdict: verdict.kind, changes } : { verdict: verdict.kind };
}

/** The verdict stored in a cell's metadata (the value under CELL_METADATA_KEY), or null. */
export function parseCellVerdict(value: unknown): CellVerdict | null {
  const parsed = cellVerdictSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const cellConfirmationSchema = z.looseObject({ foundConfirmed: foundConfirmationSchema });

/** The "Found still holds" confirmation stored in a cell's metadata (the value under CELL_METADATA_KEY), or null. */
export function parseFoundConfirmation(value: unknown): FoundConfirmation | null {
  const parsed = cellConfirmationSchema.safeParse(value);
  return parsed.success ? parsed.data.foundConfirmed : null;
}

/**
 * The value to store under CELL_METADATA_KEY for a new verdict: the verdict, plus the confirmation the
 * cell already had (a rerun does not take back the user's word; the stale check judges it against the runs).
 */
export function withCellVerdict(existing: unknown, verdict: CellVerdict): CellVerdict {
  const { foundConfirmed: _dropped, ...fresh } = verdict;
  const confirmation = parseFoundConfirmation(existing);
  return confirmation ? { ...fresh, foundConfirmed: confirmation } : fresh;
}

/** The value to store under CELL_METADATA_KEY with `confirmation` added (anything else the cell keeps there stays). */
export function withFoundConfirmation(existing: unknown, confirmation: FoundConfirmation): Record<string, unknown> {
  const kept = existing !== null && typeof existing === "object" && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {};
  return { ...kept, foundConfirmed: foundConfirmationSchema.parse(confirmation) };
}

/** One line, at most `max` characters. */
function clipValue(text: string, max = CELL_VALUE_CHARS): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
