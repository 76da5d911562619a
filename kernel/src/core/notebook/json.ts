/**
 * JSON text to a value, or one readable line saying where and why it is not JSON. Engines word
 * `JSON.parse` errors differently (and V8 quotes the input, binary junk included), so on failure a
 * small scanner finds the first error itself and describes it the same way everywhere.
 */

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: string };

export function parseJsonText(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const error = locateJsonError(text);
    const { line, column } = lineColumn(text, error.offset);
    return { ok: false, problem: `${error.message} (line ${line}, column ${column})` };
  }
}

export interface JsonError {
  offset: number;
  message: string;
}

/** The first syntax error in `text` (it is assumed to be invalid JSON). */
export function locateJsonError(text: string): JsonError {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value();
    scanner.skipSpace();
    if (scanner.at < text.length) {
      return { offset: scanner.at, message: "invalid JSON: unexpected text after the end of the document" };
    }
  } catch (error) {
    if (error instanceof ScanError) return { offset: error.offset, message: error.message };
    throw error;
  }
  return { offset: 0, message: "invalid JSON" };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
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

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

type Frame = { kind: "object"; expect: "key-or-end" | "key" | "colon" | "value" | "comma-or-end" } | { kind: "array"; expect: "value-or-end" | "value" | "comma-or-end" };

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.at++;
    }
  }

  private fail(message: string, offset = this.at): never {
    throw new ScanError(offset, message);
  }

  private endOrUnexpected(what: string): never {
    if (this.at >= this.text.length) this.fail("truncated JSON: the file ends before the document is complete");
    this.fail(`invalid JSON: expected ${what}, found ${describeChar(this.text, this.at)}`);
  }

  /** Scans one value, containers included, without recursion (deeply nested junk cannot overflow). */
  value(): void {
    const stack: Frame[] = [];
    const text = this.text;
    for (;;) {
      this.skipSpace();
      const top = stack[stack.length - 1];
      if (top) {
        const c = text[this.at];
        if (top.kind === "object") {
          if (top.expect === "key-or-end" && c === "}") {
            this.at++;
            stack.pop();
            if (stack.length === 0) return;
            continue;
          }
          if (top.expect === "key-or-end" || top.expect === "key") {
            if (c !== '"') this.endOrUnexpected(top.expect === "key" ? "a property name in double quotes" : "a property name in double quotes or '}'");
            this.string();
            top.expect = "colon";
            continue;
          }
          if (top.expect === "colon") {
            if (c !== ":") this.endOrUnexpected("':' after a property name");
            this.at++;
            top.expect = "value";
            continue;
          }
          if (top.expect === "comma-or-end") {
            if (c === ",") {
              this.at++;
              top.expect = "key";
              continue;
            }
            if (c === "}") {
              this.at++;
              stack.pop();
              if (stack.length === 0) return;
              continue;
            }
            this.endOrUnexpected("',' or '}' after a property value");
          }
          // expect === "value": fall through to scan a value
          top.expect = "comma-or-end";
        } else {
          if (top.expect === "value-or-end" && c === "]") {
            this.at++;
            stack.pop();
            if (stack.length === 0) return;
            continue;
          }
          if (top.expect === "comma-or-end") {
            if (c === ",") {
              this.at++;
              top.expect = "value";
              continue;
            }
            if (c === "]") {
              this.at++;
              stack.pop();
              if (stack.length === 0) return;
              continue;
            }
            this.endOrUnexpected("',' or ']' after an array element");
          }
          top.expect = "comma-or-end";
        }
      }
      // A value starts here.
      const c = text[this.at];
      if (c === "{") {
        this.at++;
        stack.push({ kind: "object", expect: "key-or-end" });
        continue;
      }
      if (c === "[") {
        this.at++;
        stack.push({ kind: "array", expect: "value-or-end" });
        continue;
      }
      if (c === '"') this.string();
      else if (c === "-" || (c >= "0" && c <= "9")) this.number();
      else if (c === "t" || c === "f" || c === "n") this.literal();
      else this.endOrUnexpected("a value");
      if (stack.length === 0) return;
    }
  }

  private string(): void {
    const text = this.text;
    const start = this.at;
    this.at++;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c === 34) {
        this.at++;
        return;
      }
      if (c === 92) {
        const next = text[this.at + 1];
        if (next === undefined) break;
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.at + 2, this.at + 6))) this.fail("invalid JSON: bad \\u escape in a string");
          this.at += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next)) this.fail(`invalid JSON: bad escape \\${next} in a string`);
        this.at += 2;
        continue;
      }
      if (c < 32) this.fail("invalid JSON: unescaped control character in a string");
      this.at++;
    }
    this.fail("truncated JSON: the file ends inside a string", start);
  }

  private number(): void {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.at, this.at + 400));
    if (!match) this.fail("invalid JSON: malformed number");
    this.at += match[0].length;
  }

  private literal(): void {
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    this.fail(`invalid JSON: expected a value, found ${describeChar(this.text, this.at)}`);
  }
}

function describeChar(text: string, at: number): string {
  const code = text.codePointAt(at);
  if (code === undefined) return "the end of the file";
  if (code >= 0x21 && code <= 0x7e) return `'${String.fromCodePoint(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
