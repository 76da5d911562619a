/**
 * Positions and line scanning shared by the header grammar and the spec-lite parser.
 *
 * Lines and columns are 1-based; columns count UTF-16 code units (what editors and CodeMirror use);
 * `offset` is the 0-based UTF-16 offset into the cell source. Lines end at "\n", "\r\n" or "\r".
 */

export interface Position {
  /** 1-based line within the cell. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** 0-based offset into the cell source, in UTF-16 code units. */
  offset: number;
}

export interface Line {
  /** 1-based line number. */
  number: number;
  /** Offset of the line's first character in the source. */
  start: number;
  /** The line's text without its terminator. */
  text: string;
}

/**
 * Reads a string one line at a time without splitting the whole string, so a caller that stops
 * early (the header parser stops at the first line of code) never pays for the rest of the source.
 */
export class LineCursor {
  private next = 0;
  private lineNumber = 0;
  /** How many lines have been read so far. */
  linesRead = 0;

  constructor(private readonly source: string) {}

  /** The next line, or null at the end. A final line terminator does not open an empty last line. */
  read(): Line | null {
    const source = this.source;
    const start = this.next;
    if (start >= source.length) return null;
    let end = start;
    while (end < source.length) {
      const c = source.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    if (end < source.length) {
      this.next = source.charCodeAt(end) === 13 && source.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    } else {
      this.next = end;
    }
    this.lineNumber++;
    this.linesRead++;
    return { number: this.lineNumber, start, text: source.slice(start, end) };
  }

  /** Offset where the next line starts (the source length at the end). */
  get offset(): number {
    return this.next;
  }
}

export function positionIn(line: Line, index: number): Position {
  return { line: line.number, column: index + 1, offset: line.start + index };
}

/** Index of the first character that is not a space or a tab, or `text.length`. */
export function indentOf(text: string, from = 0): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index just past the last character that is not a space or a tab, from `from`. */
export function trimmedEndOf(text: string, from = 0): number {
  let end = text.length;
  while (end > from) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** Levenshtein distance, bounded: returns `limit + 1` as soon as the distance must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** `text` cut to at most `max` characters, with "…" where it was cut: user text quoted in a message. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
