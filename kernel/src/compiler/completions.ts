// Completion and inspection in a cell, from the language service: candidates filtered and ranked by
// what has been typed, with their kinds (JupyterLab shows `_jupyter_types_experimental`), and the
// signature and JSDoc of the symbol under the cursor.
import { ts } from "./typescript";

export interface CompletionItem {
  text: string;
  /** What the candidate is: function, method, class, variable … */
  type: string;
  /** The candidate's declaration (`function greet(name: string): string`), for the first candidates. */
  signature?: string;
}

export interface CellCompletion {
  start: number;
  end: number;
  candidates: string[];
  items: CompletionItem[];
}

/** How many candidates get a signature: each costs a lookup of its details. */
const DETAILED = 12;

/** How the cell that declared a global name declared it (the scope file makes such names aliases). */
export type ScopeOwner = (name: string) => { declaredAs: string } | undefined;

export function completeAt(service: ts.LanguageService, path: string, source: string, position: number, owner: ScopeOwner): CellCompletion {
  const info = service.getCompletionsAtPosition(path, position, { includeCompletionsWithInsertText: true });
  const span = info?.optionalReplacementSpan ?? wordSpan(source, position);
  const start = span.start;
  const typed = source.slice(start, position);
  const lower = typed.toLowerCase();
  const ranked = (info?.entries ?? [])
    .map((entry, index) => {
      const name = entry.name;
      const rank = name.startsWith(typed) ? 0 : name.toLowerCase().startsWith(lower) ? 1 : name.toLowerCase().includes(lower) ? 2 : -1;
      return { entry, index, key: `${rank}${entry.sortText}`, rank };
    })
    .filter((e) => e.rank >= 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  const items = ranked.map(({ entry }, i): CompletionItem => {
    const fromCell = entry.kind === ts.ScriptElementKind.alias && !entry.source ? owner(entry.name) : undefined;
    const item: CompletionItem = { text: entry.name, type: fromCell?.declaredAs ?? kindName(entry.kind) };
    if (i < DETAILED) {
      const details = service.getCompletionEntryDetails(path, position, entry.name, undefined, entry.source, undefined, entry.data);
      if (details)
        item.signature = fromCell
          ? unaliased(ts.displayPartsToString(details.displayParts))
          : ts.displayPartsToString(details.displayParts);
    }
    return item;
  });
  const end = Math.max(position, span.start + span.length);
  return { start, end, candidates: items.map((i) => i.text), items };
}

/** `(alias) function f(): void\nimport f = $cell1.f` → `function f(): void`: the scope file's alias is labtrail's doing. */
function unaliased(text: string): string {
  return text.replace(/^\(alias\) /, "").replace(/\nimport [\w$]+ = [\w$.]+$/, "");
}

/**
 * The symbol at the cursor: its signature, then its documentation and JSDoc tags. A name from an
 * earlier cell is shown as that cell declared it, not as the scope file's alias or variable for it.
 */
export function inspectAt(service: ts.LanguageService, path: string, position: number, scopePath: string): string | undefined {
  const at = service.getQuickInfoAtPosition(path, position) ? position : position - 1;
  let info = at >= 0 ? service.getQuickInfoAtPosition(path, at) : undefined;
  if (!info) return undefined;
  const original = declarationInCell(service, path, at, scopePath);
  if (original) info = service.getQuickInfoAtPosition(original.fileName, original.textSpan.start) ?? info;
  const parts = [ts.displayPartsToString(info.displayParts)];
  const documentation = ts.displayPartsToString(info.documentation);
  if (documentation) parts.push("", documentation);
  for (const tag of info.tags ?? []) {
    const text = ts.displayPartsToString(tag.text);
    parts.push(`@${tag.name}${text ? ` ${text}` : ""}`);
  }
  return parts.join("\n");
}

/** Where the cell that ran a global name declared it, following the scope file's `typeof $cellN.name`. */
function declarationInCell(service: ts.LanguageService, path: string, position: number, scopePath: string): ts.DefinitionInfo | undefined {
  let definition = service.getDefinitionAtPosition(path, position)?.[0];
  if (definition?.fileName === scopePath) {
    const text = service.getProgram()?.getSourceFile(scopePath)?.text ?? "";
    const start = definition.textSpan.start;
    const line = text.slice(start, text.indexOf("\n", start));
    const reference = /\$cell\d+\.([\w$]+)/.exec(line);
    if (!reference) return undefined;
    definition = service.getDefinitionAtPosition(scopePath, start + reference.index + reference[0].length - 1)?.[0];
  }
  return definition && definition.fileName !== path && definition.fileName !== scopePath ? definition : undefined;
}

function wordSpan(source: string, position: number): ts.TextSpan {
  let start = position;
  while (start > 0 && /[\w$]/.test(source[start - 1])) start--;
  let end = position;
  while (end < source.length && /[\w$]/.test(source[end])) end++;
  return { start, length: end - start };
}

const KINDS: Partial<Record<ts.ScriptElementKind, string>> = {
  [ts.ScriptElementKind.functionElement]: "function",
  [ts.ScriptElementKind.localFunctionElement]: "function",
  [ts.ScriptElementKind.memberFunctionElement]: "method",
  [ts.ScriptElementKind.constructSignatureElement]: "constructor",
  [ts.ScriptElementKind.constructorImplementationElement]: "constructor",
  [ts.ScriptElementKind.classElement]: "class",
  [ts.ScriptElementKind.localClassElement]: "class",
  [ts.ScriptElementKind.interfaceElement]: "interface",
  [ts.ScriptElementKind.typeElement]: "type",
  [ts.ScriptElementKind.enumElement]: "enum",
  [ts.ScriptElementKind.enumMemberElement]: "enum member",
  [ts.ScriptElementKind.moduleElement]: "module",
  [ts.ScriptElementKind.externalModuleName]: "module",
  [ts.ScriptElementKind.alias]: "module",
  [ts.ScriptElementKind.keyword]: "keyword",
  [ts.ScriptElementKind.memberVariableElement]: "property",
  [ts.ScriptElementKind.memberGetAccessorElement]: "property",
  [ts.ScriptElementKind.memberSetAccessorElement]: "property",
  [ts.ScriptElementKind.variableElement]: "variable",
  [ts.ScriptElementKind.localVariableElement]: "variable",
  [ts.ScriptElementKind.letElement]: "variable",
  [ts.ScriptElementKind.constElement]: "constant",
  [ts.ScriptElementKind.parameterElement]: "parameter",
  [ts.ScriptElementKind.typeParameterElement]: "type parameter",
  [ts.ScriptElementKind.string]: "text",
  [ts.ScriptElementKind.directory]: "path",
  [ts.ScriptElementKind.scriptElement]: "path",
};

function kindName(kind: ts.ScriptElementKind): string {
  return KINDS[kind] ?? (kind || "text");
}
