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
import { HEADER_KEY_LABELS, HEADER_KEYS, type HeaderKey, listHeaderKeys, resolveHeaderKey, type HeaderVerdict } from "./keys";

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
  /** The verdict, when `Verdict` starts with supported, refuted or inconclusive. */
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
const VERDICT_PATTERN = /^(supported|refuted|inconclusive)\b/i;

/** Names a near miss is measured against: the keys and their aliases as people write them. */
const KNOWN_NAMES: readonly { name: string; key: HeaderKey }[] = [
  ...HEADER_KEYS.map((key) => ({ name: key as string, key })),
  { name: "expected", key: "expect" },
];

interface OpenField {
  field: HeaderField;
  parts: string[];
}

/** Parses the header at the top of a code cell's source. Never throws. */
export function parseHeader(source: string): ParsedHeader {
  const cursor = new LineCursor(source);
  const fields: HeaderField[] = [];
  const byKey: Partial<Record<HeaderKey, HeaderField>> = {};
  const problems: HeaderProblem[] = [];
  const directiveFields = new Set<HeaderField>();

  // The field that continuation lines extend; "skip" swallows the continuation of a key we ignore.
  let open: OpenField | "skip" | null = null;
  let body: ParsedHeader["body"] = null;
  // Inside a block comment: is it JSDoc?
  let block: { jsdoc: boolean } | null = null;

  const closeOpen = () => {
    if (open && open !== "skip") {
      open.field.value = open.parts.join(" ");
    }
    open = null;
  };

  const addField = (
    line: Line,
    form: HeaderForm,
    name: string,
    key: HeaderKey,
    keyIndex: number,
    keyEnd: number,
    valueIndex: number,
    valueEnd: number,
  ) => {
    closeOpen();
    const value = line.text.slice(valueIndex, valueEnd);
    const field: HeaderField = {
      key,
      name,
      value,
      form,
      start: positionIn(line, keyIndex),
      valueStart: positionIn(line, valueIndex),
      end: positionIn(line, Math.max(valueEnd, valueIndex)),
    };
    const first = byKey[key];
    if (first) {
      problems.push({
        code: "duplicate-key",
        key,
        message: `duplicate key "${name}" (first given at line ${first.start.line}); only the first is used`,
        start: field.start,
        end: positionIn(line, keyEnd),
      });
      open = "skip";
      return;
    }
    byKey[key] = field;
    fields.push(field);
    if (form === "directive") directiveFields.add(field);
    open = { field, parts: value === "" ? [] : [value] };
  };

  // Appends a continuation line's text to the open field (if any).
  const continueOpen = (line: Line, from: number, to: number) => {
    if (!open || open === "skip" || to <= from) return;
    open.parts.push(line.text.slice(from, to));
    open.field.end = positionIn(line, to);
    if (open.parts.length === 1) open.field.valueStart = positionIn(line, from);
  };

  const unknownKey = (line: Line, form: HeaderForm, name: string, index: number, end: number) => {
    const suggestion = nearestKey(name);
    const shown = form === "jsdoc" ? `@${name}` : name;
    if (suggestion) {
      const label = form === "comment" ? HEADER_KEY_LABELS[suggestion] : suggestion;
      const wanted = form === "jsdoc" ? `@${label}` : label;
      problems.push({
        code: "unknown-key",
        message: `unknown header key "${shown}" (did you mean "${wanted}"?)`,
        start: positionIn(line, index),
        end: positionIn(line, end),
      });
    } else if (form === "comment") {
      problems.push({
        code: "unknown-key",
        message: `unknown header key "${shown}"; header keys are ${listHeaderKeys()}`,
        start: positionIn(line, index),
        end: positionIn(line, end),
      });
    }
  };

  // A "//" or "//|" line: `from` is the index just past the marker.
  const commentLine = (line: Line, form: "comment" | "directive", from: number) => {
    const text = line.text;
    const contentStart = indentOf(text, from);
    const contentEnd = trimmedEndOf(text, contentStart);
    if (contentStart === contentEnd) {
      closeOpen(); // an empty comment line ends a field
      return;
    }
    const indent = text.slice(from, contentStart);
    if (open && (indent.length >= 2 || indent.includes("\t"))) {
      continueOpen(line, contentStart, contentEnd);
      return;
    }
    const match = KEY_PATTERN.exec(text.slice(contentStart, contentEnd));
    if (!match) {
      closeOpen(); // prose
      return;
    }
    const name = match[1];
    const keyEnd = contentStart + name.length;
    const colonEnd = contentStart + match[0].length;
    const valueIndex = indentOf(text, colonEnd);
    const key = resolveHeaderKey(name);
    if (key) {
      addField(line, form, name, key, contentStart, keyEnd, valueIndex, Math.max(valueIndex, contentEnd));
      return;
    }
    closeOpen();
    const url = text.startsWith("//", colonEnd); // "// s3://bucket/…"
    if (!(form === "comment" && (url || COMMENT_TAGS.has(name.toLowerCase())))) {
      unknownKey(line, form, name, contentStart, keyEnd);
    }
    open = "skip";
  };

  // Content of a JSDoc line from `from` to `to` (the leading "*" already removed).
  const jsdocContent = (line: Line, from: number, to: number) => {
    const text = line.text;
    const contentStart = indentOf(text, from);
    const contentEnd = Math.max(contentStart, trimmedEndOf(text.slice(0, to), contentStart));
    if (contentStart === contentEnd) return; // blank lines inside a tag's text are skipped
    const match = TAG_PATTERN.exec(text.slice(contentStart, contentEnd));
    if (!match) {
      continueOpen(line, contentStart, contentEnd);
      return;
    }
    const name = match[1];
    const keyEnd = contentStart + match[0].length;
    let valueIndex = keyEnd;
    if (text.charCodeAt(valueIndex) === 58 /* ":" */) valueIndex++;
    valueIndex = Math.min(indentOf(text, valueIndex), contentEnd);
    const key = resolveHeaderKey(name);
    if (key) {
      addField(line, "jsdoc", name, key, contentStart, keyEnd, valueIndex, contentEnd);
      return;
    }
    closeOpen();
    if (!TSLAB_PRAGMAS.has(name.toLowerCase())) unknownKey(line, "jsdoc", name, contentStart, keyEnd);
    open = "skip";
  };

  // Continues a block comment on `line` from index `from`; returns the index past "*/", or -1.
  const blockLine = (line: Line, from: number): number => {
    const text = line.text;
    const close = text.indexOf("*/", from);
    const to = close === -1 ? text.length : close;
    if (block?.jsdoc) {
      let start = indentOf(text, from);
      // A leading "*" (the JSDoc gutter) is not content.
      if (text.charCodeAt(start) === 42 /* "*" */ && start < to) start++;
      jsdocContent(line, start, to);
    }
    if (close === -1) return -1;
    block = null;
    closeOpen();
    return close + 2;
  };

  for (;;) {
    const line = cursor.read();
    if (!line) break;
    const text = line.text;

    let index = 0;
    if (block) {
      index = blockLine(line, 0);
      if (index === -1) continue;
    }

    // Any number of block comments may open on this line; what follows the last one decides.
    let ended = false;
    for (;;) {
      const start = indentOf(text, index);
      if (start === text.length) {
        if (index === 0) closeOpen(); // a blank line ends a field
        break;
      }
      if (text.startsWith("//|", start)) {
        commentLine(line, "directive", start + 3);
        break;
      }
      if (text.startsWith("//", start)) {
        commentLine(line, "comment", start + 2);
        break;
      }
      if (text.startsWith("/*", start)) {
        closeOpen();
        const jsdoc = text.startsWith("/**", start) && !text.startsWith("/**/", start);
        block = { jsdoc };
        index = blockLine(line, start + (jsdoc ? 3 : 2));
        if (index === -1) break;
        continue;
      }
      // Code (or a magic) starts here: the header is over.
      const kind = text.charCodeAt(start) === 37 /* "%" */ ? "magic" : "code";
      body = { kind, start: positionIn(line, start), text: text.slice(start) };
      ended = true;
      break;
    }
    if (ended) break;
  }
  closeOpen();

  // Directive values may be quoted, YAML style.
  for (const field of directiveFields) field.value = unquote(field.value);

  let verdict: HeaderVerdict | undefined;
  const verdictField = byKey.verdict;
  if (verdictField && verdictField.value !== "") {
    const match = VERDICT_PATTERN.exec(verdictField.value);
    if (match) {
      verdict = match[1].toLowerCase() as HeaderVerdict;
    } else {
      problems.push({
        code: "invalid-verdict",
        key: "verdict",
        message: `Verdict must start with supported, refuted or inconclusive, not "${clip(verdictField.value)}"`,
        start: verdictField.valueStart,
        end: verdictField.end,
      });
    }
  }

  problems.sort((a, b) => a.start.offset - b.start.offset);
  return { source, fields, byKey, verdict, problems, body, linesScanned: cursor.linesRead };
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
