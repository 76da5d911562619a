import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..");
export const venvPython = join(repoRoot, ".venv", "bin", "python");
export const venvBin = join(repoRoot, ".venv", "bin");
export const kernelMain = join(repoRoot, "kernel", "dist", "kernel", "main.js");
export const cliMain = join(repoRoot, "kernel", "dist", "cli", "main.js");

/** The tests run against what `npm test` set up (scripts/setup.mjs); say so plainly if it is missing. */
export function requireSetup(): void {
  for (const path of [venvPython, kernelMain]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run the tests with \`npm test\`, which sets it up`);
  }
}
