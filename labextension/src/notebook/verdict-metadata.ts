/**
 * Run verdicts between the kernel's reply and the cell: the reply carries the full verdict
 * (`metadata.labtrail.verdict`, the core's verdictSchema); the cell keeps only its kind and what
 * changed, with no run numbers or times, so rerunning a reproduced cell leaves the notebook's diff quiet.
 * Pure: no JupyterLab imports.
 */
import { changeSchema, VERDICT_KINDS, verdictSchema } from "labtrail/core";
import type { Change, VerdictKind } from "labtrail/core";
import { z } from "zod";

/** The cell metadata key. */
export const CELL_METADATA_KEY = "labtrail";

/** At most this many changes are kept in the cell, each clipped. */
const CHANGES_KEPT = 5;
const VALUE_CHARS = 80;

const replyMetadataSchema = z.object({
  labtrail: z.object({ cellId: z.string().nullable().optional(), verdict: verdictSchema.nullable().optional() }),
});

export const cellVerdictSchema = z.object({
  verdict: z.enum(VERDICT_KINDS),
  changes: z.array(changeSchema).optional(),
});
export type CellVerdict = z.output<typeof cellVerdictSchema>;

/** The cell id and verdict an execute_reply's metadata carries, or null when it has no verdict. */
export function verdictFromReply(metadata: unknown): { cellId: string | null; verdict: CellVerdict } | null {
  const parsed = replyMetadataSchema.safeParse(metadata);
  const verdict = parsed.success ? parsed.data.labtrail.verdict : null;
  if (!parsed.success || !verdict) return null;
  const changes = verdict.changes.slice(0, CHANGES_KEPT).map((change) => ({
    what: clip(change.what),
    before: clip(change.before),
    after: clip(change.after),
  }));
  return {
    cellId: parsed.data.labtrail.cellId ?? null,
    verdict: changes.length > 0 ? { verdict: verdict.kind, changes } : { verdict: verdict.kind },
  };
}

/** The verdict stored in a cell's metadata (`labtrail` key), or null. */
export function cellVerdict(value: unknown): CellVerdict | null {
  const parsed = cellVerdictSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const LABELS: Readonly<Record<VerdictKind, string>> = {
  new: "new",
  reproduced: "✓ reproduced",
  drifted: "≠ drifted",
  changed: "changed",
  failed: "✗ failed",
};

const EXPLAINED: Readonly<Record<VerdictKind, string>> = {
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

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > VALUE_CHARS ? `${oneLine.slice(0, VALUE_CHARS - 1)}…` : oneLine;
}
