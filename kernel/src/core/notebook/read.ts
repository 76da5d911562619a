/**
 * Bytes or text to a typed notebook, or one line that says what is wrong with the input. Every broken
 * input gets its own plain description (empty, binary, not UTF-8, truncated, invalid JSON, an older
 * nbformat, not a notebook, a field of the wrong type) so tools can print it next to the file name.
 */

import { parseJsonText } from "./json";
import { type Notebook, notebookSchema, toNotebook } from "./schema";

export type NotebookResult = { ok: true; notebook: Notebook } | { ok: false; problem: string };
export type TextResult = { ok: true; text: string } | { ok: false; problem: string };

/** UTF-8 bytes of a file to text: refuses empty, binary, UTF-16 and invalid UTF-8 input. */
export function decodeNotebookBytes(bytes: Uint8Array): TextResult {
  if (bytes.length === 0) return { ok: false, problem: "empty file (0 bytes), not a notebook" };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, problem: "the file is UTF-16 text; notebooks are UTF-8 (save it as UTF-8)" };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, problem: `binary data, not a notebook (a NUL byte at byte offset ${nul}; notebooks are JSON text)` };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
    const shown = bytes[offset].toString(16).toUpperCase().padStart(2, "0");
    return { ok: false, problem: `not valid UTF-8: byte 0x${shown} at line ${line} (byte offset ${offset}); notebooks are UTF-8 JSON` };
  }
  return { ok: true, text };
}

/** Notebook JSON text to a typed nbformat 4 notebook. */
export function parseNotebook(text: string): NotebookResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, problem: "empty file (only whitespace), not a notebook" };
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, problem: json.problem };
  const value = json.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`;
    return { ok: false, problem: `not a notebook: the JSON is ${kind}, not an object with "cells"` };
  }
  const record = value as Record<string, unknown>;
  const version = record.nbformat;
  if (typeof version === "number" && version !== 4) {
    return version < 4
      ? {
          ok: false,
          problem: `nbformat ${version} notebook; labtrail reads nbformat 4 (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE)`,
        }
      : { ok: false, problem: `nbformat ${version} notebook; labtrail reads nbformat 4` };
  }
  if (!("cells" in record) && !("nbformat" in record)) {
    return { ok: false, problem: 'not a notebook: the JSON has neither "nbformat" nor "cells"' };
  }
  const parsed = notebookSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problem: `not a valid nbformat 4 notebook: ${describeIssue(parsed.error.issues[0], value)}` };
  }
  return { ok: true, notebook: toNotebook(parsed.data) };
}

/** File bytes to a typed notebook: `decodeNotebookBytes` then `parseNotebook`. */
export function readNotebookBytes(bytes: Uint8Array): NotebookResult {
  const text = decodeNotebookBytes(bytes);
  return text.ok ? parseNotebook(text.text) : text;
}

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
}

function describeIssue(issue: Issue | undefined, root: unknown): string {
  if (!issue) return "unknown problem";
  const present = valueAt(root, issue.path);
  if (present === undefined && issue.path.length > 0) {
    const last = issue.path[issue.path.length - 1];
    const parent = formatPath(issue.path.slice(0, -1));
    const name = typeof last === "number" ? `item ${last}` : `"${String(last)}"`;
    return `${parent ? `${parent} is missing` : "missing"} ${name} (${messageOf(issue)})`;
  }
  return `${formatPath(issue.path) || "the notebook"}: ${messageOf(issue)}, got ${describeValue(present)}`;
}

const TYPE_NAMES: Record<string, string> = {
  array: "a list",
  object: "an object",
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  record: "an object",
};

function messageOf(issue: Issue): string {
  // zod's default wording is "Invalid input: expected array, received undefined"; keep the useful part.
  const match = /^Invalid input: expected (\w+)/.exec(issue.message);
  if (match) return `expected ${TYPE_NAMES[match[1]] ?? match[1]}`;
  return issue.message;
}

function formatPath(path: PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return value.length > 30 ? "a string" : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `an ${typeof value}`;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f;
    } else {
      return i;
    }
    if (i + length > bytes.length) return i;
    if (bytes[i + 1] < min || bytes[i + 1] > max) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return bytes.length - 1;
}
