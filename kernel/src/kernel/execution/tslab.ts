// The one place that reaches into tslab's internals (it has no `exports` map, so deep requires work).
// tslab is pinned exactly in package.json: these paths and shapes are those of tslab 1.0.22.
//
// Of tslab we keep the executor (it runs cells: `exports`, top-level await, interrupts) and the display
// module cells import as "tslab". Both would load tslab's converter and its fork of TypeScript 5.0.4
// (executor.js reads pragmas with it, the display module's jupyter.js imports the converter), which
// labtrail replaces with its own compiler (../../compiler). So before either loads, the modules that
// would pull them in are put in Node's module cache with what they are replaced by: metadata.js by
// labtrail's pragma reader, converter.js by a stand-in that says it is gone, and the fork by the
// TypeScript labtrail compiles with (the display module reports its version as `versions.typescript`).
import Module from "node:module";
import { join } from "node:path";
import { tslabDir } from "./tslab-package";
import type { Display } from "../../api/display";
import type { CompiledCell } from "../../compiler/cell-compiler";
import type { CellPragmas } from "../../compiler/pragmas";
import { readPragmas } from "../../compiler/pragmas";
import { ts } from "../../compiler/typescript";

export { tslabDir, tslabVersion } from "./tslab-package";

/** What tslab's executor asks of a converter (tslab/dist/converter.d.ts). */
export interface Converter {
  convert(prevDecl: string, src: string): CompiledCell;
  inspect(prevDecl: string, src: string, position: number): unknown;
  complete(prevDecl: string, src: string, position: number): unknown;
  addModule(name: string, content: string, meta?: CellPragmas): CompiledCell["diagnostics"];
  close(): void;
}

export interface ConverterSet {
  node: Converter;
  browser: Converter;
  close(): void;
}

/** tslab/dist/executor.d.ts, the part labtrail uses. */
export interface Executor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
  locals: Record<string, unknown>;
  close(): void;
}

interface Console {
  log(message?: unknown, ...rest: unknown[]): void;
  error(message?: unknown, ...rest: unknown[]): void;
}

/** The modules replaced before tslab loads, by the paths tslab's own requires resolve to. */
export const replacedModules = {
  converter: join(tslabDir, "dist", "converter.js"),
  metadata: join(tslabDir, "dist", "metadata.js"),
  typescriptFork: require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] }),
};

function preload(path: string, exports: unknown): void {
  if (require.cache[path]) return;
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = exports;
  require.cache[path] = module;
}

function replaceTslabCompiler(): void {
  preload(replacedModules.metadata, { getCodeMetadata: readPragmas });
  const gone = () => {
    throw new Error("tslab's converter is replaced by labtrail's cell compiler");
  };
  preload(replacedModules.converter, {
    createConverter: gone,
    isCompleteCode: gone,
    esModuleToCommonJSModule: gone,
    keepNamesInImport: gone,
  });
  preload(replacedModules.typescriptFork, ts);
}

replaceTslabCompiler();

export const createExecutor: (rootDir: string, converters: ConverterSet, console: Console) => Executor =
  require("tslab/dist/executor").createExecutor;

/**
 * Routes some of the cells' `require` calls elsewhere: tslab's executor hands cells the `require` it
 * keeps in `globalThis.__tslab__` (read again at every cell), which `route` may answer instead.
 */
export function routeCellRequire(route: (id: string) => { module: unknown } | undefined): void {
  const holder = (globalThis as { __tslab__?: { require: NodeJS.Require } }).__tslab__;
  if (!holder) throw new Error("tslab's executor has not set up the cells' require");
  holder.require = new Proxy(holder.require, {
    apply: (target, thisArg, args: unknown[]) => {
      const routed = args.length === 1 && typeof args[0] === "string" ? route(args[0]) : undefined;
      return routed ? routed.module : Reflect.apply(target, thisArg, args);
    },
  });
}

/** tslab's display API calls this hook (`jupyter.lastWriteDisplayData`) for every rich output. */
export function setDisplayHook(hook: Display): void {
  require("tslab/dist/jupyter").lastWriteDisplayData = hook;
}
