/**
 * The canonical header text that tools write: the template a user pastes or a frontend inserts, and
 * `formatHeader` for writing a header from values. Tools always write the canonical `// Key: value`
 * form, in the contract's key order.
 */

import { HEADER_KEY_LABELS, HEADER_KEYS, HEADER_VERDICTS, type HeaderKey } from "./keys";

/** What each key asks for, shown in angle brackets where the template leaves a value to fill in. */
export const HEADER_PLACEHOLDERS: Readonly<Record<HeaderKey, string>> = {
  tested: "<what this cell tries>",
  expect: "<the result that would support it>",
  found: "<what the run showed>",
  verdict: `<${HEADER_VERDICTS.join(" | ")}>`,
  decision: "<what you decided>",
  tradeoff: "<what you gave up, for what>",
  constraint: "<a limit the model revealed>",
  next: "<what to try next>",
};

/**
 * Writes a header in the canonical form, one `// Key: value` line per given key in the contract's
 * order. A value with line breaks continues on `//   …` lines; an empty value writes `// Key:`.
 */
export function formatHeader(values: Partial<Record<HeaderKey, string>>): string {
  let out = "";
  for (const key of HEADER_KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    const lines = value
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "");
    const label = HEADER_KEY_LABELS[key];
    out += lines.length === 0 ? `// ${label}:\n` : `// ${label}: ${lines[0]}\n`;
    for (const line of lines.slice(1)) out += `//   ${line}\n`;
  }
  return out;
}

/** The header template to paste at the top of a code cell: Tested, Expect and Found. */
export const HEADER_TEMPLATE: string = formatHeader({
  tested: HEADER_PLACEHOLDERS.tested,
  expect: HEADER_PLACEHOLDERS.expect,
  found: HEADER_PLACEHOLDERS.found,
});

/** True when a value is still a template placeholder such as "<what this cell tries>". */
export function isPlaceholder(value: string): boolean {
  return /^<[^<>]*>$/.test(value.trim());
}
