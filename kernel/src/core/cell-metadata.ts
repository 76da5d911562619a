/**
 * The rerun verdict a cell keeps in its metadata, under the `labtrail` key: its kind and what changed
 * (a few changes, clipped), with no run numbers or times, so rerunning a reproduced cell leaves the
 * notebook's diff quiet. The JupyterLab extension writes it from each execute_reply and shows it as a
 * badge; `labtrail reproduce --output` writes it into the executed copy (with the run's duration).
 */

import { z } from "zod";
import { changeSchema, RERUN_VERDICTS, type Change, type RerunVerdict } from "./records/schema";

/** The cell metadata key. */
export const CELL_METADATA_KEY = "labtrail";

/** At most this many changes are kept in the cell, each value clipped to this many characters. */
export const CELL_CHANGES_KEPT = 5;
export const CELL_VALUE_CHARS = 80;

/** Not strict: the same key may hold fields a newer labtrail adds. */
export const cellVerdictSchema = z.object({
  verdict: z.enum(RERUN_VERDICTS),
  changes: z.array(changeSchema).optional(),
  /** How long the run took; written by `labtrail reproduce --output`, not by the extension. */
  durationMs: z.number().optional(),
});
export type CellVerdict = z.output<typeof cellVerdictSchema>;

/** What a cell keeps of a rerun verdict: its kind, and the first changes, clipped (none when there are none). */
export function toCellVerdict(verdict: Pick<RerunVerdict, "kind" | "changes">): CellVerdict {
  const changes: Change[] = verdict.changes.slice(0, CELL_CHANGES_KEPT).map((change) => ({
    what: clipValue(change.what),
    before: clipValue(change.before),
    after: clipValue(change.after),
  }));
  return changes.length > 0 ? { verdict: verdict.kind, changes } : { verdict: verdict.kind };
}

/** The verdict stored in a cell's metadata (the value under CELL_METADATA_KEY), or null. */
export function parseCellVerdict(value: unknown): CellVerdict | null {
  const parsed = cellVerdictSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** One line, at most CELL_VALUE_CHARS characters. */
function clipValue(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > CELL_VALUE_CHARS ? `${oneLine.slice(0, CELL_VALUE_CHARS - 1)}…` : oneLine;
}
