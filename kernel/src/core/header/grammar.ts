/**
 * The cell-header grammar (DESIGN.md, "The cell header"). Pure: a cell's source in, fields and
 * problems with positions out.
 *
 * The header is the run of comments (and blank lines) at the top of a code cell, before its first line
 * of code or magic, the same leading trivia in which tslab looks for its JSDoc pragmas. Three forms
 * are read there and may be mixed:
 *
 *   // Tested: what this cell tries        canonical; one space (or none) between "//" and the key
 *   //   continues the field above         two or more spaces (or a tab) after "//" continue a field
 *   //| tested: …                          Quarto/nbdev directive; "//|   …" continues it
 *   /** @tested …                          JSDoc tag; following non-tag lines continue it; tslab's
 *    *\/                                    pragmas (@module, @node, @browser, @jsx) are left alone
 *
 * Keys are case-insensitive. In the canonical form a `Word: …` line with an unknown word is a problem,
 * except conventional comment tags (TODO:, NOTE:, a URL). Directive and JSDoc lines belong to other
 * tools too (Quarto's `//| echo:`, JSDoc's `@see`), so there only a near miss of a known key is a
 * problem. Any other comment line is prose: it is ignored and ends the field above it.
 *
 * The parser reads the header lines and the one line after them, never the rest of the cell, so its
 * cost does not depend on how much code the cell holds (`linesScanned` reports it).
 */

import { clip, editDistance, indentOf, type Line, LineCursor, type Position, positionIn, trimmedEndOf } from "../text";
import {
  HEADER_KEY_LABELS,
  HEADER_KEYS,
  HEADER_VERDICTS,
  type HeaderKey,
  type HeaderVerdict,
  listHeaderKeys,
  resolveHeaderKey,
} from "./keys";

export type HeaderForm = "comment" | "directive" | "jsdoc";

export interface HeaderField {
  key: HeaderKey;
  /** The key as written ("TESTED", "Expected", "tested"). */
  name: string;
  /** The value, trimmed; continuation lines are joined to it with single spaces. */
  value: string;
  form: HeaderForm;
  /** Where the key starts (for a JSDoc tag, the "@"). */
  start: Position;
  /** Where the value starts; for an empty value, just after the key and its colon. */
  valueStart: Position;
  /** Just past the field's last character, continuation lines included. */
  end: Position;
}

export type HeaderProblemCode = "missing-key" | "empty-key" | "unknown-key" | "duplicate-key" | "invalid-verdict";

export interface HeaderProblem {
  code: HeaderProblemCode;
  /** One line, without the position (tools prefix it). */
  message: string;
  /** The header key concerned, when there is one. */
  key?: HeaderKey;
  start: Position;
  end: Position;
}

export interface ParsedHeader {
  /** The cell source that was parsed. */
  source: string;
  /** Fields in source order; a repeated key keeps its first occurrence only. */
  fields: HeaderField[];
  /** The first occurrence of each key. */
  byKey: Partial<Record<HeaderKey, HeaderField>>;
  /** The verdict, when `Verdict` starts with one of HEADER_VERDICTS. */
  verdict?: HeaderVerdict;
  /** What the grammar itself found wrong: unknown, duplicate and invalid-verdict problems. */
  problems: HeaderProblem[];
  /**
   * The first line after the header: code or a magic (a line starting with "%"), or null when the
   * cell is nothing but comments and blank lines.
   */
  body: { kind: "code" | "magic"; start: Position; text: string } | null;
  /** Lines read: the header region plus the line that ended it. */
  linesScanned: number;
}

/** Comment tags that are not header keys, though they look like one ("// TODO: …", "// https://…"). */
const COMMENT_TAGS: ReadonlySet<string> = new Set([
  "todo",
  "fixme",
  "note",
  "nb",
  "hack",
  "xxx",
  "bug",
  "warning",
  "warn",
  "important",
  "see",
  "example",
  "license",
  "copyright",
  "author",
  "spdx-license-identifier",
  "mailto",
]);

/** tslab's JSDoc pragmas; `@tested` and friends share the block with them. */
const TSLAB_PRAGMAS: ReadonlySet<string> = new Set(["module", "node", "browser", "jsx"]);

const KEY_PATTERN = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:/;
const TAG_PATTERN = /^@([A-Za-z][A-Za-z0-9_-]*)/;
// The verdicts are plain words, so they go into the pattern as they are.
const VERDICT_PATTERN = new RegExp(`^(${HEADER_VERDICTS.join("|")})\\b`, "i");
/** "supported, refuted or inconclusive", for the invalid-verdict message. */
const VERDICT_CHOICES = `${HEADER_VERDICTS.slice(0, -1).join(", ")} or ${HEADER_VERDICTS[HEADER_VERDICTS.length - 1]}`;

/** Names a near miss is measured against: the keys and their aliases as people write them. */
const KNOWN_NAMES: readonly { name: string; key: HeaderKey }[] = [
  ...HEADER_KEYS.map((key) => ({ name: key as string, key })),
  { name: "expected", key: "expect" },
];

interface OpenField {
  field: HeaderField;
  parts: string[];
}

