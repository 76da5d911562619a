/**
 * The compact badge on an undocumented cell's first line ("needs Tested", "Found empty",
 * "needs Tested · Found empty"), worded here rather than taken from the core's English `badge` so it
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
