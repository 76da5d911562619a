// The compiler options cells are checked with: the nearest tsconfig.json above the notebook, as far as
// a notebook can use it, on top of TypeScript's recommended defaults (those `tsc --init` writes) and a
// target and lib that match the Node.js running the kernel.
import { dirname } from "node:path";
import { ts } from "./typescript";

export interface NotebookOptions {
  options: ts.CompilerOptions;
  /** The tsconfig.json read, if any. */
  configFile: string | null;
  /** One line for each problem with the tsconfig and each of its options a notebook cannot use. */
  notes: string[];
}

/** What the Node.js running the kernel supports: newer libs declare methods older Nodes lack at run time. */
export function nodeTarget(version = process.versions.node): { target: ts.ScriptTarget; lib: string[] } {
  const major = Number(version.split(".")[0]);
  if (major >= 24) return { target: ts.ScriptTarget.ES2024, lib: ["lib.es2025.d.ts"] };
  if (major >= 22) return { target: ts.ScriptTarget.ES2024, lib: ["lib.es2024.d.ts"] };
  return { target: ts.ScriptTarget.ES2023, lib: ["lib.es2023.d.ts"] };
}

/** `tsc --init`'s "Recommended Options" that concern checking (the others are about emitting files). */
const RECOMMENDED: ts.CompilerOptions = {
  strict: true,
  noUncheckedSideEffectImports: true,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
};

/** Options with the same meaning in a notebook as in a project: tslab's own choices where it made one. */
const NOTEBOOK_DEFAULTS: ts.CompilerOptions = {
  esModuleInterop: true,
  resolveJsonModule: true,
  allowJs: true,
  experimentalDecorators: false,
};

/** What the notebook needs whatever the tsconfig says: cells are ES modules, emitted in memory for tslab's executor. */
const FIXED: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  noEmit: false,
  noEmitOnError: false,
  emitDeclarationOnly: false,
  declaration: false,
  declarationMap: false,
  sourceMap: false,
  inlineSourceMap: false,
  inlineSources: false,
  composite: false,
  incremental: false,
  isolatedModules: false,
  verbatimModuleSyntax: false,
  allowImportingTsExtensions: false,
  newLine: ts.NewLineKind.LineFeed,
};

const WHY: Record<string, string> = {
  module: "cells are compiled as ES modules and run by tslab's executor",
  moduleResolution: "cells resolve imports as a bundler does (package exports, no extensions needed)",
  moduleDetection: "every cell is a module",
  verbatimModuleSyntax: "the kernel rewrites each cell's imports and exports for the executor",
  isolatedModules: "the kernel rewrites each cell's imports and exports for the executor",
  allowImportingTsExtensions: "imports of local .ts files are compiled and loaded by the kernel",
};
const EMIT_ONLY = new Set([
  "noEmit",
  "noEmitOnError",
  "emitDeclarationOnly",
  "declaration",
  "declarationMap",
  "sourceMap",
  "inlineSourceMap",
  "inlineSources",
  "composite",
  "incremental",
  "outDir",
  "outFile",
  "rootDir",
  "declarationDir",
  "tsBuildInfoFile",
]);

/** The options for a notebook in `notebookDir`. */
export function notebookOptions(notebookDir: string, node = nodeTarget()): NotebookOptions {
  const defaults: ts.CompilerOptions = { ...RECOMMENDED, ...NOTEBOOK_DEFAULTS, target: node.target, lib: node.lib, types: ["node"] };
  const configFile = ts.findConfigFile(notebookDir, ts.sys.fileExists) ?? null;
  if (!configFile) return { options: { ...defaults, ...FIXED }, configFile, notes: [] };

  const notes: string[] = [];
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) {
    notes.push(`${configFile}: ${flatten(read.error)}; using TypeScript's recommended options`);
    return { options: { ...defaults, ...FIXED }, configFile, notes };
  }
  // Files are the notebook's cells, not the tsconfig's include/files: read its compilerOptions (and extends) only.
  const config = { ...read.config, files: [], include: [] };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configFile), undefined, configFile);
  for (const error of parsed.errors) {
    if (error.code !== 18002) notes.push(`${configFile}: ${flatten(error)}`); // 18002: "files" is empty, as asked
  }
  const own = parsed.options;
  for (const [name, why] of Object.entries(WHY)) {
    const value = own[name];
    if (value !== undefined && value !== FIXED[name] && value !== false) {
      notes.push(`tsconfig.json "${name}" is not used in notebooks: ${why}`);
    }
  }
  const emitOnly = Object.keys(own).filter((name) => EMIT_ONLY.has(name) && own[name] !== undefined && own[name] !== false);
  if (emitOnly.length > 0) notes.push(`tsconfig.json ${emitOnly.map((n) => `"${n}"`).join(", ")} not used: cells are emitted in memory`);
  const options: ts.CompilerOptions = { ...defaults, ...own };
  if (options.target !== undefined && options.target < ts.ScriptTarget.ES2017) {
    notes.push(`tsconfig.json "target" is below ES2017, which top-level await needs: ${ts.ScriptTarget[node.target]} is used`);
    options.target = node.target;
  }
  for (const name of [...EMIT_ONLY, "configFilePath", "plugins"]) delete options[name];
  return { options: { ...options, ...FIXED }, configFile, notes };
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
}
