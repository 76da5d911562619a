/**
 * What the "undocumented cells" status bar item says for its counts. Pure: the caller passes the
 * translation bundle, so the wording is testable without JupyterLab.
 */
import type { TranslationBundle } from "@jupyterlab/translation";

export interface UndocumentedLabel {
  text: string;
  title: string;
}

/**
 * The item's text and tooltip for `count` undocumented cells and `stale` cells whose Found may be
 * stale; null: labtrail does not apply (empty).
 */
export function undocumentedLabel(count: number | null, trans: TranslationBundle, stale = 0): UndocumentedLabel {
  if (count === null) return { text: "", title: trans.__("labtrail: every code cell has its experiment header") };
  if (count === 0 && stale === 0) {
    return { text: trans.__("All cells documented"), title: trans.__("labtrail: every code cell has its experiment header") };
  }
  const undocumented = trans._n("%1 cell undocumented", "%1 cells undocumented", count);
  if (stale === 0) return { text: undocumented, title: trans.__("labtrail: click to go to the next cell without an experiment header") };
  const staleText = trans._n("%1 Found may be stale", "%1 Founds may be stale", stale);
  return {
    text: count === 0 ? staleText : trans.__("%1, %2", undocumented, staleText),
    title: trans.__("labtrail: click to go to the next cell without an experiment header or with a Found that may be stale"),
  };
}
