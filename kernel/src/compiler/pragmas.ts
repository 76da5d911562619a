// The JSDoc pragmas tslab honoured in a cell's leading comments: `@module name` (the cell defines a
// module other cells import as "./name" instead of running), `@jsx` (the cell is TSX), `@node` and
// `@browser`. Read the way tslab read them: each leading `/** … */` comment is parsed as JSDoc.
import { ts } from "./typescript";

export interface CellPragmas {
  module?: string;
  jsx?: true;
  mode?: "node" | "browser";
}

const MODULE_NAME = /^\w+$/;

export function readPragmas(source: string): CellPragmas {
  const pragmas: CellPragmas = {};
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  for (let kind = scanner.scan(); isTrivia(kind); kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const comment = scanner.getTokenText();
    if (!comment.startsWith("/**")) continue;
    for (const tag of jsDocTags(comment)) {
      const name = tag.tagName.text;
      const text = typeof tag.comment === "string" ? tag.comment.trim() : undefined;
      if (name === "module" && text !== undefined && MODULE_NAME.test(text)) pragmas.module = text;
      else if (name === "jsx") pragmas.jsx = true;
      else if (name === "node" || name === "browser") pragmas.mode = name;
    }
  }
  return pragmas;
}

function isTrivia(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstTriviaToken && kind <= ts.SyntaxKind.LastTriviaToken;
}

/** The tags of one JSDoc comment, parsed by TypeScript's own JSDoc parser (attached to a dummy statement). */
function jsDocTags(comment: string): readonly ts.JSDocTag[] {
  const file = ts.createSourceFile("pragmas.ts", `${comment}\nvar _;`, ts.ScriptTarget.Latest, true);
  const statement = file.statements[0];
  return statement ? ts.getJSDocTags(statement) : [];
}
