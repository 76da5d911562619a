// What every notebook starts with, run once before its first cell: the model helpers, imported from
// this package by absolute path so that tslab's compiler gives later cells their types and its
// executor the very module instances the kernel bound (see api/runtime.ts).
import { join, sep } from "node:path";

export const PRELUDE_NAME = "<labtrail helpers>";

export function helperPrelude(): string {
  const api = join(__dirname, "..", "..", "api", "index").split(sep).join("/");
  return `import { ask, chat, structured, embed, record, evaluate, exact, includes, matches, numericWithin, judge, labtrail$magic } from ${JSON.stringify(api)};\n`;
}
