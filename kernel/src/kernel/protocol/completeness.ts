import { isCompleteCode, typescript as ts } from "../execution/tslab";
import { splitMagicCell } from "../magics/magic-syntax";

export type Completeness = { status: "complete" } | { status: "incomplete"; indent: string } | { status: "invalid" };

/**
 * `is_complete_request`: incomplete when the only syntax errors are at the very end (more input
 * would fix them), invalid when there is a syntax error before the end, complete otherwise.
 */
export function checkCompleteness(code: string): Completeness {
  // A magic cell is run by the kernel as written; there is nothing more to wait for.
  if (code.trim() === "" || splitMagicCell(code).kind !== "none") return { status: "complete" };
  const tslab = isCompleteCode(code);
  if (!tslab.completed) return { status: "incomplete", indent: tslab.indent ?? "" };
  const source = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = (source as unknown as { parseDiagnostics?: { start: number; length: number }[] }).parseDiagnostics ?? [];
  const end = code.length;
  const beforeEnd = diagnostics.filter((d) => !(d.start >= end && d.length === 0));
  if (beforeEnd.length > 0) return { status: "invalid" };
  if (diagnostics.length > 0) return { status: "incomplete", indent: "" };
  return { status: "complete" };
}
