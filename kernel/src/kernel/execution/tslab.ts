// The one place that reaches into tslab's internals (it has no `exports` map, so deep requires work).
// tslab is pinned exactly in package.json: these paths and shapes are those of tslab 1.0.22.
import { dirname } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import type { Display } from "../../api/display";

export { createConverter, isCompleteCode } from "tslab/dist/converter";
export type { Converter, ConvertResult, Diagnostic } from "tslab/dist/converter";
export { createExecutor } from "tslab/dist/executor";
export type { ConverterSet, Executor } from "tslab/dist/executor";
export { printQuickInfo } from "tslab/dist/inspect";

/** tslab's package directory. */
export const tslabDir = dirname(require.resolve("tslab/package.json"));

/** The TypeScript fork tslab compiles with (the same module instance tslab uses). */
export const typescript: typeof TS = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] }));

export const tslabVersion: string = require("tslab/package.json").version;

/** tslab's display API calls this hook (`jupyter.lastWriteDisplayData`) for every rich output. */
export function setDisplayHook(hook: Display): void {
  require("tslab/dist/jupyter").lastWriteDisplayData = hook;
}
