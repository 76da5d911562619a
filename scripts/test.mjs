#!/usr/bin/env node
// `npm test` after setup: Biome's format and lint check, the type check of every test project (ts-jest
// and Playwright only transpile), jest (unit, CLI and kernel-protocol tests), then the UI tests (Galata
// in headless Chromium against a real JupyterLab from .venv). All always run; the exit code is non-zero
// if any failed. Arguments go to jest; `--ui-only` / `--no-ui` pick one half (and its type checks).
//
// Env: CHROMIUM_PATH  the Chromium (or Chrome) binary; default: the first of chromium,
//                     chromium-browser, google-chrome on PATH.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runUnderSupportedNode, smokeNodeBinary } from "./node-runtime.mjs";

const SMOKE_NODE_VERSION = "22.23.5";

// On a Node older than 22 this re-runs under the project's Node 24 (scripts/node-runtime.mjs).
await runUnderSupportedNode(import.meta.url);

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const uiOnly = args.includes("--ui-only");
const noUi = args.includes("--no-ui");
const jestArgs = args.filter((a) => a !== "--ui-only" && a !== "--no-ui");

function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runNode(script, scriptArgs, env = process.env) {
  const result = spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: "inherit", env });
  return result.status ?? 1;
}

/** The test projects tsc checks: the jest half's, then the UI half's. */
const JEST_PROJECTS = ["test/tsconfig.json", "test/labextension/tsconfig.json"];
const UI_PROJECTS = ["test/ui/tsconfig.json"];

/** Type-checks each project (every one runs); true when all pass, naming the ones that failed. */
function typeCheck(projects) {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const failures = projects.filter((project) => runNode(tsc, ["-p", project, "--noEmit"]) !== 0);
  if (failures.length > 0) process.stderr.write(`type check failed: ${failures.join(", ")}\n`);
  return failures.length === 0;
}

let failed = false;
if (!uiOnly) {
  // Format and lint first: cheap, and a style slip should not wait for the slow suites to show.
  failed = runNode(join(root, "node_modules", "@biomejs", "biome", "bin", "biome"), ["check", "."]) !== 0;
}
// Types next, before the suites that only transpile them.
const projects = [...(uiOnly ? [] : JEST_PROJECTS), ...(noUi ? [] : UI_PROJECTS)];
failed = !typeCheck(projects) || failed;
if (!uiOnly) {
  failed = runNode(join(root, "node_modules", "jest", "bin", "jest.js"), jestArgs) !== 0 || failed;
}

if (!noUi) {
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(
      "UI tests: no Chromium found. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH;\n" +
        "`npm test -- --no-ui` runs the other tests only.\n",
    );
    failed = true;
  } else {
    const port = await freePort();
    process.stdout.write(`UI tests: JupyterLab on 127.0.0.1:${port}, ${chromium}\n`);
    const playwright = join(root, "node_modules", "@playwright", "test", "cli.js");
    const env = { ...process.env, CHROMIUM_PATH: chromium, LABTRAIL_UI_PORT: String(port) };
    failed = runNode(playwright, ["test", "-c", join(root, "test", "ui", "playwright.config.ts")], env) !== 0 || failed;
  }
}
// The kernel on the other LTS line: Node 22 (installed into .labtrail-setup/node/ on first use) runs
// the CLI, which starts the kernel with the same Node, over a copy of an example replayed offline.
if (!uiOnly) failed = !smokeRunOnNode22() || failed;

function smokeRunOnNode22() {
  let node22;
  try {
    node22 = smokeNodeBinary(SMOKE_NODE_VERSION, (line) => process.stdout.write(`smoke: ${line}\n`));
  } catch (error) {
    process.stderr.write(`smoke run on Node 22 failed: ${error.message}\n`);
    return false;
  }
  const dir = join(root, "test-results", "node22-smoke");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, "examples", "summaries.ipynb"), join(dir, "summaries.ipynb"));
  cpSync(join(root, "examples", "summaries.labtrail"), join(dir, "summaries.labtrail"), { recursive: true });
  const cli = join(root, "kernel", "dist", "cli", "main.js");
  const env = { ...process.env, LABTRAIL_REPLAY_MODE: "replay", OPENAI_API_KEY: "" };
  const result = spawnSync(node22, [cli, "reproduce", join(dir, "summaries.ipynb"), "--json"], { cwd: root, encoding: "utf8", env });
  const verdicts = (() => {
    try {
      return JSON.parse(result.stdout).cells.map((cell) => cell.verdict);
    } catch {
      return null;
    }
  })();
  const ok = result.status === 0 && verdicts !== null && verdicts.length > 0 && verdicts.every((v) => v === "reproduced");
  process.stdout.write(`smoke: the kernel on Node ${SMOKE_NODE_VERSION}: ${ok ? `${verdicts.length} cells reproduced` : "FAILED"}\n`);
  if (!ok) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}\n`);
  return ok;
}

process.exit(failed ? 1 : 0);
