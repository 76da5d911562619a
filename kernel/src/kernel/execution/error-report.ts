import { inspect } from "node:util";
import { SourceAligner } from "./stack-mapping";
import type { CellDiagnostic as Diagnostic } from "../../compiler/diagnostics";

/** The error fields of `execute_reply` and of the `error` message. */
export interface ErrorReport {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What the kernel compiled for a cell, kept so a later stack trace can point into the cell's lines. */
export interface CompiledCell {
  name: string;
  source: string;
  generated: string;
  /** Characters tslab's executor puts before the generated code on its first line when it wraps it. */
  firstLinePrefix: number;
  aligner?: SourceAligner;
}

export class CompiledCells {
  private readonly cells = new Map<string, CompiledCell>();
  add(cell: CompiledCell): void {
    this.cells.set(cell.name, cell);
  }
  get(name: string): CompiledCell | undefined {
    return this.cells.get(name);
  }
}

export function diagnosticsReport(cellName: string, source: string, diagnostics: Diagnostic[]): ErrorReport {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.fileName ? `${d.fileName} ` : ""}${cellName}:${d.start.line + 1}:${d.start.character + 1}`;
    // A message with a chain of reasons keeps them, indented, on the lines after it.
    traceback.push(`${where} - error TS${d.code}: ${d.messageText.split("\n").join("\n    ")}`);
    if (!d.fileName && lines[d.start.line] !== undefined) {
      const width = Math.max(1, d.start.line === d.end.line ? d.end.character - d.start.character : 1);
      traceback.push(`  ${lines[d.start.line]}`, `  ${" ".repeat(d.start.character)}${"~".repeat(width)}`);
    }
  }
  const first = diagnostics[0];
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return {
    ename: "TypeScriptError",
    evalue: `${first.start.line + 1}:${first.start.character + 1} - TS${first.code}: ${first.messageText.split("\n")[0]}${more}`,
    traceback,
  };
}

const INTERRUPTIONS = new Set(["ERR_SCRIPT_EXECUTION_INTERRUPTED"]);

export function isInterruption(value: unknown): boolean {
  if (!(value instanceof Error)) return false;
  const code = (value as NodeJS.ErrnoException).code;
  return (code !== undefined && INTERRUPTIONS.has(code)) || value.message === "Interrupted asynchronously";
}

const FRAME = /^\s+at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/** Frames of the kernel's own machinery, which say nothing about the user's code. */
function isInternalFrame(file: string, internalDirs: string[]): boolean {
  return file.startsWith("node:") || internalDirs.some((dir) => file.startsWith(dir)) || file === "evalmachine.<anonymous>";
}

export function thrownReport(value: unknown, cells: CompiledCells, internalDirs: string[]): ErrorReport {
  if (isInterruption(value)) {
    return { ename: "Interrupted", evalue: "the cell was interrupted", traceback: ["Interrupted: the cell was interrupted"] };
  }
  if (!(value instanceof Error)) {
    const text = inspect(value, { colors: false, depth: 4 });
    return { ename: "Uncaught", evalue: text, traceback: [`Uncaught ${text}`] };
  }
  const ename = value.name || "Error";
  const evalue = value.message;
  const stack = typeof value.stack === "string" ? value.stack.split("\n") : [];
  const frames: string[] = [];
  for (const line of stack) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const [, fn, file, lineText, columnText] = m;
    const cell = cells.get(file);
    if (cell) {
      const line = Number(lineText);
      const column = Number(columnText) - (line === 1 ? cell.firstLinePrefix : 0);
      cell.aligner ??= new SourceAligner(cell.source, cell.generated);
      const at = cell.aligner.toSource({ line, column });
      if (!at) continue;
      // Cells call each other's functions through tslab's exports Proxy: "Proxy.check" is just "check".
      const name = fn?.replace(/^Proxy\./, "");
      frames.push(`    at ${name ? `${name} (` : ""}${cell.name}:${at.line}:${at.column}${name ? ")" : ""}`);
    } else if (!isInternalFrame(file, internalDirs)) {
      frames.push(line);
    }
  }
  return { ename, evalue, traceback: [`${ename}: ${evalue}`, ...frames] };
}
