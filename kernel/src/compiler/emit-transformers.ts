// What turns a checked cell into the code tslab's executor runs (see tslab/dist/executor.js: the code
// runs as `(function(exports, require) { … })`, where `exports` holds every earlier cell's names):
//   - the last expression statement becomes `export const <var> = …`, which the executor shows;
//   - a name from an earlier cell (declared in the scope file) becomes `exports.<name>`;
//   - an import of a local TypeScript file (a relative path, a tsconfig `paths` alias, an `@module`)
//     names it by a path relative to the importer, where the executor finds its compiled side output.
import { dirname, relative } from "node:path";
import { ts } from "./typescript";

export interface CellTransformSettings {
  checker: ts.TypeChecker;
  scopeFile: ts.SourceFile | undefined;
  /** The variable for the last expression; undefined: keep the last expression as it is. */
  lastExpressionVar?: string;
  /** Called when the cell ends with an expression, which is then kept in `lastExpressionVar`. */
  onCaptured?: () => void;
  /** The local source file an import specifier of `file` resolves to, if it is one the kernel compiles. */
  localModule(specifier: string, file: ts.SourceFile): string | undefined;
}

export function cellTransformers(settings: CellTransformSettings): ts.CustomTransformers {
  const before = settings.lastExpressionVar ? [lastExpression(settings.lastExpressionVar, settings.onCaptured)] : [];
  return { before, after: [earlierCellNames(settings), localImports(settings)] };
}

/** For a local module a cell imports: only its imports of other local modules change. */
export function moduleTransformers(settings: CellTransformSettings): ts.CustomTransformers {
  return { after: [localImports(settings)] };
}

function lastExpression(name: string, onCaptured = () => {}): ts.TransformerFactory<ts.SourceFile> {
  return () => (file) => {
    const statements = [...file.statements];
    for (let i = statements.length - 1; i >= 0; i--) {
      const statement = statements[i];
      if (ts.isExportDeclaration(statement) || ts.isEmptyStatement(statement)) continue;
      if (!ts.isExpressionStatement(statement)) return file;
      const captured = ts.factory.createVariableStatement(
        [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)],
        ts.factory.createVariableDeclarationList(
          [ts.factory.createVariableDeclaration(name, undefined, undefined, statement.expression)],
          ts.NodeFlags.Const,
        ),
      );
      ts.setTextRange(captured, statement);
      statements[i] = ts.setOriginalNode(captured, statement);
      onCaptured();
      return ts.factory.updateSourceFile(file, statements);
    }
    return file;
  };
}

function earlierCellNames({ checker, scopeFile }: CellTransformSettings): ts.TransformerFactory<ts.SourceFile> {
  const fromScope = (node: ts.Node | undefined, symbol: ts.Symbol | undefined) =>
    node !== undefined && scopeFile !== undefined && (symbol?.declarations ?? []).some((d) => d.getSourceFile() === scopeFile);
  const exportsOf = (name: string) => ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), name);
  return (context) => (file) => {
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isIdentifier(node)) {
        const original = ts.getParseTreeNode(node);
        return original && fromScope(original, checker.getSymbolAtLocation(original)) ? exportsOf(node.text) : node;
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const original = ts.getParseTreeNode(node);
        if (
          original &&
          ts.isShorthandPropertyAssignment(original) &&
          fromScope(original, checker.getShorthandAssignmentValueSymbol(original))
        ) {
          return ts.factory.createPropertyAssignment(node.name.text, exportsOf(node.name.text));
        }
        return node;
      }
      if (ts.isPropertyAccessExpression(node)) {
        return ts.factory.updatePropertyAccessExpression(node, ts.visitNode(node.expression, visit) as ts.Expression, node.name);
      }
      if (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) {
        // The name is a key, not a reference (a computed key is an expression and is visited).
        if (!ts.isComputedPropertyName(node.name)) {
          return ts.visitEachChild(node, (child) => (child === node.name ? child : visit(child)), context);
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(file, visit, context);
  };
}

function localImports({ localModule }: CellTransformSettings): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const rewrite = (specifier: ts.Expression): ts.Expression => {
      if (!ts.isStringLiteral(specifier)) return specifier;
      const target = localModule(specifier.text, file);
      if (!target) return specifier;
      let path = relative(dirname(file.fileName), target).replace(/\.(d\.)?[cm]?[jt]sx?$/, "");
      if (!path.startsWith(".")) path = `./${path}`;
      return ts.factory.createStringLiteral(path);
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node)) {
        return ts.factory.updateImportDeclaration(node, node.modifiers, node.importClause, rewrite(node.moduleSpecifier), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
        return ts.factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          rewrite(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0) {
        const [first, ...rest] = node.arguments;
        return ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [
          rewrite(first),
          ...rest.map((a) => ts.visitNode(a, visit) as ts.Expression),
        ]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(file, visit, context);
  };
}
