// The cell compiler: a TypeScript language service over the notebook's virtual files (cell-files.ts).
// Each cell is type-checked against the cells that ran before it and emitted as the CommonJS code
// tslab's executor runs; only cells that ran become visible to later ones (commit).
import { join } from "node:path";
import { CellFiles } from "./cell-files";
import { completeAt, inspectAt, type CellCompletion } from "./completions";
import { type NotebookOptions, notebookOptions } from "./compiler-options";
import { type CellDiagnostic, cellDiagnostics } from "./diagnostics";
import { cellTransformers, moduleTransformers } from "./emit-transformers";
import { nodeTypes, type NodeTypes } from "./node-types";
import { readPragmas } from "./pragmas";
import { ResolutionCache } from "./resolution-cache";
import type { TopLevelName } from "./top-level-names";
import { hasTopLevelAwait } from "./top-level-names";
import { ts } from "./typescript";

/** What tslab's executor takes from a converter (tslab/dist/converter.d.ts, `ConvertResult`). */
export interface CompiledCell {
  output?: string;
  declOutput?: string;
  /** When not empty, nothing else is set. */
  diagnostics: CellDiagnostic[];
  lastExpressionVar?: string;
  hasToplevelAwait?: boolean;
  /** Compiled local modules the cell imports, for the executor's `require`. */
  sideOutputs?: { path: string; data: string }[];
}

export interface CellCompilerSettings {
  /** The notebook's folder: relative imports, the tsconfig.json and node_modules are found from here. */
  dir: string;
  /** Defaults to those of the nearest tsconfig.json above `dir` (see compiler-options.ts). */
  options?: NotebookOptions;
  /**
   * Packages cells import whatever the notebook's node_modules hold, by name → package folder (tslab's
   * display module: the executor gives every cell its own copy).
   */
  providedPackages?: Record<string, string>;
}

const SOURCE_EXTENSIONS = /\.(tsx?|jsx?|mts|cts|mjs|cjs)$/;

export class CellCompiler {
  readonly typescriptVersion = ts.version;
  readonly options: ts.CompilerOptions;
  /** The tsconfig.json in force, and a line for each of its options a notebook does not use. */
  readonly config: { file: string | null; notes: string[] };
  readonly types: NodeTypes;
  private readonly files: CellFiles;
  private readonly registry = ts.createDocumentRegistry(true, "/");
  private service: ts.LanguageService;
  private readonly resolutions: ResolutionCache;
  /** The last cell compiled without errors, until it is committed. */
  private compiled: { path: string; text: string; names: TopLevelName[] } | null = null;
  /** Files on disk as last read, by version: the service asks for every file's snapshot on each update. */
  private readonly snapshots = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  /** Local modules' versions as last given to the executor. */
  private readonly emitted = new Map<string, string>();

  constructor(readonly settings: CellCompilerSettings) {
    const notebook = settings.options ?? notebookOptions(settings.dir);
    this.config = { file: notebook.configFile, notes: notebook.notes };
    this.types = nodeTypes(notebook.options, settings.dir);
    this.options = {
      ...notebook.options,
      typeRoots: notebook.options.typeRoots ?? this.types.typeRoots,
      outDir: join(settings.dir, "__labtrail_out__"),
    };
    this.files = new CellFiles(settings.dir);
    this.resolutions = new ResolutionCache(this.moduleHost(), this.options, (path) => this.isInstalled(path) && !this.files.get(path));
    this.service = this.createService();
  }

  /** Problems with the options themselves (a deprecated option, say); computing them builds the program. */
  optionsDiagnostics(): string[] {
    return this.service.getCompilerOptionsDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
  }

  /** Type-checks `source` against the live cells and emits it; commit() makes it live once it ran. */
  compile(source: string): CompiledCell {
    const pragmas = readPragmas(source);
    this.compiled = null;
    return this.guardingStack(() => {
      const pending = this.setPending(source, pragmas.jsx === true);
      const program = this.program();
      const file = program.getSourceFile(pending.path)!;
      const modules = this.localDependencies(program, file);
      const diagnostics = [
        ...this.diagnosticsOf(pending.path, source.length),
        ...modules.flatMap((path) => this.diagnosticsOf(path, Number.MAX_SAFE_INTEGER)),
      ].filter(isProblem);
      if (diagnostics.length > 0) return { diagnostics };

      const checker = program.getTypeChecker();
      const settings = { checker, scopeFile: program.getSourceFile(this.files.scopePath), localModule: this.localModuleResolver(program) };
      const lastExpressionVar = lastExpressionName(source, pending.names);
      let captured = false;
      const output = this.emit(program, file, cellTransformers({ ...settings, lastExpressionVar, onCaptured: () => (captured = true) }));
      const sideOutputs = this.sideOutputs(program, modules, moduleTransformers(settings));
      this.compiled = pending;
      return {
        output,
        declOutput: "",
        diagnostics: [],
        lastExpressionVar: captured ? lastExpressionVar : undefined,
        hasToplevelAwait: hasTopLevelAwait(file),
        sideOutputs: sideOutputs.length > 0 ? sideOutputs : undefined,
      };
    });
  }

