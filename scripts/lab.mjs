#!/usr/bin/env node
// Starts JupyterLab from the project-local .venv on the examples folder (run `npm run setup` first;
// `npm start` does both). Extra arguments go to `jupyter lab` unchanged.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runUnderSupportedNode } from "./node-runtime.mjs";

// On a Node older than 22 this re-runs under the project's Node 24 (scripts/node-runtime.mjs).
await runUnderSupportedNode(import.meta.url);

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const venvBin = join(root, ".venv", "bin");
const jupyter = join(venvBin, "jupyter");

if (!existsSync(jupyter)) {
  process.stderr.write(`error: ${jupyter} not found; run \`npm run setup\` first\n`);
  process.exit(2);
}

const args = ["lab", `--notebook-dir=${join(root, "examples")}`];
// Jupyter refuses to start as root without this; containers commonly run as root.
if (process.getuid?.() === 0 && !process.argv.includes("--allow-root")) args.push("--allow-root");
args.push(...process.argv.slice(2));

// .venv/bin first on PATH, so anything Jupyter starts by name (kernels, terminals) is the venv's.
const env = { ...process.env, PATH: `${venvBin}${delimiter}${process.env.PATH ?? ""}`, VIRTUAL_ENV: join(root, ".venv") };
const child = spawn(jupyter, args, { cwd: root, env, stdio: "inherit" });

// Ctrl-C reaches Jupyter directly (same process group); forward what a supervisor sends to us alone.
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
process.on("SIGINT", () => {}); // let Jupyter handle it (it asks for confirmation) and exit with it
child.on("error", (err) => {
  process.stderr.write(`error: could not start ${jupyter}: ${err.message}\n`);
  process.exit(2);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