/** What the parse has found so far, and where it is. */
interface ParserState {
  readonly fields: HeaderField[];
  readonly byKey: Partial<Record<HeaderKey, HeaderField>>;
  readonly problems: HeaderProblem[];
  /** Fields in the directive form: their values are unquoted once the header is read. */
  readonly directiveFields: Set<HeaderField>;
  /** The field that continuation lines extend; "skip" swallows the continuation of a key we ignore. */
  open: OpenField | "skip" | null;
  /** Inside a block comment: is it JSDoc? */
  block: { jsdoc: boolean } | null;
}

/** A key name on its line (indices into the line's text; for a JSDoc tag, `start` is at the "@"). */
interface KeyAt {
  form: HeaderForm;
  name: string;
  start: number;
  end: number;
}

/** A known key on its line, and where its value lies. */
interface FieldAt extends KeyAt {
  key: HeaderKey;
  valueStart: number;
  valueEnd: number;
}

/** Parses the header at the top of a code cell's source. Never throws. */
export function parseHeader(source: string): ParsedHeader {
  const cursor = new LineCursor(source);
  const state: ParserState = { fields: [], byKey: {}, problems: [], directiveFields: new Set(), open: null, block: null };
  let body: ParsedHeader["body"] = null;
  for (let line = cursor.read(); line; line = cursor.read()) {
    body = readLine(state, line);
    if (body) break; // the line after the header is the last one read
  }
  closeOpen(state);

  // Directive values may be quoted, YAML style.
  for (const field of state.directiveFields) field.value = unquote(field.value);
  const verdict = readVerdict(state);
  const problems = state.problems.sort((a, b) => a.start.offset - b.start.offset);
  return { source, fields: state.fields, byKey: state.byKey, verdict, problems, body, linesScanned: cursor.linesRead };
}

/** Reads one line of the header; the body when code (or a magic) starts on it, which ends the header. */
function readLine(state: ParserState, line: Line): ParsedHeader["body"] {
  const text = line.text;
  let index = 0;
  if (state.block) {
    index = blockLine(state, line, 0);
    if (index === -1) return null;
  }
  // Any number of block comments may open on this line; what follows the last one decides.
  for (;;) {
    const start = indentOf(text, index);
    if (start === text.length) {
      if (index === 0) closeOpen(state); // a blank line ends a field
      return null;
    }
    if (text.startsWith("//|", start)) {
      commentLine(state, line, "directive", start + 3);
      return null;
    }
    if (text.startsWith("//", start)) {
      commentLine(state, line, "comment", start + 2);
      return null;
    }
    if (!text.startsWith("/*", start)) {
      const kind = text.charCodeAt(start) === 37 /* "%" */ ? "magic" : "code";
      return { kind, start: positionIn(line, start), text: text.slice(start) };
    }
    closeOpen(state);
    const jsdoc = text.startsWith("/**", start) && !text.startsWith("/**/", start);
    state.block = { jsdoc };
    index = blockLine(state, line, start + (jsdoc ? 3 : 2));
    if (index === -1) return null;
  }
}

/** Ends the open field: its parts become its value. */
function closeOpen(state: ParserState): void {
  if (state.open && state.open !== "skip") state.open.field.value = state.open.parts.join(" ");
  state.open = null;
}

/** Opens the field a key line starts, or reports it as a duplicate and skips its continuation. */
function addField(state: ParserState, line: Line, at: FieldAt): void {
  closeOpen(state);
  const value = line.text.slice(at.valueStart, at.valueEnd);
  const field: HeaderField = {
    key: at.key,
    name: at.name,
    value,
    form: at.form,
    start: positionIn(line, at.start),
    valueStart: positionIn(line, at.valueStart),
    end: positionIn(line, Math.max(at.valueEnd, at.valueStart)),
  };
  const first = state.byKey[at.key];
  if (first) {
    state.problems.push({
      code: "duplicate-key",
      key: at.key,
      message: `duplicate key "${at.name}" (first given at line ${first.start.line}); only the first is used`,
      start: field.start,
      end: positionIn(line, at.end),
    });
    state.open = "skip";
    return;
  }
  state.byKey[at.key] = field;
  state.fields.push(field);
  if (at.form === "directive") state.directiveFields.add(field);
  state.open = { field, parts: value === "" ? [] : [value] };
}

/** Appends a continuation line's text to the open field (if any). */
function continueOpen(state: ParserState, line: Line, from: number, to: number): void {
  const open = state.open;
  if (!open || open === "skip" || to <= from) return;
  open.parts.push(line.text.slice(from, to));
  open.field.end = positionIn(line, to);
  if (open.parts.length === 1) open.field.valueStart = positionIn(line, from);
}

