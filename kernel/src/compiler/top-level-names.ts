// The names a cell declares at its top level, and what each one is: later cells see them (through the
// scope file, see cell-files.ts) and the executor keeps their values, so every one is exported.
import { ts } from "./typescript";

/** `assignable` and `constant` are plain variables; `alias` carries every other meaning (types, namespaces …). */
export type NameKind = "assignable" | "constant" | "alias";

export interface TopLevelName {
  name: string;
  kind: NameKind;
  /** Already exported by the cell itself (`export const x`), so it needs no `export { x }`. */
  exported: boolean;
  /** What its first declaration is, as completions name it: function, class, variable … */
  declaredAs: string;
}

export function topLevelNames(file: ts.SourceFile): TopLevelName[] {
  const found = new Map<string, { kinds: Set<NameKind>; exported: boolean; declaredAs: string }>();
  const add = (name: string, kind: NameKind, exported: boolean, declaredAs: string) => {
    if (name === "default") return;
    const entry = found.get(name) ?? { kinds: new Set<NameKind>(), exported: false, declaredAs };
    entry.kinds.add(kind);
    entry.exported ||= exported;
    found.set(name, entry);
  };
  const exportedLocals = new Set<string>();
  for (const statement of file.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) exportedLocals.add((element.propertyName ?? element.name).text);
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(statement)) {
      const flags = statement.declarationList.flags;
      const kind: NameKind = flags & (ts.NodeFlags.Const | ts.NodeFlags.Using) ? "constant" : "assignable";
      for (const declaration of statement.declarationList.declarations) {
        for (const name of boundNames(declaration.name)) add(name, kind, exported, kind === "constant" ? "constant" : "variable");
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      add(statement.name.text, "alias", exported, declarationWord(statement));
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add(statement.name.text, "alias", exported, "module");
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, "alias", false, "module");
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, "alias", false, "module");
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) add(element.name.text, "alias", false, "module");
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, "alias", exported, "module");
    }
  }
  return [...found].map(([name, { kinds, exported, declaredAs }]) => ({
    name,
    // A name that is only variables stays a variable (assignable when any declaration is `let`/`var`).
    kind: kinds.has("alias") ? "alias" : kinds.has("assignable") ? "assignable" : "constant",
    exported: exported || exportedLocals.has(name),
    declaredAs,
  }));
}

function declarationWord(statement: ts.Statement): string {
  if (ts.isFunctionDeclaration(statement)) return "function";
  if (ts.isClassDeclaration(statement)) return "class";
  if (ts.isEnumDeclaration(statement)) return "enum";
  if (ts.isInterfaceDeclaration(statement)) return "interface";
  return "type";
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : boundNames(element.name)));
}

/** Whether the cell awaits outside any function: then the executor runs it as an async function. */
export function hasTopLevelAwait(file: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isModuleDeclaration(node)) return;
    if (
      ts.isAwaitExpression(node) ||
      (ts.isForOfStatement(node) && node.awaitModifier !== undefined) ||
      (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}
