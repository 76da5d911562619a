/**
 * Run verdicts between the kernel's reply and the cell: the reply carries the full verdict (the core's
 * execute_reply metadata schema); the cell keeps what the core's cell-metadata schema allows, its kind
 * and a few clipped changes, so rerunning a reproduced cell leaves the notebook's diff quiet.
 * Pure: no JupyterLab code, only the type of the translation bundle its caller passes.
 */
import { labtrailReplyMetadata, parseCellVerdict, toCellVerdict } from "labtrail/core";
import type { CellVerdict, Change, RerunVerdictKind } from "labtrail/core";
import type { TranslationBundle } from "@jupyterlab/translation";

export { CELL_METADATA_KEY, withCellVerdict } from "labtrail/core";
export type { CellVerdict } from "labtrail/core";

/** The cell id and verdict an execute_reply's metadata carries, or null when it has no verdict. */
export function verdictFromReply(metadata: unknown): { cellId: string | null; verdict: CellVerdict } | null {
  const reported = labtrailReplyMetadata(metadata);
  if (!reported?.verdict) return null;
  return { cellId: reported.cellId, verdict: toCellVerdict(reported.verdict) };
}

/** The verdict stored in a cell's metadata (`labtrail` key), or null. */
export function cellVerdict(value: unknown): CellVerdict | null {
  return parseCellVerdict(value);
}

/** The badge's text and tooltip (plain text; the view sets them as text, never as HTML). */
export function describeVerdict(verdict: CellVerdict, trans: TranslationBundle): { label: string; tooltip: string } {
  const labels: Readonly<Record<RerunVerdictKind, string>> = {
    new: trans.__("new"),
    reproduced: trans.__("✓ reproduced"),
    drifted: trans.__("≠ drifted"),
    changed: trans.__("changed"),
    failed: trans.__("✗ failed"),
  };
  const explained: Readonly<Record<RerunVerdictKind, string>> = {
    new: trans.__("labtrail: The first recorded run of this cell: nothing to compare with yet."),
    reproduced: trans.__("labtrail: The last run reproduced the previous one."),
    drifted: trans.__("labtrail: The last run differs from the previous one:"),
    changed: trans.__("labtrail: The code changed since the previous run, so nothing was compared."),
    failed: trans.__("labtrail: The last run failed."),
  };
  const lines = [explained[verdict.verdict]];
  for (const change of verdict.changes ?? []) lines.push(`• ${describeChange(change)}`);
  return { label: labels[verdict.verdict], tooltip: lines.join("\n") };
}

/**
 * Data, not prose: the user's own names and values, so nothing here to translate. A changed answer
 * reads as its word diff (`[-old-] {+new+}`), a value as old → new.
 */
function describeChange(change: Change): string {
  return change.diff ? `${change.what}: ${change.diff}` : `${change.what}: ${change.before} → ${change.after}`;
}
