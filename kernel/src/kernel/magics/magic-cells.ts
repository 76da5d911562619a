// Turns a cell that uses magics into what the kernel runs: `%%ask` becomes TypeScript that tslab
// compiles (so `${…}` interpolation, typing and the `--as` binding come from the compiler itself);
// `%name` lines run in the kernel before the rest of the cell.
import { parseHeader } from "../../core";
import type { ErrorReport } from "../execution/error-report";
import type { ExecutionScope } from "../execution/execution-scope";
import { ASK_USAGE, parseAskArgs, rewriteAskCell } from "./ask-magic";
import { splitMagicCell } from "./magic-syntax";

export interface LineMagic {
  /** One line for the list of magics shown when a name is unknown. */
  summary: string;
  run(args: string, scope: ExecutionScope): void | Promise<void>;
}

export type PreparedCell =
  | { kind: "code"; code: string }
  | { kind: "error"; error: ErrorReport }
  | { kind: "line"; magics: { magic: LineMagic; args: string }[]; rest: string | null };

const CELL_MAGICS: Record<string, string> = {
  ask: `ask a model; the lines below are the prompt, \${expr} interpolates — ${ASK_USAGE}`,
};

export class MagicCells {
  constructor(private readonly lineMagics: Readonly<Record<string, LineMagic>>) {}

  prepare(source: string): PreparedCell {
    const cell = splitMagicCell(source);
    if (cell.kind === "none") return { kind: "code", code: source };
    if (cell.kind === "cell") {
      if (cell.name !== "ask") return this.unknown(`%%${cell.name}`);
      const args = parseAskArgs(cell.args);
      if (!args.ok) return magicError(args.error);
      const rewritten = rewriteAskCell(cell, args.options);
      return rewritten.ok ? { kind: "code", code: rewritten.code } : magicError(rewritten.error);
    }
    const magics: { magic: LineMagic; args: string }[] = [];
    for (const { name, args } of cell.magics) {
      const magic = Object.hasOwn(this.lineMagics, name) ? this.lineMagics[name] : undefined;
      if (!magic) return this.unknown(`%${name}`);
      magics.push({ magic, args });
    }
    // What is left once the magic lines are blanked: run it only if it holds code, not just a header.
    const rest = parseHeader(cell.rest).body ? cell.rest : null;
    return { kind: "line", magics, rest };
  }

  /** The magics there are, one per line. */
  list(): string {
    return [
      ...Object.entries(CELL_MAGICS).map(([name, summary]) => `  %%${name}  ${summary}`),
      ...Object.entries(this.lineMagics).map(([name, magic]) => `  %${name}  ${magic.summary}`),
    ].join("\n");
  }

  private unknown(written: string): PreparedCell {
    const name = written.replace(/^%+/, "");
    const names = [...Object.keys(CELL_MAGICS).map((n) => `%%${n}`), ...Object.keys(this.lineMagics).map((n) => `%${n}`)];
    const what = name ? `unknown magic ${written}` : `"${written}" is not a magic: a name must follow it`;
    return magicError(`${what}; the magics are ${names.join(", ")}:\n${this.list()}`);
  }
}

function magicError(message: string): PreparedCell {
  const lines = message.split("\n");
  return { kind: "error", error: { ename: "MagicError", evalue: lines[0], traceback: [`MagicError: ${lines[0]}`, ...lines.slice(1)] } };
}