  /** The last compiled cell ran: later cells see its names, under `key` (a rerun of the key replaces it). */
  commit(key: string): void {
    if (this.compiled) this.files.commit(key, this.compiled);
    this.compiled = null;
  }

  /** The cells of these keys were deleted: later cells no longer see their names. */
  drop(keys: readonly string[]): void {
    this.files.drop(keys);
  }

  /** An `@module` cell: importable as "./<name>" by later cells; returns its diagnostics. */
  addModule(name: string, source: string, jsx: boolean): CellDiagnostic[] {
    return this.guardingStack(() => {
      const path = this.files.setModule(name, source, jsx);
      this.resolutions.nextProgram();
      this.emitted.delete(path);
      this.program();
      return this.diagnosticsOf(path, Number.MAX_SAFE_INTEGER).map((d) => ({ ...d, fileName: undefined }));
    });
  }

  complete(source: string, position: number): CellCompletion {
    const { path } = this.setPending(source, readPragmas(source).jsx === true);
    return completeAt(this.service, path, source, position, (name) => this.files.ownerOf(name)?.name);
  }

  inspect(source: string, position: number): string | undefined {
    const { path } = this.setPending(source, readPragmas(source).jsx === true);
    return inspectAt(this.service, path, position, this.files.scopePath);
  }

  close(): void {
    this.service.dispose();
  }

  private setPending(source: string, jsx: boolean): ReturnType<CellFiles["setPending"]> {
    this.resolutions.nextProgram();
    return this.files.setPending(source, jsx);
  }

  private program(): ts.Program {
    const program = this.service.getProgram();
    if (!program) throw new Error("the TypeScript language service has no program");
    return program;
  }

  private diagnosticsOf(path: string, length: number): CellDiagnostic[] {
    const found = [...this.service.getSyntacticDiagnostics(path), ...this.service.getSemanticDiagnostics(path)];
    return cellDiagnostics(found, this.files.isCellFile(path) ? path : "", length, this.settings.dir);
  }

