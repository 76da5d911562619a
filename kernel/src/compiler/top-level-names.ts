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
}

export function topLevelNames(file: ts.SourceFile): TopLevelName[] {
  const found = new Map<string, { kinds: Set<NameKind>; exported: boolean }>();
  const add = (name: string, kind: NameKind, exported: boolean) => {
    if (name === "default") return;
    const entry = found.get(name) ?? { kinds: new Set<NameKind>(), exported: false };
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
        for (const name of boundNames(declaration.name)) add(name, kind, exported);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      add(statement.name.text, "alias", exported);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add(statement.name.text, "alias", exported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, "alias", false);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, "alias", false);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) add(element.name.text, "alias", false);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, "alias", exported);
    }
  }
  return [...found].map(([name, { kinds, exported }]) => ({
    name,
    // A name that is only variables stays a variable (assignable when any declaration is `let`/`var`).
    kind: kinds.has("alias") ? "alias" : kinds.has("assignable") ? "assignable" : "constant",
    exported: exported || exportedLocals.has(name),
  }));
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
