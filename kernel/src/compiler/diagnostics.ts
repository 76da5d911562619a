// TypeScript's diagnostics as the kernel reports them: positions in the cell (or in a local module the
// cell imports), the TS code, and the message with its chain of reasons.
import { relative } from "node:path";
import { ts } from "./typescript";

export interface DiagnosticPosition {
  /** UTF-16 offset in the file. */
  offset: number;
  /** 0-based */
  line: number;
  /** 0-based */
  character: number;
}

export interface CellDiagnostic {
  start: DiagnosticPosition;
  end: DiagnosticPosition;
  messageText: string;
  category: ts.DiagnosticCategory;
  code: number;
  /** The module the diagnostic is in, relative to the notebook; undefined: the cell itself. */
  fileName?: string;
}

/**
 * `cellPath`'s diagnostics are the cell's (those past `cellLength` are in the exports the compiler
 * appended and say nothing about the cell). Others keep their file's path relative to `dir`; files
 * outside it (libraries, @types) are not reported, as tslab did not.
 */
export function cellDiagnostics(
  diagnostics: readonly ts.Diagnostic[],
  cellPath: string,
  cellLength: number,
  dir: string,
): CellDiagnostic[] {
  const out: CellDiagnostic[] = [];
  for (const d of diagnostics) {
    if (!d.file || d.start === undefined) continue;
    const inCell = d.file.fileName === cellPath;
    if (inCell && d.start > cellLength) continue;
    const fileName = inCell ? undefined : relative(dir, d.file.fileName);
    if (fileName?.startsWith("..") || fileName?.includes("node_modules")) continue;
    const end = inCell ? Math.min(d.start + (d.length ?? 0), cellLength) : d.start + (d.length ?? 0);
    out.push({
      start: position(d.file, d.start),
      end: position(d.file, end),
      messageText: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      category: d.category,
      code: d.code,
      fileName,
    });
  }
  return out;
}

function position(file: ts.SourceFile, offset: number): DiagnosticPosition {
  const { line, character } = file.getLineAndCharacterOfPosition(offset);
  return { offset, line, character };
}
