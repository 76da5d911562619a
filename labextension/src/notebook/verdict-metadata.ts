/**
 * Run verdicts between the kernel's reply and the cell: the reply carries the full verdict (the core's
 * execute_reply metadata schema); the cell keeps what the core's cell-metadata schema allows, its kind
 * and a few clipped changes, so rerunning a reproduced cell leaves the notebook's diff quiet.
 * Pure: no JupyterLab imports.
 */
import { labtrailReplyMetadata, parseCellVerdict, toCellVerdict } from "labtrail/core";
import type { CellVerdict, Change, RerunVerdictKind } from "labtrail/core";

export { CELL_METADATA_KEY } from "labtrail/core";
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

const LABELS: Readonly<Record<RerunVerdictKind, string>> = {
  new: "new",
  reproduced: "✓ reproduced",
  drifted: "≠ drifted",
  changed: "changed",
  failed: "✗ failed",
};

const EXPLAINED: Readonly<Record<RerunVerdictKind, string>> = {
  new: "The first recorded run of this cell: nothing to compare with yet.",
  reproduced: "The last run reproduced the previous one.",
  drifted: "The last run differs from the previous one:",
  changed: "The code changed since the previous run, so nothing was compared.",
  failed: "The last run failed.",
};

/** The badge's text and tooltip (plain text; the view sets them as text, never as HTML). */
export function describeVerdict(verdict: CellVerdict): { label: string; tooltip: string } {
  const lines = [`labtrail: ${EXPLAINED[verdict.verdict]}`];
  for (const change of verdict.changes ?? []) lines.push(`• ${describeChange(change)}`);
  return { label: LABELS[verdict.verdict], tooltip: lines.join("\n") };
}

function describeChange(change: Change): string {
  return `${change.what}: ${change.before} → ${change.after}`;
}
