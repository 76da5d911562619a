/**
 * The syntax of magics in a cell, kept pure (no Node built-ins) so that it can be unit-tested alone.
 *
 * After the header comments a cell may hold a cell magic (`%%name args…` on one line, then a body:
 * the rest of the cell) or one or more line magics (`%name args…`, one a line, blank lines allowed
 * between them) followed by ordinary TypeScript. The kernel rewrites magics into TypeScript that
 * keeps every line on its original line number, so compiler errors and stack traces point at the
 * user's lines; the helpers here (the split, an argument tokenizer, a body-to-template-literal
 * conversion) all preserve line structure.
 */
import { MAGIC_NAME_PATTERN, parseHeader } from "../../core";

export type MagicCell =
  | { kind: "none" }
  | {
      kind: "cell";
      /** The magic's name ("" when `%%` is not followed by a name). */
      name: string;
      /** The rest of the `%%` line after the name, trimmed. */
      args: string;
      /** 0-based index of the `%%` line in the cell. */
      line: number;
      /** The text after the `%%` line (without that line's terminator). */
      body: string;
      /**
       * The cell text before the `%%`, header included. Normally it ends with a line terminator (or is
       * ""); when the `%%` is indented or follows a block comment on its line, it also holds that
       * line's text up to the `%%`, so that a rewrite that replaces the magic keeps the comment closed.
       */
      before: string;
    }
  | {
      kind: "line";
      magics: { name: string; args: string; line: number }[];
      /** The cell with each line-magic line replaced by an empty line, so line numbers are kept. */
      rest: string;
    };

interface SourceLine {
  /** Offset of the line's first character. */
  start: number;
  /** Offset just past the line's text (before its terminator). */
  end: number;
  /** Offset just past the line's terminator (equal to `end` for a last line without one). */
  next: number;
}

/** Splits a source into lines; "\n", "\r\n" and "\r" end a line, and a final terminator opens no line. */
function splitLines(source: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  const length = source.length;
  while (start < length) {
    let end = start;
    while (end < length) {
      const code = source.charCodeAt(end);
      if (code === 10 /* \n */ || code === 13 /* \r */) break;
      end++;
    }
    let next = end;
    if (next < length) {
      next += source.charCodeAt(next) === 13 && source.charCodeAt(next + 1) === 10 ? 2 : 1;
    }
    lines.push({ start, end, next });
    start = next;
  }
  return lines;
}

/** Parses a magic's text (starting with `%` or `%%`) into its name and trimmed args. */
function parseMagicText(text: string, percents: 1 | 2): { name: string; args: string } {
  const after = text.slice(percents);
  const match = MAGIC_NAME_PATTERN.exec(after);
  const name = match ? match[0] : "";
  return { name, args: after.slice(name.length).trim() };
}

function isBlank(text: string): boolean {
  return text.trim() === "";
}

/**
 * Finds the magics in a cell: a cell magic (`%%name` as the first line after the header) or a run of
 * line magics (`%name` lines, blank lines allowed between them, from the first line after the header
 * to the first other line). A `%` or `%%` not followed by a name is still a magic, with name "", so
 * that the kernel can report it.
 */
export function splitMagicCell(source: string): MagicCell {
  const body = parseHeader(source).body;
  if (body?.kind !== "magic") return { kind: "none" };

  const lines = splitLines(source);
  const first = body.start.line - 1;
  const firstLine = lines[first];
  const firstText = source.slice(body.start.offset, firstLine.end);

  if (firstText.startsWith("%%")) {
    const { name, args } = parseMagicText(firstText, 2);
    return {
      kind: "cell",
      name,
      args,
      line: first,
      body: source.slice(firstLine.next),
      before: source.slice(0, body.start.offset),
    };
  }

  const magics: { name: string; args: string; line: number }[] = [];
  // Text replacing each magic line: "" except for a first line whose magic follows a comment.
  const prefix = source.slice(firstLine.start, body.start.offset);
  const replacements = new Map<number, string>([[first, isBlank(prefix) ? "" : prefix]]);
  magics.push({ ...parseMagicText(firstText, 1), line: first });
  for (let index = first + 1; index < lines.length; index++) {
    const text = source.slice(lines[index].start, lines[index].end);
    const trimmed = text.trimStart();
    if (trimmed === "") continue;
    if (!trimmed.startsWith("%") || trimmed.startsWith("%%")) break;
    magics.push({ ...parseMagicText(trimmed, 1), line: index });
    replacements.set(index, "");
  }

  let rest = "";
  let copied = 0;
  for (const [index, replacement] of replacements) {
    const line = lines[index];
    rest += source.slice(copied, line.start) + replacement;
    copied = line.end; // keep the line's terminator
  }
  rest += source.slice(copied);
  return { kind: "line", magics, rest };
}

/**
 * Splits a magic's arguments the way a shell would: whitespace separates; '…' is literal; "…" allows
 * backslash escapes of `"` and `\` (any other backslash is kept); outside quotes a backslash escapes
 * the next character. Adjacent quoted and unquoted parts form one token; `""` is an empty token.
 */
