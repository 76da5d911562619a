/**
 * The compact badge on an undocumented cell's first line ("needs Tested", "Found empty",
 * "needs Tested · Found empty") and on a stale Found's line ("Found may be stale"), worded here rather than taken from the core's English `badge` so it
 * goes through the translator. The key names stay as written: they are the header's syntax.
 * Pure: the caller passes the translation bundle.
 */
import type { TranslationBundle } from "@jupyterlab/translation";
import { type CellHeaderStatus, HEADER_KEY_LABELS, type HeaderKey } from "labtrail/core";

export function markerBadge(status: Pick<CellHeaderStatus, "missing" | "empty">, trans: TranslationBundle): string {
  const parts: string[] = [];
  if (status.missing.length > 0) parts.push(trans.__("needs %1", keyList(status.missing)));
  if (status.empty.length > 0) parts.push(trans.__("%1 empty", keyList(status.empty)));
  return parts.join(" · ");
}

function keyList(keys: readonly HeaderKey[]): string {
  return keys.map((key) => HEADER_KEY_LABELS[key]).join(", ");
}

/** The badge on the line of a Found that may be stale (its tooltip is the core's message, which says why). */
export function staleFoundBadge(trans: TranslationBundle): string {
  return trans.__("%1 may be stale", HEADER_KEY_LABELS.found);
}