/** Reports a name that is no header key: always in the canonical form, elsewhere only a near miss. */
function unknownKey(state: ParserState, line: Line, at: KeyAt): void {
  const suggestion = nearestKey(at.name);
  const shown = at.form === "jsdoc" ? `@${at.name}` : at.name;
  let message: string;
  if (suggestion) {
    const label = at.form === "comment" ? HEADER_KEY_LABELS[suggestion] : suggestion;
    const wanted = at.form === "jsdoc" ? `@${label}` : label;
    message = `unknown header key "${shown}" (did you mean "${wanted}"?)`;
  } else if (at.form === "comment") {
    message = `unknown header key "${shown}"; header keys are ${listHeaderKeys()}`;
  } else {
    return;
  }
  state.problems.push({ code: "unknown-key", message, start: positionIn(line, at.start), end: positionIn(line, at.end) });
}

/** A "//" or "//|" line: `from` is the index just past the marker. */
function commentLine(state: ParserState, line: Line, form: "comment" | "directive", from: number): void {
  const text = line.text;
  const contentStart = indentOf(text, from);
  const contentEnd = trimmedEndOf(text, contentStart);
  if (contentStart === contentEnd) {
    closeOpen(state); // an empty comment line ends a field
    return;
  }
  const indent = text.slice(from, contentStart);
  if (state.open && (indent.length >= 2 || indent.includes("\t"))) {
    continueOpen(state, line, contentStart, contentEnd);
    return;
  }
  const match = KEY_PATTERN.exec(text.slice(contentStart, contentEnd));
  if (!match) {
    closeOpen(state); // prose
    return;
  }
  const name = match[1];
  const at: KeyAt = { form, name, start: contentStart, end: contentStart + name.length };
  const colonEnd = contentStart + match[0].length;
  const key = resolveHeaderKey(name);
  if (key) {
    const valueStart = indentOf(text, colonEnd);
    addField(state, line, { ...at, key, valueStart, valueEnd: Math.max(valueStart, contentEnd) });
    return;
  }
  closeOpen(state);
  const url = text.startsWith("//", colonEnd); // "// s3://bucket/…"
  if (!(form === "comment" && (url || COMMENT_TAGS.has(name.toLowerCase())))) unknownKey(state, line, at);
  state.open = "skip";
}

/** Content of a JSDoc line from `from` to `to` (the leading "*" already removed). */
function jsdocContent(state: ParserState, line: Line, from: number, to: number): void {
  const text = line.text;
  const contentStart = indentOf(text, from);
  const contentEnd = Math.max(contentStart, trimmedEndOf(text.slice(0, to), contentStart));
  if (contentStart === contentEnd) return; // blank lines inside a tag's text are skipped
  const match = TAG_PATTERN.exec(text.slice(contentStart, contentEnd));
  if (!match) {
    continueOpen(state, line, contentStart, contentEnd);
    return;
  }
  const name = match[1];
  const at: KeyAt = { form: "jsdoc", name, start: contentStart, end: contentStart + match[0].length };
  const key = resolveHeaderKey(name);
  if (key) {
    let valueStart = at.end;
    if (text.charCodeAt(valueStart) === 58 /* ":" */) valueStart++;
    valueStart = Math.min(indentOf(text, valueStart), contentEnd);
    addField(state, line, { ...at, key, valueStart, valueEnd: contentEnd });
    return;
  }
  closeOpen(state);
  if (!TSLAB_PRAGMAS.has(name.toLowerCase())) unknownKey(state, line, at);
  state.open = "skip";
}

/** Continues a block comment on `line` from index `from`; returns the index just past its end, or -1 if it goes on. */
function blockLine(state: ParserState, line: Line, from: number): number {
  const text = line.text;
  const close = text.indexOf("*/", from);
  const to = close === -1 ? text.length : close;
  if (state.block?.jsdoc) {
    let start = indentOf(text, from);
    // A leading "*" (the JSDoc gutter) is not content.
    if (text.charCodeAt(start) === 42 /* "*" */ && start < to) start++;
    jsdocContent(state, line, start, to);
  }
  if (close === -1) return -1;
  state.block = null;
  closeOpen(state);
  return close + 2;
}

/** The header's verdict, when its Verdict field starts with one; a problem when it starts with something else. */
function readVerdict(state: ParserState): HeaderVerdict | undefined {
  const field = state.byKey.verdict;
  if (!field || field.value === "") return undefined;
  const match = VERDICT_PATTERN.exec(field.value);
  if (match) return match[1].toLowerCase() as HeaderVerdict;
  state.problems.push({
    code: "invalid-verdict",
    key: "verdict",
    message: `Verdict must start with ${VERDICT_CHOICES}, not "${clip(field.value)}"`,
    start: field.valueStart,
    end: field.end,
  });
  return undefined;
}

/** The known key a misspelt name most likely means, if it is close enough to be a typo. */
function nearestKey(name: string): HeaderKey | undefined {
  const lower = name.toLowerCase();
  const limit = lower.length < 3 ? 1 : 2;
  let best: { key: HeaderKey; distance: number } | undefined;
  for (const candidate of KNOWN_NAMES) {
    const distance = editDistance(lower, candidate.name, limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { key: candidate.key, distance };
  }
  return best?.key;
}

function unquote(value: string): string {
  if (value.length >= 2) {
    const first = value[0];
    if ((first === '"' || first === "'") && value[value.length - 1] === first) return value.slice(1, -1).trim();
  }
  return value;
}
