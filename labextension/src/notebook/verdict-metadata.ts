/**
 * Run verdicts between the kernel's reply and the cell: the reply carries the full verdict
 * (`metadata.labtrail.verdict`, the core's verdictSchema); the cell keeps only its kind and what
 * changed, with no run numbers or times, so rerunning a reproduced cell leaves the notebook's diff quiet.
 * Pure: no JupyterLab code, only the type of the translation bundle its caller passes.
 */
import { changeSchema, VERDICT_KINDS, verdictSchema } from "labtrail/core";
import type { Change, VerdictKind } from "labtrail/core";
import { z } from "zod";
import type { TranslationBundle } from "@jupyterlab/translation";

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

/** The badge's text and tooltip (plain text; the view sets them as text, never as HTML). */
export function describeVerdict(verdict: CellVerdict, trans: TranslationBundle): { label: string; tooltip: string } {
  const labels: Readonly<Record<VerdictKind, string>> = {
    new: trans.__("new"),
    reproduced: trans.__("✓ reproduced"),
    drifted: trans.__("≠ drifted"),
    changed: trans.__("changed"),
    failed: trans.__("✗ failed"),
  };
  const explained: Readonly<Record<VerdictKind, string>> = {
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

/** Data, not prose: the user's own names and values, so nothing here to translate. */
function describeChange(change: Change): string {
  return `${change.what}: ${change.before} → ${change.after}`;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > VALUE_CHARS ? `${oneLine.slice(0, VALUE_CHARS - 1)}…` : oneLine;
}
