// Maps a position in the JavaScript tslab generated for a cell back to the cell's TypeScript.
//
// tslab's converter emits no source map and its compiler options are closed, so we align the two
// token streams instead: type erasure and tslab's export rewriting delete or insert tokens but keep
// the user's own tokens in order, so a longest-common-subsequence alignment pairs each emitted token
// with the source token it came from. It runs only when an error needs a stack, never per cell.
import { diffArrays } from "diff";

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

interface Token {
  text: string;
  offset: number;
}

const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*|\S/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    if (match[0].startsWith("//")) continue; // comments survive emit only sometimes: ignore them
    tokens.push({ text: match[0], offset: match.index! });
  }
  return tokens;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function toOffset(starts: number[], pos: Position): number {
  return (starts[pos.line - 1] ?? Number.MAX_SAFE_INTEGER) + pos.column - 1;
}

function toPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

export class SourceAligner {
  private readonly sourceTokens: Token[];
  private readonly generatedTokens: Token[];
  private readonly sourceStarts: number[];
  private readonly generatedStarts: number[];
  /** generated token index → source token index, for tokens the two texts share. */
  private readonly pairs = new Map<number, number>();

  constructor(source: string, generated: string) {
    this.sourceTokens = tokenize(source);
    this.generatedTokens = tokenize(generated);
    this.sourceStarts = lineStarts(source);
    this.generatedStarts = lineStarts(generated);
    let s = 0;
    let g = 0;
    const changes = diffArrays(
      this.sourceTokens.map((t) => t.text),
      this.generatedTokens.map((t) => t.text),
    );
    for (const change of changes) {
      const count = change.count ?? change.value.length;
      if (change.added) g += count;
      else if (change.removed) s += count;
      else {
        // A lone shared punctuation mark is usually a coincidence (`{` of an erased interface
        // against `{` of emitted helper code): trust runs, and single words.
        const trusted = count >= 2 || /^[\w$"']/.test(change.value[0]);
        for (let i = 0; i < count; i++, g++, s++) if (trusted) this.pairs.set(g, s);
      }
    }
    this.extendAcrossEqualNeighbours();
  }

  /**
   * The alignment may pair a repeated token with the wrong occurrence (`f` of `exports.f = f` instead
   * of the call `f(…)`), leaving the right one unpaired beside a paired neighbour: pair it with the
   * source token next to that neighbour's partner when the texts agree.
   */
  private extendAcrossEqualNeighbours(): void {
    const gen = this.generatedTokens;
    const src = this.sourceTokens;
    for (let i = gen.length - 2; i >= 0; i--) {
      const next = this.pairs.get(i + 1);
      if (!this.pairs.has(i) && next !== undefined && next > 0 && src[next - 1].text === gen[i].text) {
        this.pairs.set(i, next - 1);
      }
    }
    for (let i = 1; i < gen.length; i++) {
      const previous = this.pairs.get(i - 1);
      if (!this.pairs.has(i) && previous !== undefined && previous + 1 < src.length && src[previous + 1].text === gen[i].text) {
        this.pairs.set(i, previous + 1);
      }
    }
  }

  /** The source position of the generated position, or undefined when it lies in generated-only code. */
  toSource(generated: Position): Position | undefined {
    const offset = toOffset(this.generatedStarts, generated);
    const tokens = this.generatedTokens;
    const index = tokens.findIndex((t) => t.offset + t.text.length > offset);
    if (index < 0) return undefined;
    const line = toPosition(this.generatedStarts, tokens[index].offset).line;
    // Prefer the token at the position, then later tokens on the same line, then earlier ones.
    for (let i = index; i < tokens.length; i++) {
      if (toPosition(this.generatedStarts, tokens[i].offset).line !== line) break;
      const source = this.pairs.get(i);
      if (source !== undefined) return toPosition(this.sourceStarts, this.sourceTokens[source].offset);
    }
    for (let i = index - 1; i >= 0; i--) {
      if (toPosition(this.generatedStarts, tokens[i].offset).line !== line) break;
      const source = this.pairs.get(i);
      if (source !== undefined) return toPosition(this.sourceStarts, this.sourceTokens[source].offset);
    }
    return undefined;
  }
}