  private emit(program: ts.Program, file: ts.SourceFile, transformers: ts.CustomTransformers): string {
    let esm = "";
    program.emit(
      file,
      (name, text) => {
        if (/\.[cm]?jsx?$/.test(name)) esm = text;
      },
      undefined,
      false,
      transformers,
    );
    // The executor runs CommonJS (`exports`, `require`); top-level await stays, inside its async wrapper.
    return ts.transpileModule(esm, {
      fileName: "cell.js",
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: this.options.target,
        esModuleInterop: this.options.esModuleInterop ?? true,
        newLine: ts.NewLineKind.LineFeed,
      },
    }).outputText;
  }

  /** The local source files the cell imports, directly or through each other (not the cells themselves). */
  private localDependencies(program: ts.Program, file: ts.SourceFile): string[] {
    const resolve = this.localModuleResolver(program);
    const found = new Set<string>();
    const visit = (from: ts.SourceFile) => {
      for (const imported of ts.preProcessFile(from.text, true, true).importedFiles) {
        const path = resolve(imported.fileName, from);
        if (!path || found.has(path) || this.files.isCellFile(path)) continue;
        found.add(path);
        const next = program.getSourceFile(path);
        if (next) visit(next);
      }
    };
    visit(file);
    return [...found];
  }

  private localModuleResolver(program: ts.Program): (specifier: string, file: ts.SourceFile) => string | undefined {
    const cache = ts.createModuleResolutionCache(this.settings.dir, (s) => s, this.options);
    const host = this.moduleHost();
    return (specifier, from) => {
      const resolved = ts.resolveModuleName(specifier, from.fileName, this.options, host, cache).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith(".d.ts")) return undefined;
      const path = resolved.resolvedFileName;
      return SOURCE_EXTENSIONS.test(path) && program.getSourceFile(path) ? path : undefined;
    };
  }

  private sideOutputs(program: ts.Program, modules: string[], transformers: ts.CustomTransformers): { path: string; data: string }[] {
    const outputs: { path: string; data: string }[] = [];
    for (const path of modules) {
      const version = this.versionOf(path);
      if (this.emitted.get(path) === version) continue;
      const file = program.getSourceFile(path);
      if (!file) continue;
      outputs.push({ path: path.replace(SOURCE_EXTENSIONS, ".js"), data: this.emit(program, file, transformers) });
      this.emitted.set(path, version);
    }
    return outputs.sort((a, b) => a.path.localeCompare(b.path));
  }

  private versionOf(path: string): string {
    const file = this.files.get(path);
    if (file) return `v${file.version}`;
    if (this.isInstalled(path)) return "installed";
    return String(ts.sys.getModifiedTime?.(path)?.getTime() ?? 0);
  }

  /**
   * Installed packages and TypeScript's libs do not change while the kernel runs; a notebook's own
   * files may, so a local module edited on disk is compiled again.
   */
  private isInstalled(path: string): boolean {
    return path.includes("/node_modules/") || !path.startsWith(this.settings.dir);
  }

  /**
   * A source nested deeply enough overflows the compiler's stack; the service may be left mid-update,
   * so a fresh one takes over (the files, and so the cells that ran, are kept).
   */
  private guardingStack<T>(body: () => T): T {
    try {
      return body();
    } catch (e) {
      if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e;
      this.files.setPending("", false);
      this.service.dispose();
      this.service = this.createService();
      throw new RangeError("the cell is nested too deeply for the TypeScript compiler (maximum call stack size exceeded)");
    }
  }

  /** A path as the compiler sees it → the path on disk (Node's types, the provided packages). */
  private forward(path: string): string {
    const forwarded = this.types.forward(path);
    for (const [name, dir] of Object.entries(this.settings.providedPackages ?? {})) {
      const virtual = join(this.settings.dir, "node_modules", name);
      if (forwarded === virtual || forwarded.startsWith(`${virtual}/`)) return dir + forwarded.slice(virtual.length);
    }
    return forwarded;
  }

  private moduleHost(): ts.ModuleResolutionHost {
    const files = this.files;
    const provided = Object.keys(this.settings.providedPackages ?? {}).length > 0;
    const nodeModules = join(this.settings.dir, "node_modules");
    const types = {
      forward: (path: string) => this.forward(path),
      isVirtualRoot: (path: string) => this.types.isVirtualRoot(path) || (provided && path === nodeModules),
    };
    return {
      fileExists: (path) => files.get(path) !== undefined || ts.sys.fileExists(types.forward(path)),
      readFile: (path) => files.get(path)?.text ?? ts.sys.readFile(types.forward(path)),
      directoryExists: (path) => types.isVirtualRoot(path) || ts.sys.directoryExists(types.forward(path)),
      getDirectories: (path) => (this.types.isVirtualRoot(path) ? ["node"] : ts.sys.getDirectories(types.forward(path))),
      realpath: (path) => (files.get(path) !== undefined ? path : (ts.sys.realpath?.(types.forward(path)) ?? path)),
      getCurrentDirectory: () => this.settings.dir,
      useCaseSensitiveFileNames: true,
    };
  }

  private createService(): ts.LanguageService {
    const files = this.files;
    const modules = this.moduleHost();
    const resolutions = this.resolutions;
    // getModuleResolutionCache is read from the host although the public type does not list it.
    const host: ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache } = {
      ...modules,
      resolveModuleNameLiterals: (...args) => resolutions.resolveModuleNameLiterals(...args),
      resolveTypeReferenceDirectiveReferences: (...args) => resolutions.resolveTypeReferenceDirectiveReferences(...args),
      getModuleResolutionCache: () => resolutions.shared,
      getCurrentDirectory: () => this.settings.dir,
      useCaseSensitiveFileNames: () => true,
      getScriptFileNames: () => files.paths(),
      getScriptVersion: (path) => this.versionOf(path),
      getScriptSnapshot: (path) => {
        const virtual = files.get(path);
        if (virtual) return ts.ScriptSnapshot.fromString(virtual.text);
        const version = this.versionOf(path);
        const cached = this.snapshots.get(path);
        if (cached?.version === version) return cached.snapshot;
        const text = modules.readFile(path);
        if (text === undefined) return undefined;
        const snapshot = ts.ScriptSnapshot.fromString(text);
        this.snapshots.set(path, { version, snapshot });
        return snapshot;
      },
      getCompilationSettings: () => this.options,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      readDirectory: (path, extensions, exclude, include, depth) =>
        ts.sys.readDirectory(this.forward(path), extensions, exclude, include, depth),
    };
    return ts.createLanguageService(host, this.registry);
  }
}

function isProblem(d: CellDiagnostic): boolean {
  return d.category === ts.DiagnosticCategory.Error || d.category === ts.DiagnosticCategory.Warning;
}

/** tslab's name for the last expression's variable, unless the cell uses it. */
function lastExpressionName(source: string, names: TopLevelName[]): string {
  const taken = new Set(names.map((n) => n.name));
  let name = "tsLastExpr";
  for (let i = 0; taken.has(name) || source.includes(name); i++) name = `tsLastExpr${i}`;
  return name;
}
