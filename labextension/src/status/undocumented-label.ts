/**
 * What the "undocumented cells" status bar item says for a count. Pure: the caller passes the
 * translation bundle, so the wording is testable without JupyterLab.
 */
import type { TranslationBundle } from "@jupyterlab/translation";

export interface UndocumentedLabel {
  text: string;
  title: string;
}

/** The item's text and tooltip for `count` undocumented cells; null: labtrail does not apply (empty). */
export function undocumentedLabel(count: number | null, trans: TranslationBundle): UndocumentedLabel {
  if (count === null) return { text: "", title: trans.__("labtrail: every code cell has its experiment header") };
  if (count === 0) {
    return { text: trans.__("All cells documented"), title: trans.__("labtrail: every code cell has its experiment header") };
  }
  return {
    text: trans._n("%1 cell undocumented", "%1 cells undocumented", count),
    title: trans.__("labtrail: click to go to the next cell without an experiment header"),
  };
}
