/**
 * JSON text to a value, or one readable line saying where and why it is not JSON. Engines word
 * `JSON.parse` errors differently (and V8 quotes the input, binary junk included), so on failure
 * jsonc-parser (strict JSON: no comments, no trailing commas) finds the first error and this module
 * describes it the same way everywhere.
 */

import { printParseErrorCode, visit } from "jsonc-parser";

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: string };

export function parseJsonText(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const scan = scanValue(text);
    const error =
      "error" in scan
        ? scan.error
        : scan.end < text.length
          ? { offset: scan.end, message: "invalid JSON: unexpected text after the end of the document" }
          : { offset: 0, message: "invalid JSON" };
    const { line, column } = lineColumn(text, error.offset);
    return { ok: false, problem: `${error.message} (line ${line}, column ${column})` };
  }
}

interface JsonError {
  offset: number;
  message: string;
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/**
 * jsonc-parser's visitor recurses once per nesting level, so past this depth the nested value is
 * scanned on its own (a fresh call stack), then blanked out and the outer scan starts over.
 */
const MAX_DEPTH = 1000;

class Stop {
  constructor(readonly outcome: { error: JsonError } | { end: number } | { deep: number }) {}
}

/** The first syntax error in the JSON value that starts `text`, or the offset of what follows it. */
function scanValue(text: string): { error: JsonError } | { end: number } {
  let work = text;
  for (;;) {
    const open: ("}" | "]")[] = [];
    const enter = (close: "}" | "]", offset: number) => {
      if (open.length === MAX_DEPTH) throw new Stop({ deep: offset });
      open.push(close);
    };
    let outcome: { error: JsonError } | { end: number } | { deep: number } = { end: work.length };
    try {
      visit(
        work,
        {
          onObjectBegin: (offset) => enter("}", offset),
          onArrayBegin: (offset) => enter("]", offset),
          onObjectEnd: () => void open.pop(),
          onArrayEnd: () => void open.pop(),
          onError: (code, offset, length) => {
            const name = printParseErrorCode(code);
            if (name === "EndOfFileExpected") throw new Stop({ end: offset });
            throw new Stop({ error: describe(work, name, offset, length, open[open.length - 1]) });
          },
        },
        STRICT,
      );
    } catch (stop) {
      if (!(stop instanceof Stop)) throw stop;
      outcome = stop.outcome;
    }
    if (!("deep" in outcome)) return outcome;
    const at = outcome.deep;
    const inner = scanValue(work.slice(at));
    if ("error" in inner) return { error: { ...inner.error, offset: at + inner.error.offset } };
    // The nested value is valid: stand a literal 0 in for it (same length, so offsets hold) and rescan.
    work = work.slice(0, at) + "0".padEnd(inner.end, " ") + work.slice(at + inner.end);
  }
}

function describe(
  text: string,
  name: ReturnType<typeof printParseErrorCode>,
  offset: number,
  length: number,
  container: "}" | "]" | undefined,
): JsonError {
  const invalid = (message: string, at = offset) => ({ offset: at, message: `invalid JSON: ${message}` });
  const found = describeChar(text, offset);
  switch (name) {
    case "UnexpectedEndOfString":
      // The token runs from the opening quote to the end of the file or to a line break.
      if (offset + length >= text.length) return { offset, message: "truncated JSON: the file ends inside a string" };
      return invalid("unescaped line break in a string", offset + length);
    case "InvalidCharacter":
      return invalid("unescaped control character in a string");
    case "InvalidEscapeCharacter":
      return invalid("bad escape sequence in a string");
    case "InvalidUnicode":
      return invalid("bad \\u escape in a string");
    case "InvalidNumberFormat":
    case "UnexpectedEndOfNumber":
      return invalid("malformed number");
    case "InvalidSymbol":
      return invalid(`unexpected ${describeToken(text.slice(offset, offset + length)) ?? found}`);
    case "InvalidCommentToken":
    case "UnexpectedEndOfComment":
      return invalid("comments are not allowed in JSON");
  }
  if (offset >= text.length) return { offset: text.length, message: "truncated JSON: the file ends before the document is complete" };
  switch (name) {
    case "PropertyNameExpected":
      return invalid(`expected a property name in double quotes, found ${found}`);
    case "ColonExpected":
      return invalid(`expected ':' after a property name, found ${found}`);
    case "CommaExpected":
      return invalid(
        container === "]"
          ? `expected ',' or ']' after an array element, found ${found}`
          : `expected ',' or '}' after a property value, found ${found}`,
      );
    case "CloseBraceExpected":
      return invalid(`expected '}', found ${found}`);
    case "CloseBracketExpected":
      return invalid(`expected ']', found ${found}`);
    default:
      return invalid(`expected a value, found ${found}`);
  }
}

/** A short word-like token (`tru`, `NaN`, `-`) quoted whole; anything else is described by its first character. */
function describeToken(token: string): string | undefined {
  return /^[A-Za-z0-9_.+-]{1,20}$/.test(token) ? `'${token}'` : undefined;
}

function describeChar(text: string, at: number): string {
  const code = text.codePointAt(at);
  if (code === undefined) return "the end of the file";
  if (code >= 0x21 && code <= 0x7e) return `'${String.fromCodePoint(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
