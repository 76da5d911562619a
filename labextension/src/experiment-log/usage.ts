/** One model's calls in a run, in words: `gpt-4o-mini ×2 · 120 in / 40 out tokens · replayed`. */
import type { TranslationBundle } from "@jupyterlab/translation";
import type { ModelUsage } from "labtrail/core";

export function formatUsage(usage: ModelUsage, trans: TranslationBundle): string {
  const count = usage.calls === 1 ? "" : ` ×${usage.calls}`;
  const tokens = trans.__("%1 in / %2 out tokens", usage.tokensIn, usage.tokensOut);
  const source =
    usage.replayed === usage.calls
      ? trans.__("replayed")
      : usage.replayed === 0
        ? trans.__("live")
        : trans.__("%1 of %2 replayed", usage.replayed, usage.calls);
  return `${usage.model}${count} · ${tokens} · ${source}`;
}
