import type * as Syntax from "../../compiler/syntax";
import { splitMagicCell } from "../magics/magic-syntax";

export type Completeness = { status: "complete" } | { status: "incomplete"; indent: string } | { status: "invalid" };

/**
 * `is_complete_request`: incomplete when the only syntax errors are at the very end (more input
 * would fix them), invalid when there is a syntax error before the end, complete otherwise. Two
 * blank lines at the end force the cell to run, as in tslab.
 */
export function checkCompleteness(code: string): Completeness {
  // Required here, not imported: the kernel loads TypeScript only once it warms up (deferred-runner.ts).
  const { syntaxProblems } = require("../../compiler/syntax") as typeof Syntax;
  // A magic cell is run by the kernel as written; there is nothing more to wait for.
  if (code.trim() === "" || splitMagicCell(code).kind !== "none") return { status: "complete" };
  const end = code.length;
  const forced = /(^|\n)\s*\n\s*$/.test(code);
  const atEnd = forced ? [] : syntaxProblems(code, true).filter((p) => p.start >= end && p.length === 0);
  if (atEnd.some((p) => p.message.endsWith(" expected."))) return { status: "incomplete", indent: indentOnEnter(code) };
  const typed = syntaxProblems(code, false);
  if (typed.some((p) => !(p.start >= end && p.length === 0))) return { status: "invalid" };
  if (typed.length > 0) return { status: "incomplete", indent: "" };
  return { status: "complete" };
}

/** The indent of the next line: the current one's, one step more after an opening bracket (tslab's rule). */
function indentOnEnter(code: string): string {
  const line = code.match(/[^\n]*$/)?.[0] ?? "";
  const current = line.match(/^\s*/)?.[0] ?? "";
  if (/^((?!.*?\/\*).*\*\/)?\s*[}\]].*$/.test(line)) {
    if (current.endsWith("  ")) return current.slice(0, -2);
    if (current.endsWith("\t") || current.endsWith(" ")) return current.slice(0, -1);
    return current;
  }
  if (/^((?!\/\/).)*(\{[^}"'`]*|\([^)"'`]*|\[[^\]"'`]*)$/.test(line)) return `${current}  `;
  return current;
}
