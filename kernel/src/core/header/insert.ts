/**
 * "Insert header" for a frontend: puts the header template at the top of a cell, or completes the
 * header it has, and says where the cursor goes so that typing fills in the first thing missing.
 * Pure; never rewrites a line the user wrote.
 */

import { clip } from "../text";
import { isFilled } from "./check";
import { type HeaderField, type ParsedHeader, parseHeader } from "./grammar";
import { DEFAULT_REQUIRED_KEYS, HEADER_KEY_LABELS, HEADER_KEYS, type HeaderKey } from "./keys";
import { formatHeader, HEADER_PLACEHOLDERS, HEADER_TEMPLATE, isPlaceholder } from "./template";

export interface HeaderInsertion {
  /** The cell's new source (the same string when nothing was inserted). */
  source: string;
  /** Whether anything was inserted. */
  changed: boolean;
  /** What to select in the new source (UTF-16 offsets): a placeholder to type over, or a caret. */
  selection: { from: number; to: number };
}

export interface InsertOptions {
  /** The header template (canonical `// Key: value` lines); default `HEADER_TEMPLATE`. It must have `Tested`. */
  template?: string;
  /** The project's required keys (default Tested and Found): inserted when missing, selected first when empty. */
  required?: readonly HeaderKey[];
}

/**
 * Adds the header a code cell lacks.
 *
 * - No header field at all: the template goes above everything (line endings as the cell's own). A
 *   leading tslab pragma block such as `/** @module x *\/` simply ends up below it: tslab reads every
 *   comment before the first statement, so the pragma keeps working.
 * - A header in any form: one canonical `// Key: …` line for each template or required key it lacks,
 *   right after its last field (after the closing `*\/` of a JSDoc header); `changed` is false when it
 *   lacks none.
 *
 * Required keys the template does not name are added too (with their standard placeholder), so the
 * result satisfies the project's contract once filled in. The selection is the value of the first
 * required key that is empty or a placeholder, else the end of `Tested`'s value.
 *
 * Throws an Error saying what is wrong when the template is not a header or has no `Tested` field.
 */
export function insertHeader(source: string, options: InsertOptions = {}): HeaderInsertion {
  const template = parseTemplate(options.template ?? HEADER_TEMPLATE);
  const required = options.required ?? DEFAULT_REQUIRED_KEYS;
  const eol = lineEndingOf(source);
  const header = parseHeader(source);

  let result = source;
  if (header.fields.length === 0) {
    const lines = template.source.trimEnd().split(/\r\n|\r|\n/);
    const extra = extraRequired(template, required);
    result = lines.join(eol) + eol + formatHeader(extra).replace(/\n/g, eol) + source;
  } else {
    const wanted = { ...templateValues(template), ...extraRequired(template, required) };
    const missing: Partial<Record<HeaderKey, string>> = {};
    for (const key of HEADER_KEYS) {
      if (wanted[key] !== undefined && !header.byKey[key]) missing[key] = wanted[key];
    }
    const lines = formatHeader(missing).replace(/\n/g, eol);
    if (lines !== "") {
      const at = insertionPoint(header);
      // At the end of a source whose last line has no line ending, the lines start on a new one.
      const text = at === source.length && !endsWithLineBreak(source) ? eol + lines.slice(0, -eol.length) : lines;
      result = source.slice(0, at) + text + source.slice(at);
    }
  }
  return { source: result, changed: result !== source, selection: selectionIn(parseHeader(result), required) };
}

/** The template, checked: header comment lines only, with a `Tested` field. */
function parseTemplate(template: string): ParsedHeader {
  const parsed = parseHeader(template);
  const example = `"// Tested: ${HEADER_PLACEHOLDERS.tested}"`;
  if (parsed.fields.length === 0) {
    throw new Error(`invalid header template: it has no header fields; write it as "// Key: value" lines, starting with ${example}`);
  }
  if (parsed.body) {
    throw new Error(
      `invalid header template: line ${parsed.body.start.line} is not a comment ("${clip(parsed.body.text)}"); a template holds header lines only`,
    );
  }
  if (!parsed.byKey.tested) {
    throw new Error(`invalid header template: it has no Tested field, which every cell needs; add ${example}`);
  }
  return parsed;
}

/** The template's values by key; an empty one becomes the key's placeholder, so the line invites typing. */
function templateValues(template: ParsedHeader): Partial<Record<HeaderKey, string>> {
  const values: Partial<Record<HeaderKey, string>> = {};
  for (const field of template.fields) values[field.key] = field.value === "" ? HEADER_PLACEHOLDERS[field.key] : field.value;
  return values;
}

/** Required keys the template does not name, with their placeholders. */
function extraRequired(template: ParsedHeader, required: readonly HeaderKey[]): Partial<Record<HeaderKey, string>> {
  const values: Partial<Record<HeaderKey, string>> = {};
  for (const key of required) if (!template.byKey[key]) values[key] = HEADER_PLACEHOLDERS[key];
  return values;
}

/** Where new field lines go: the start of the line after the header's last field. */
function insertionPoint(header: ParsedHeader): number {
  const source = header.source;
  const last = header.fields[header.fields.length - 1];
  if (last.form !== "jsdoc") return nextLineStart(source, last.end.offset);
  // A JSDoc field: the lines go after the block's "*/", or above the block when code follows the
  // "*/" on its line (or the block never closes).
  const close = source.indexOf("*/", last.end.offset);
  if (close !== -1) {
    const after = nextLineStart(source, close + 2);
    if (source.slice(close + 2, after).trim() === "") return after;
  }
  return lineStart(source, source.lastIndexOf("/*", last.start.offset));
}

/** Offset just past the line break ending the line that holds `offset` (the source length on the last line). */
function nextLineStart(source: string, offset: number): number {
  for (let i = offset; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return source.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return source.length;
}

function lineStart(source: string, offset: number): number {
  let i = offset;
  while (i > 0 && source[i - 1] !== "\n" && source[i - 1] !== "\r") i--;
  return i;
}

function endsWithLineBreak(source: string): boolean {
  return source.endsWith("\n") || source.endsWith("\r");
}

/** The cell's line ending (its first one); "\n" for a one-line cell. */
function lineEndingOf(source: string): string {
  return /\r\n|\r|\n/.exec(source)?.[0] ?? "\n";
}

/** The value of the first required key still to fill in, else the end of Tested's value. */
function selectionIn(header: ParsedHeader, required: readonly HeaderKey[]): HeaderInsertion["selection"] {
  for (const key of required) {
    const field = header.byKey[key];
    if (field && !isFilled(field)) return valueSelection(field);
  }
  const tested = header.byKey.tested;
  if (!tested) throw new Error(`insertHeader: the new source has no ${HEADER_KEY_LABELS.tested} field`); // unreachable: the template has one
  return valueSelection(tested);
}

/** A placeholder is selected whole (typing replaces it); otherwise the caret goes after the value. */
function valueSelection(field: HeaderField): HeaderInsertion["selection"] {
  if (isPlaceholder(field.value)) return { from: field.valueStart.offset, to: field.end.offset };
  return { from: field.end.offset, to: field.end.offset };
}
