// A cell's syntax errors alone (no types, no other cells): what is_complete_request needs.
import { ts } from "./typescript";

export interface SyntaxProblem {
  start: number;
  length: number;
  message: string;
}

export function syntaxProblems(source: string, jsx = false): SyntaxProblem[] {
  const { diagnostics = [] } = ts.transpileModule(source, {
    fileName: jsx ? "cell.tsx" : "cell.ts",
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ESNext, noLib: true, noResolve: true },
  });
  return diagnostics
    .filter((d) => d.file !== undefined && d.start !== undefined)
    .map((d) => ({ start: d.start!, length: d.length ?? 0, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") }));
}