export function tokenizeArgs(text: string): { ok: true; tokens: string[] } | { ok: false; error: string } {
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const char = text[index];
    if (char === " " || char === "\t" || char === "\n" || char === "\r" || char === "\f" || char === "\v") {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
      index++;
      continue;
    }
    inToken = true;
    if (char === "'") {
      const close = text.indexOf("'", index + 1);
      if (close === -1) return { ok: false, error: "unterminated ' quote" };
      current += text.slice(index + 1, close);
      index = close + 1;
      continue;
    }
    if (char === '"') {
      index++;
      for (;;) {
        if (index >= length) return { ok: false, error: 'unterminated " quote' };
        const inner = text[index];
        if (inner === '"') {
          index++;
          break;
        }
        if (inner === "\\" && (text[index + 1] === '"' || text[index + 1] === "\\")) {
          current += text[index + 1];
          index += 2;
          continue;
        }
        current += inner;
        index++;
      }
      continue;
    }
    if (char === "\\") {
      // A trailing backslash stands for itself.
      current += index + 1 < length ? text[index + 1] : "\\";
      index += 2;
      continue;
    }
    current += char;
    index++;
  }
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}

/**
 * Scans JavaScript code from `index` (just past a placeholder's `${`) to its closing `}`, skipping
 * nested braces, string literals, comments and nested template literals. Returns the index just past
 * the `}`, or -1 when the placeholder is not closed.
 */
function scanPlaceholder(text: string, index: number): number {
  let depth = 0;
  const length = text.length;
  while (index < length) {
    const char = text[index];
    if (char === "}") {
      if (depth === 0) return index + 1;
      depth--;
      index++;
    } else if (char === "{") {
      depth++;
      index++;
    } else if (char === "'" || char === '"') {
      index = scanString(text, index + 1, char);
      if (index === -1) return -1;
    } else if (char === "`") {
      index = scanTemplate(text, index + 1);
      if (index === -1) return -1;
    } else if (char === "/" && text[index + 1] === "/") {
      const newline = text.slice(index).search(/[\n\r]/);
      if (newline === -1) return -1;
      index += newline;
    } else if (char === "/" && text[index + 1] === "*") {
      const close = text.indexOf("*/", index + 2);
      if (close === -1) return -1;
      index = close + 2;
    } else {
      index++;
    }
  }
  return -1;
}

/** Scans a '…' or "…" literal from just past its opening quote; returns the index past the close or -1. */
function scanString(text: string, index: number, quote: string): number {
  const length = text.length;
  while (index < length) {
    const char = text[index];
    if (char === "\\") {
      index += text[index + 1] === "\r" && text[index + 2] === "\n" ? 3 : 2;
    } else if (char === quote) {
      return index + 1;
    } else if (char === "\n" || char === "\r") {
      return -1; // string literals do not span lines
    } else {
      index++;
    }
  }
  return -1;
}

/** Scans a template literal from just past its opening backtick; returns the index past the close or -1. */
function scanTemplate(text: string, index: number): number {
  const length = text.length;
  while (index < length) {
    const char = text[index];
    if (char === "\\") {
      index += 2;
    } else if (char === "`") {
      return index + 1;
    } else if (char === "$" && text[index + 1] === "{") {
      index = scanPlaceholder(text, index + 2);
      if (index === -1) return -1;
    } else {
      index++;
    }
  }
  return -1;
}

/**
 * Turns a magic's body into a TypeScript template literal (backticks included) whose value is the
 * text with its `${expr}` placeholders evaluated. Backslashes and backticks outside placeholders are
 * escaped, so they stand for themselves; each `${…}` is copied verbatim up to its matching `}`; a `$`
 * not followed by `{` and braces outside placeholders are plain text; an unclosed `${` is plain text.
 * The literal has exactly as many line terminators as the body, in the same places (a template
 * literal's value reads "\r\n" and "\r" as "\n").
 */
export function toTemplateLiteral(body: string): string {
  let out = "`";
  let index = 0;
  const length = body.length;
  while (index < length) {
    const char = body[index];
    if (char === "\\" || char === "`") {
      out += `\\${char}`;
      index++;
    } else if (char === "$" && body[index + 1] === "{") {
      const end = scanPlaceholder(body, index + 2);
      if (end === -1) {
        out += "\\$";
        index++;
      } else {
        out += body.slice(index, end);
        index = end;
      }
    } else {
      out += char;
      index++;
    }
  }
  return `${out}\``;
}

const RESERVED_WORDS: ReadonlySet<string> = new Set([
  // Reserved words
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  // Reserved in strict mode and modules, where cells run
  "await",
  "implements",
  "interface",
  "let",
  "package",
  "private",
  "protected",
  "public",
  "static",
  "yield",
  // Not bindable in strict mode
  "arguments",
  "eval",
]);

/** Whether `name` can name a variable: an (ASCII) JavaScript identifier that is not a reserved word. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
}
