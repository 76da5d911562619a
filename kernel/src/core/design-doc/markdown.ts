/**
 * Markdown building blocks that keep user text inert. Output is CommonMark + pipe tables, which
 * GitHub, Quarto (pandoc) and MyST (markdown-it) all render the same way.
 *
 * User text is flattened to one line and every character that can open a construct in any of the
 * three dialects is backslash-escaped: emphasis, code, links, HTML and entities, table pipes, math
 * (`$`), pandoc's super/subscript, citations (`@`) and attributes, Quarto shortcodes and MyST
 * substitutions (`{{ }}`). A backslash before ASCII punctuation is a literal in all three.
 */

const ESCAPED = /[\\`*_[\]<>|$~^&{}@#]/g;
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators: never meaningful in one line.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const WHITESPACE_RUN = /[\s\u2028\u2029]+/g;

/** User text as one line of inert Markdown (safe inside a paragraph, list item, heading or table cell). */
export function inline(text: string): string {
  return text
    .replace(CONTROL, "")
    .replace(WHITESPACE_RUN, " ")
    .trim()
    .replace(ESCAPED, (c) => `\\${c}`);
}

/** User text for a table cell: inline, and an em dash for nothing so the column never collapses. */
export function cell(text: string | undefined): string {
  const out = text === undefined ? "" : inline(text);
  return out === "" ? "—" : out;
}

/** A code span around arbitrary text (backticks inside it included), on one line. */
export function codeSpan(text: string): string {
  const flat = text.replace(CONTROL, "").replace(WHITESPACE_RUN, " ");
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A relative path as a link destination: each segment percent-encoded, parentheses included. */
export function href(path: string): string {
  return path
    .split("/")
    .map((segment) =>
      segment === "." || segment === ".." ? segment : encodeURIComponent(segment).replace(/\(/g, "%28").replace(/\)/g, "%29"),
    )
    .join("/");
}

/** A pipe-table: header cells as given (already Markdown), rows escaped by the caller. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/** 12345 → "12,345" (fixed separator, independent of the machine's locale). */
export function formatCount(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1 experiment" / "3 experiments". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}
