#!/usr/bin/env node
// `npm run bench`: plain tslab's own kernel and the labtrail kernel, side by side in one run, then the
// labtrail CLI on a generated 10,000-cell notebook; one table of every figure.
//
// Both kernels are started through kernelspecs in a private JUPYTER_PATH and driven by jupyter_client
// (test/bench/bench_driver.py, the test driver plus ops that time requests inside the client). Kernel
// sessions are interleaved in ABBA order (tslab, labtrail, labtrail, tslab, …) so that drift of the
// machine falls on both alike; every figure is a median. A third kind of session, the labtrail kernel
// with run records on (LABTRAIL_NOTEBOOK set, cell ids sent), joins the rotation for the recording row.
// Then parts with the labtrail kernel or CLI alone or against other tools:
//   - model calls: a local OpenAI-compatible server (test/bench/model-server.mjs, a fixed 4 KB answer);
//     one kernel records --calls distinct `ask()` calls live, then fresh kernels in replay mode (server
//     stopped) answer them from the recordings; each call is timed inside the cell;
//   - a generated 20-cell notebook run end to end by `labtrail reproduce --mode replay` and by papermill
//     on plain tslab (papermill is installed into .venv on first use), alternated ABBA, wall times;
//   - `labtrail lint` and `labtrail export` of a 10,000-cell notebook made by the test fixtures'
//     generateNotebook (test/bench/fixture-generator.mjs), whole-process wall times; export against
//     `jupyter nbconvert --to markdown` from .venv, lint against a bare Node process that only reads and
//     parses the notebook (a floor, for information); all four alternated ABBA.
// Prints a Markdown table and writes it to docs/benchmarks.md. This is a measurement, not a test:
// nothing here fails on a slow figure.
//
// Usage: node test/bench/run.mjs [--reps N] [--calls N] [--replay-sessions N] [--runs N] [--cli-runs N]
//                                [--types shared|own] [--header-mode off|warn|default]
//                                [--only PART[,PART…]] [--no-write]
//   --reps N       kernel starts per kernel (default 12)
//   --calls N      distinct model calls recorded, then replayed in each replay session (default 50)
//   --replay-sessions N  fresh kernels that replay the calls (default 3)
//   --runs N       end-to-end notebook runs per tool, labtrail reproduce and papermill (default 8)
//   --cli-runs N   runs of each command on the 10,000-cell notebook: lint, export, nbconvert, the
//                  parse floor (default 10)
//   --types shared both kernels compile against the same @types/node, linked into the notebook's
//                  folder (default: compares the kernels, not their type declarations)
//   --types own    a bare notebook folder: each kernel uses the Node types it falls back to
//                  (tslab's nested @types/node, labtrail's own), as a user without a project gets
//   --header-mode  labtrail's header check (LABTRAIL_HEADER_MODE). Default off: the bench cells have no
//                  header, and in warn mode labtrail adds a notice to each (an output tslab never sends);
//                  `default` leaves it to labtrail's own default
//   --only PARTS   run only these parts, comma-separated: kernels (the ABBA kernel sessions: start, cells,
//                  RSS, recording), calls, reproduce, lint, export. Implies --no-write: the doc always
//                  holds a full run. Default: every part
//   --no-write     print only; leave docs/benchmarks.md alone
// A short run while developing: --reps 2 --calls 10 --replay-sessions 1 --runs 2 --cli-runs 2 --no-write
// (or one part alone, e.g. --only lint,export --cli-runs 3).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem, tmpdir, release, platform } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { CONTENT_BYTES, startModelServer } from "./model-server.mjs";
import { loadGenerateNotebook } from "./fixture-generator.mjs";
import { runUnderSupportedNode } from "../../scripts/node-runtime.mjs";

// On a Node older than 22 this re-runs under the project's Node 24 (scripts/node-runtime.mjs).
await runUnderSupportedNode(import.meta.url);

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const venvPython = join(root, ".venv", "bin", "python");
const kernelMain = join(root, "kernel", "dist", "kernel", "main.js");
const cliMain = join(root, "kernel", "dist", "cli", "main.js");
const papermillBin = join(root, ".venv", "bin", "papermill");
const jupyterBin = join(root, ".venv", "bin", "jupyter");
const pythonConstraints = join(root, "scripts", "python-constraints.txt");
const driverScript = join(root, "test", "bench", "bench_driver.py");
const docFile = join(root, "docs", "benchmarks.md");
// Resolve tslab and @types/node as the labtrail kernel resolves them: the same tslab for both kernels.
const kernelRequire = createRequire(join(root, "kernel", "package.json"));
const tslabDir = dirname(kernelRequire.resolve("tslab/package.json"));
const tslabBin = join(tslabDir, "bin", "tslab");
const nodeTypesDir = dirname(kernelRequire.resolve("@types/node/package.json"));

// ---- options ------------------------------------------------------------------------------------
const args = process.argv.slice(2);
const DEFAULT_REPS = 12;
const DEFAULT_CALLS = 50;
const DEFAULT_REPLAY_SESSIONS = 3;
const DEFAULT_RUNS = 8;
const DEFAULT_CLI_RUNS = 10;
const PARTS = ["kernels", "lab", "calls", "evaluate", "reproduce", "lint", "export"];
const EVALUATE_ITEMS = 1000;
const EVALUATE_GOAL_MS = 0.2;
const DEFAULT_LAB_REPS = 6;
const options = {
  reps: DEFAULT_REPS,
  calls: DEFAULT_CALLS,
  replaySessions: DEFAULT_REPLAY_SESSIONS,
  runs: DEFAULT_RUNS,
  cliRuns: DEFAULT_CLI_RUNS,
  labReps: DEFAULT_LAB_REPS,
  parts: new Set(PARTS),
  types: "shared",
  headerMode: "off",
  write: true,
  deno: true,
};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--reps") options.reps = Number(args[++i]);
  else if (a === "--calls") options.calls = Number(args[++i]);
  else if (a === "--replay-sessions") options.replaySessions = Number(args[++i]);
  else if (a === "--runs") options.runs = Number(args[++i]);
  else if (a === "--cli-runs") options.cliRuns = Number(args[++i]);
  else if (a === "--lab-reps") options.labReps = Number(args[++i]);
  else if (a === "--only") {
    const names = String(args[++i] ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    const unknownPart = names.find((n) => !PARTS.includes(n));
    if (!names.length || unknownPart) usage(`--only takes parts from ${PARTS.join(", ")}${unknownPart ? ` (not ${unknownPart})` : ""}`);
    options.parts = new Set(names);
    options.write = false;
  } else if (a === "--types") options.types = args[++i];
  else if (a === "--header-mode") options.headerMode = args[++i];
  else if (a === "--no-write") options.write = false;
  else if (a === "--no-deno") options.deno = false;
  else usage(`unknown argument ${a}`);
}
const partOn = (part) => options.parts.has(part);
for (const flag of ["reps", "calls", "replaySessions", "runs", "cliRuns", "labReps"]) {
  if (!Number.isInteger(options[flag]) || options[flag] < 1)
    usage(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} wants a positive integer`);
}
if (!["shared", "own"].includes(options.types)) usage("--types is shared or own");
if (!["off", "warn", "default"].includes(options.headerMode)) usage("--header-mode is off, warn or default");
function usage(message) {
  process.stderr.write(
    `bench: ${message}\nusage: node test/bench/run.mjs [--reps N] [--calls N] [--replay-sessions N] [--runs N] [--cli-runs N] [--lab-reps N] ` +
      `[--types shared|own] [--header-mode off|warn|default] [--only ${PARTS.join(",")}] [--no-deno] [--no-write]\n`,
  );
  process.exit(2);
}
for (const path of [venvPython, kernelMain, cliMain, tslabBin]) {
  if (!existsSync(path)) {
    process.stderr.write(`bench: ${path} is missing: run \`npm run bench\`, which sets it up first\n`);
    process.exit(1);
  }
}

// ---- workload -----------------------------------------------------------------------------------
const WARMUP_CELLS = 5;
const STEADY_CELLS = 30;
const DECL_CELLS = 100;

/** 200 lines of ordinary typed code (interfaces, generics-free functions, loops, reduce); ends in a number. */
function longCell() {
  const lines = [];
  for (let k = 0; k < 20; k++) {
    lines.push(
      `interface Rec${k} { id: number; name: string; tags: string[] }`,
      `function make${k}(n: number): Rec${k}[] {`,
      `  const out: Rec${k}[] = [];`,
      `  for (let i = 0; i < n; i++) {`,
      `    out.push({ id: i, name: "r${k}-" + i, tags: i % 2 ? ["odd"] : ["even"] });`,
      `  }`,
      `  return out;`,
      `}`,
      `const rows${k} = make${k}(10);`,
      `const total${k} = rows${k}.reduce((s: number, r: Rec${k}) => s + r.id + r.tags.length, 0);`,
    );
  }
  lines[lines.length - 1] = `rows19.reduce((s: number, r: Rec19) => s + r.id + r.tags.length, total0)`;
  return lines.join("\n");
}
const LONG_CELL = longCell();
if (LONG_CELL.split("\n").length !== 200) throw new Error("the long cell must have 200 lines");

/** The notebooks labtrail records into (LABTRAIL_NOTEBOOK, relative to the kernel's folder). */
const RECORDING_NOTEBOOK = "steady.ipynb";
const REPLAY_NOTEBOOK = "calls.ipynb";
const REPRODUCE_NOTEBOOK = "reproduce.ipynb";

/** Times each of `calls` distinct `ask()` calls inside the cell; prints the ms as one JSON array. */
function askCell(calls) {
  return [
    "const times: number[] = [];",
    `for (let i = 0; i < ${calls}; i++) {`,
    "  const t0 = performance.now();",
    '  const answer = await ask("p" + i);',
    "  times.push(performance.now() - t0);",
    `  if (answer.length !== ${CONTENT_BYTES}) throw new Error("answer " + i + " has " + answer.length + " characters");`,
    "}",
    "console.log(JSON.stringify(times));",
  ].join("\n");
}

const REPRODUCE_CODE_CELLS = 20;

/**
 * The end-to-end notebook: a Markdown title, then 20 documented code cells (a header with Tested and
 * Found), alternately declaring data and computing over it; deterministic, no model calls, small outputs.
 */
function reproduceNotebook() {
  const code = [];
  const header = (tested, found) => `// Tested: ${tested}\n// Found: ${found}\n`;
  code.push(
    header("the helpers compile", "yes") +
      [
        "interface Row { id: number; group: string; value: number }",
        "function makeRows(n: number, step: number): Row[] {",
        '  return Array.from({ length: n }, (_, i) => ({ id: i, group: "g" + (i % 5), value: (i * step) % 97 }));',
        "}",
        "function totals(rows: Row[]): Map<string, number> {",
        "  const out = new Map<string, number>();",
        "  for (const r of rows) out.set(r.group, (out.get(r.group) ?? 0) + r.value);",
        "  return out;",
        "}",
      ].join("\n"),
  );
  for (let k = 1; k <= (REPRODUCE_CODE_CELLS - 2) / 2; k++) {
    code.push(`${header(`batch ${k} has 200 rows`, "200 rows")}const rows${k} = makeRows(200, ${k + 6});\nrows${k}.length`);
    code.push(
      header(`batch ${k} sums per group`, "five groups") +
        [
          `const sum${k} = rows${k}.reduce((s, r) => s + r.value, 0);`,
          `const byGroup${k} = totals(rows${k});`,
          `const top${k} = [...byGroup${k}.entries()].sort((a, b) => b[1] - a[1])[0];`,
          `console.log("batch ${k}:", sum${k}, top${k}[0]);`,
          `({ sum: sum${k}, groups: byGroup${k}.size, top: top${k}[0] })`,
        ].join("\n"),
    );
  }
  const sums = Array.from({ length: (REPRODUCE_CODE_CELLS - 2) / 2 }, (_, i) => `sum${i + 1}`).join(", ");
  code.push(`${header("the batches add up", "one total")}[${sums}].reduce((a, b) => a + b, 0)`);
  if (code.length !== REPRODUCE_CODE_CELLS) throw new Error(`the notebook must have ${REPRODUCE_CODE_CELLS} code cells`);
  const lines = (text) => text.split("\n").map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line));
  const cells = [
    {
      cell_type: "markdown",
      id: "title",
      metadata: {},
      source: lines("# Bench notebook\n\nProblem: how long a whole notebook takes to rerun."),
    },
    ...code.map((source, i) => ({
      cell_type: "code",
      id: `cell-${String(i + 1).padStart(2, "0")}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: lines(source),
    })),
  ];
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: KERNELS.tslab.spec, display_name: KERNELS.tslab.display, language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells,
  };
}

// ---- one driver per kernel session --------------------------------------------------------------
class Driver {
  constructor(env) {
    this.proc = spawn(venvPython, [driverScript], { env: { ...env, PYTHONUNBUFFERED: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    this.waiting = [];
    this.stderr = "";
    let buffered = "";
    this.proc.stdout.setEncoding("utf8").on("data", (chunk) => {
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.proc.stderr.setEncoding("utf8").on("data", (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.proc.on("exit", (code) => {
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ ok: false, error: `driver exited (${code})` }));
    });
  }
  call(op, params = {}) {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const answer = JSON.parse(line);
        if (answer.ok) resolve(answer.result);
        else reject(new Error(`${op}: ${answer.error}${this.stderr ? `\n${this.stderr}` : ""}`));
      });
      this.proc.stdin.write(`${JSON.stringify({ op, ...params })}\n`);
    });
  }
  async close() {
    if (this.proc.exitCode === null) {
      await this.call("stop").catch(() => undefined);
      this.proc.stdin.end();
      await new Promise((r) => (this.proc.exitCode === null ? this.proc.on("exit", r) : r()));
    }
  }
}

const CLK_TCK = 100; // USER_HZ: /proc reports CPU times in it on Linux

/** User + system CPU seconds the process has used so far (all its threads). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for pid ${pid}`);
  return kb / 1024;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Quantile q of xs, linear between the closest ranks. */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
};

// ---- Deno's kernel, for information ---------------------------------------------------------------
// `deno jupyter --kernel`, from the npm registry's deno package (its binary comes in the platform's
// optional dependency), installed on the bench's first run into .labtrail-setup/bench-tools/deno/ and
// kept there. Where it does not install, the bench says so and goes on without it.
const DENO = "deno@2.9.6";
function ensureDeno() {
  const dir = join(root, ".labtrail-setup", "bench-tools", "deno");
  const binary = join(dir, "node_modules", "deno", "deno");
  const wanted = DENO.split("@")[1];
  const installed = () =>
    existsSync(binary) && spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout?.startsWith(`deno ${wanted} `);
  if (!installed()) {
    process.stdout.write(`bench: installing ${DENO} into ${dir} for the Deno rows (first run only)…\n`);
    mkdirSync(dir, { recursive: true });
    const npm = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", dir, DENO], {
      encoding: "utf8",
    });
    if (npm.status !== 0 || !installed()) {
      process.stdout.write(
        `bench: ${DENO} did not install, so the Deno rows are left out: ${(npm.stderr || "").trim().split("\n").at(-1)}\n`,
      );
      return null;
    }
  }
  return { binary, version: spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] };
}
const deno = options.deno && partOn("kernels") ? ensureDeno() : null;

// ---- setup: kernelspecs and a notebook folder ---------------------------------------------------
const work = mkdtempSync(join(tmpdir(), "labtrail-bench-"));
const jupyterPath = join(work, "jupyter");
const KERNELS = {
  tslab: {
    spec: "bench-tslab",
    // tslab's own CLI (bin/tslab → dist/main.js main(), command `kernel --config-path <file>`), run by
    // the same node as labtrail; this is what `tslab install` registers, with the binary spelled out.
    argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
    display: "TypeScript (plain tslab, bench)",
  },
  labtrail: {
    spec: "bench-labtrail",
    argv: [process.execPath, kernelMain, "{connection_file}"],
    display: "TypeScript (labtrail, bench)",
  },
  ...(deno
    ? { deno: { spec: "bench-deno", argv: [deno.binary, "jupyter", "--kernel", "--conn", "{connection_file}"], display: "Deno (bench)" } }
    : {}),
};
for (const k of Object.values(KERNELS)) {
  const dir = join(jupyterPath, "kernels", k.spec);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "kernel.json"),
    JSON.stringify({ argv: k.argv, display_name: k.display, language: "typescript", interrupt_mode: "signal" }, null, 2),
  );
}
const notebookDir = join(work, "notebook");
mkdirSync(notebookDir);
if (options.types === "shared") {
  mkdirSync(join(notebookDir, "node_modules", "@types"), { recursive: true });
  symlinkSync(nodeTypesDir, join(notebookDir, "node_modules", "@types", "node"), "dir");
}
const driverEnv = { ...process.env, JUPYTER_PATH: jupyterPath };
// Nothing from the caller's shell decides what the kernels record, replay or call.
for (const name of [
  "LABTRAIL_HEADER_MODE",
  "LABTRAIL_NOTEBOOK",
  "LABTRAIL_REPLAY_MODE",
  "JPY_SESSION_NAME",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
]) {
  delete driverEnv[name];
}
if (options.headerMode !== "default") driverEnv.LABTRAIL_HEADER_MODE = options.headerMode;
const logDir = join(work, "logs");
mkdirSync(logDir);
// Ctrl-C reaches the drivers too (same process group); each shuts its kernel down on the way out.
process.on("SIGINT", () => {
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
});

// ---- one kernel session -------------------------------------------------------------------------
/**
 * The kinds of session in the rotation. `recording`: the labtrail kernel that knows its notebook, so it
 * writes a run record per cell; its cells carry cell ids, as JupyterLab sends them. It runs the session
 * up to the steady cells only (the rows it is compared on).
 */
const SESSIONS = {
  tslab: { kernel: "tslab" },
  labtrail: { kernel: "labtrail" },
  recording: { kernel: "labtrail", env: { LABTRAIL_NOTEBOOK: RECORDING_NOTEBOOK }, cellIds: true, upTo: "steady" },
  // Deno keeps its cache (DENO_DIR) in the bench's work folder, and asks nothing of the network.
  deno: { kernel: "deno", env: { DENO_DIR: join(work, "deno-cache"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } },
};
let sessionNo = 0;

/** Runs `body(driver, pid)` in a fresh kernel session; the kernel log's tail joins any error. */
async function withKernel(label, kernel, env, body) {
  const driver = new Driver({ ...driverEnv, ...env });
  const log = join(logDir, `${String(++sessionNo).padStart(2, "0")}-${label}.log`);
  try {
    const started = await driver.call("timed_start", { kernel_name: KERNELS[kernel].spec, cwd: notebookDir, log_file: log });
    return await body(driver, started);
  } catch (e) {
    const tail = existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(-20).join("\n") : "";
    throw new Error(`${label} session ${sessionNo}: ${e.message}${tail ? `\nkernel log (${log}):\n${tail}` : ""}`);
  } finally {
    await driver.close();
  }
}

async function session(name, { full = true } = {}) {
  const kind = SESSIONS[name];
  return withKernel(name, kind.kernel, kind.env, async (driver, { pid, ready_ms }) => {
    const r = { ready: ready_ms, rssReady: rssMiB(pid) };
    const exec = async (codes, ids) => (await driver.call("timed_execute", { codes, ...(kind.cellIds ? { cell_ids: ids } : {}) })).ms;
    [r.first] = await exec(["1+1"], ["first"]);
    r.readyFirst = r.ready + r.first;
    r.rssFirst = rssMiB(pid);
    if (!full) return r;
    await exec(
      Array.from({ length: WARMUP_CELLS }, (_, i) => `2+${i}`),
      Array.from({ length: WARMUP_CELLS }, (_, i) => `warm-${i}`),
    );
    r.steady = median(
      await exec(
        Array.from({ length: STEADY_CELLS }, (_, i) => `1+${i + 2}`),
        Array.from({ length: STEADY_CELLS }, (_, i) => `steady-${i}`),
      ),
    );
    if (kind.upTo === "steady") return r;
    [r.longFirst, r.longRerun] = await exec([LONG_CELL, LONG_CELL]);
    r.decl = median(await exec(Array.from({ length: DECL_CELLS }, (_, i) => `const v${i} = ${i};`)));
    r.rssAfter = rssMiB(pid);
    r.cpu = cpuSeconds(pid);
    return r;
  });
}

/** Lines in the recording notebook's runs.jsonl: proof that the recording sessions recorded. */
function recordedRuns() {
  const file = join(notebookDir, RECORDING_NOTEBOOK.replace(/\.ipynb$/, ".labtrail"), "runs.jsonl");
  return existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "").length
    : 0;
}

// ---- model calls: live and replayed ---------------------------------------------------------------
/** One labtrail session that runs the ask cell: the ms of each call, as timed inside the cell. */
function askSession(label, env) {
  return withKernel(label, "labtrail", { ...env, LABTRAIL_NOTEBOOK: REPLAY_NOTEBOOK }, async (driver) => {
    await driver.call("timed_execute", { codes: ["1+1"], cell_ids: ["first"] });
    const { stdout } = await driver.call("timed_execute", { codes: [askCell(options.calls)], cell_ids: ["calls"], capture: true });
    const times = JSON.parse(stdout[0].trim().split("\n").pop());
    if (!Array.isArray(times) || times.length !== options.calls) throw new Error(`the ask cell printed ${stdout[0].slice(0, 200)}`);
    return times;
  });
}

async function modelCalls() {
  const server = await startModelServer();
  const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-bench" };
  let live;
  try {
    live = await askSession("calls-record", { ...env, LABTRAIL_REPLAY_MODE: "record" });
  } finally {
    await server.close();
  }
  const recordings = join(notebookDir, REPLAY_NOTEBOOK.replace(/\.ipynb$/, ".labtrail"), "recordings");
  const files = existsSync(recordings) ? readdirSync(recordings).filter((f) => f.endsWith(".json")).length : 0;
  if (server.requests !== options.calls || files !== options.calls) {
    throw new Error(`recording ${options.calls} calls made ${server.requests} requests and ${files} recordings`);
  }
  process.stdout.write(`bench: ${options.calls} live calls recorded, median ${median(live).toFixed(2)} ms\n`);
  // The server is gone: in replay mode a call without a recording fails instead of reaching it.
  const replayed = [];
  for (let i = 0; i < options.replaySessions; i++) {
    const times = await askSession("calls-replay", { ...env, LABTRAIL_REPLAY_MODE: "replay" });
    replayed.push(times);
    process.stdout.write(
      `bench: replay ${i + 1}/${options.replaySessions}: ${options.calls} replayed calls, median ${median(times).toFixed(2)} ms, ` +
        `p90 ${quantile(times, 0.9).toFixed(2)} ms, first ${times[0].toFixed(2)} ms\n`,
    );
  }
  return { live, replayed };
}

// ---- a whole notebook: labtrail reproduce vs papermill on plain tslab ---------------------------------
const PAPERMILL = "papermill==2.6.0";

/** papermill in the project's venv, installed on first use (with the venv's version lock). */
function ensurePapermill() {
  const versions = () =>
    spawnSync(venvPython, ["-c", "import papermill, nbclient; print(papermill.__version__, nbclient.__version__)"], { encoding: "utf8" });
  let check = versions();
  if (check.status !== 0 || !existsSync(papermillBin)) {
    process.stdout.write(`bench: installing ${PAPERMILL} into .venv (once, for the reproduce row)\n`);
    const pipArgs = ["-m", "pip", "install", "--disable-pip-version-check", PAPERMILL];
    // As scripts/setup.mjs does: the lock applies when the venv runs the Python it was made with.
    const lockedFor = existsSync(pythonConstraints) ? /^# python: (\S+)/m.exec(readFileSync(pythonConstraints, "utf8"))?.[1] : undefined;
    const venvVersion = spawnSync(venvPython, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
      encoding: "utf8",
    }).stdout.trim();
    if (lockedFor && lockedFor === venvVersion) pipArgs.push("-c", pythonConstraints);
    const install = spawnSync(venvPython, pipArgs, {
      encoding: "utf8",
      env: { ...process.env, PIP_USER: "0" },
      maxBuffer: 64 * 1024 * 1024,
    });
    check = versions();
    if (check.status !== 0 || !existsSync(papermillBin)) {
      const tail = `${install.stdout ?? ""}${install.stderr ?? ""}`.trimEnd().split("\n").slice(-5).join("\n");
      return { why: `${PAPERMILL} could not be installed into .venv: ${tail || install.error?.message || "no output"}` };
    }
  }
  const [papermill, nbclient] = check.stdout.trim().split(" ");
  return { papermill, nbclient };
}

/** Runs a command to its end (in the notebook folder unless `cwd`); wall ms from just before the spawn to its exit. */
function timedRun(command, commandArgs, env, cwd = notebookDir) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, commandArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

async function reproduceVsPapermill() {
  const installed = ensurePapermill();
  if (installed.why) {
    process.stdout.write(`bench: ${installed.why}\nbench: skipping the reproduce row\n`);
    return { why: installed.why };
  }
  writeFileSync(join(notebookDir, REPRODUCE_NOTEBOOK), `${JSON.stringify(reproduceNotebook(), null, 1)}\n`);
  const tools = {
    // Both write the executed notebook, as papermill always does.
    labtrail: (mode) => [
      process.execPath,
      [cliMain, "reproduce", REPRODUCE_NOTEBOOK, "--mode", mode, "--json", "--output", "out-labtrail.ipynb"],
    ],
    tslab: () => [papermillBin, [REPRODUCE_NOTEBOOK, "out-papermill.ipynb", "-k", KERNELS.tslab.spec, "--no-progress-bar"]],
  };
  const run = async (name, mode = "replay") => {
    const [command, commandArgs] = tools[name](mode);
    const r = await timedRun(command, commandArgs, driverEnv);
    // The first (record) run has nothing to compare with: every cell is new, and reproduce exits 1.
    const expectedCode = name === "labtrail" && mode === "record" ? 1 : 0;
    if (r.code !== expectedCode)
      throw new Error(
        `${name === "labtrail" ? "labtrail reproduce" : "papermill"} exited with ${r.code}:\n${r.stderr || r.stdout.slice(-2000)}`,
      );
    if (name === "labtrail") {
      const report = JSON.parse(r.stdout);
      const verdicts = report.cells.map((c) => c.verdict);
      const expected = mode === "replay" ? "reproduced" : "new";
      if (verdicts.length !== REPRODUCE_CODE_CELLS || verdicts.some((v) => v !== expected)) {
        throw new Error(`labtrail reproduce --mode ${mode} gave the verdicts ${verdicts.join(", ")}`);
      }
    }
    return r.ms / 1000;
  };
  // Untimed: warms the page cache and Python's bytecode, and records the run that replay compares with.
  process.stdout.write("bench: warm-up notebook run of each tool (not counted; labtrail's in record mode)\n");
  await run("tslab");
  await run("labtrail", "record");
  // For context: each tool's own start-up, without a kernel (`--help`), median of three.
  const startup = {};
  for (const [name, command, commandArgs] of [
    ["tslab", papermillBin, ["--help"]],
    ["labtrail", process.execPath, [cliMain, "reproduce", "--help"]],
  ]) {
    const times = [];
    for (let i = 0; i < 3; i++) times.push((await timedRun(command, commandArgs, driverEnv)).ms / 1000);
    startup[name] = median(times);
  }
  const wall = { tslab: [], labtrail: [] };
  for (let rep = 0; rep < options.runs; rep++) {
    const order = rep % 2 === 0 ? ["tslab", "labtrail"] : ["labtrail", "tslab"];
    for (const name of order) wall[name].push(await run(name));
    process.stdout.write(
      `bench: notebook ${rep + 1}/${options.runs}: papermill ${wall.tslab.at(-1).toFixed(2)} s, labtrail reproduce ${wall.labtrail.at(-1).toFixed(2)} s\n`,
    );
  }
  return { ...installed, wall, startup };
}

// ---- the CLI on a 10,000-cell notebook: lint and export ---------------------------------------------
const BIG_CELLS = 10_000;
const BIG_NOTEBOOK = "big.ipynb";
/** Goals for the CLI rows, on the median whole-process wall time (see the doc for why these). */
const LINT_GOAL_S = 2;
const EXPORT_GOAL_S = 2;

/**
 * `labtrail lint` and `labtrail export` of a generated 10,000-cell notebook, each against a comparison
 * measured in the same rotation: export against `jupyter nbconvert --to markdown` of the same notebook
 * from .venv; lint against a bare `node` that only reads and parses the notebook (the floor any tool pays).
 * Every figure is the wall time of one whole process, spawn to exit, in ABBA order after an untimed run of
 * each. The drafts go to a folder of their own, each run's removed first, so every run writes a new draft:
 * none is ever beside the notebook, and none is an earlier (or edited) draft that export would skip or
 * refuse.
 */
async function cliOnBigNotebook() {
  const generateNotebook = loadGenerateNotebook(root);
  const bigDir = join(work, "big");
  const outDir = join(work, "big-out");
  mkdirSync(bigDir);
  mkdirSync(join(outDir, "labtrail"), { recursive: true });
  mkdirSync(join(outDir, "nbconvert"), { recursive: true });
  const text = generateNotebook(BIG_CELLS);
  writeFileSync(join(bigDir, BIG_NOTEBOOK), text);
  const draft = join(outDir, "labtrail", "big.design.md");
  const converted = join(outDir, "nbconvert", "big.md");
  // The CLI's own environment: nothing from the kernels' settings (LABTRAIL_HEADER_MODE) applies to it.
  const env = { ...driverEnv };
  delete env.LABTRAIL_HEADER_MODE;
  const nbconvertVersion = spawnSync(venvPython, ["-c", "import nbconvert; print(nbconvert.__version__)"], { encoding: "utf8" });
  const haveNbconvert = nbconvertVersion.status === 0 && existsSync(jupyterBin);
  const tools = {
    lint: {
      part: "lint",
      argv: [process.execPath, [cliMain, "lint", BIG_NOTEBOOK]],
      // Exit 1: the generated notebook has headerless cells that ran; the last cell must be among those reported.
      check: (r) => r.code === 1 && r.stdout.includes(`${BIG_NOTEBOOK}:cell ${BIG_CELLS}:`),
    },
    floor: {
      part: "lint",
      argv: [
        process.execPath,
        [
          "-e",
          `const n = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(BIG_NOTEBOOK)}, "utf8")); process.stdout.write(String(n.cells.length))`,
        ],
      ],
      check: (r) => r.code === 0 && r.stdout === String(BIG_CELLS),
    },
    export: {
      part: "export",
      before: () => rmSync(draft, { force: true }),
      argv: [process.execPath, [cliMain, "export", BIG_NOTEBOOK, "-o", draft]],
      check: (r) => r.code === 0 && existsSync(draft) && readFileSync(draft, "utf8").length > 0,
    },
    nbconvert: {
      part: "export",
      available: haveNbconvert,
      before: () => rmSync(converted, { force: true }),
      argv: [jupyterBin, ["nbconvert", "--to", "markdown", BIG_NOTEBOOK, "--output-dir", dirname(converted), "--log-level", "WARN"]],
      check: (r) => r.code === 0 && existsSync(converted),
    },
  };
  const active = Object.keys(tools).filter((name) => partOn(tools[name].part) && tools[name].available !== false);
  const run = async (name) => {
    const tool = tools[name];
    tool.before?.();
    const [command, commandArgs] = tool.argv;
    const r = await timedRun(command, commandArgs, env, bigDir);
    if (!tool.check(r))
      throw new Error(`${name} on the ${BIG_CELLS}-cell notebook exited with ${r.code}:\n${r.stderr || r.stdout.slice(-2000)}`);
    return r.ms / 1000;
  };
  process.stdout.write(
    `bench: ${BIG_CELLS}-cell notebook (${(text.length / 2 ** 20).toFixed(1)} MiB); warm-up run of ${active.join(", ")} (not counted)\n`,
  );
  for (const name of active) await run(name);
  const wall = Object.fromEntries(active.map((name) => [name, []]));
  for (let rep = 0; rep < options.cliRuns; rep++) {
    const order = rep % 2 === 0 ? active : [...active].reverse();
    for (const name of order) wall[name].push(await run(name));
    process.stdout.write(
      `bench: ${BIG_CELLS} cells ${rep + 1}/${options.cliRuns}: ${active.map((name) => `${name} ${wall[name].at(-1).toFixed(2)} s`).join(", ")}\n`,
    );
  }
  return {
    wall,
    notebookMiB: text.length / 2 ** 20,
    draftKiB: existsSync(draft) ? readFileSync(draft).length / 1024 : undefined,
    convertedMiB: existsSync(converted) ? readFileSync(converted).length / 2 ** 20 : undefined,
    nbconvert: haveNbconvert ? nbconvertVersion.stdout.trim() : undefined,
    nbconvertWhy: haveNbconvert
      ? undefined
      : `nbconvert is not in .venv (${(nbconvertVersion.stderr || "").trim().split("\n").pop() || "no jupyter"})`,
  };
}

// ---- run ----------------------------------------------------------------------------------------
// Other work on the machine skews every figure: measure how much CPU time it took during the run,
// as all CPU time spent (/proc/stat) less that of this process and its reaped children (drivers, kernels).
function machineBusySeconds() {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}
function ownSeconds() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}
/** The ABBA kernel sessions (tslab, labtrail, recording): the rows of the per-session samples. */
async function kernelSessions() {
  // Untimed: fills the page cache (tslab's TypeScript is ~10 MB of JS) and warms the Python side; the
  // recording warm-up also leaves a previous record for each of its cells, so that every timed
  // recording session judges its cells against one (as a rerun in JupyterLab does).
  process.stdout.write("bench: warm-up start of each kernel (not counted)\n");
  await session("tslab", { full: false });
  await session("labtrail", { full: false });
  await session("recording");
  if (deno) await session("deno", { full: false });
  const recordsBefore = recordedRuns();
  for (let rep = 0; rep < options.reps; rep++) {
    // ABBA: tslab, labtrail, recording (, deno), then the reverse, …
    const kinds = deno ? ["tslab", "labtrail", "recording", "deno"] : ["tslab", "labtrail", "recording"];
    const order = rep % 2 === 0 ? kinds : [...kinds].reverse();
    for (const name of order) {
      const r = await session(name);
      samples[name].push(r);
      process.stdout.write(
        name === "recording"
          ? `bench: ${rep + 1}/${options.reps} recording ready ${r.ready.toFixed(0)} ms, 1+1 ${r.first.toFixed(1)} ms, steady ${r.steady.toFixed(1)} ms\n`
          : `bench: ${rep + 1}/${options.reps} ${name.padEnd(9)} ready ${r.ready.toFixed(0)} ms, 1+1 ${r.first.toFixed(1)} ms, ` +
              `steady ${r.steady.toFixed(1)} ms, 200 lines ${r.longFirst.toFixed(0)}/${r.longRerun.toFixed(0)} ms, ` +
              `decl ${r.decl.toFixed(1)} ms, RSS ${r.rssReady.toFixed(0)}→${r.rssAfter.toFixed(0)} MiB, CPU ${r.cpu.toFixed(1)} s\n`,
      );
    }
  }
  const perSession = 1 + WARMUP_CELLS + STEADY_CELLS;
  if (recordedRuns() - recordsBefore !== options.reps * perSession) {
    throw new Error(`the recording sessions wrote ${recordedRuns() - recordsBefore} run records, not ${options.reps * perSession}`);
  }
}

// ---- JupyterLab: a new notebook's kernel, labtrail against ipykernel -------------------------------
// test/bench/lab-readiness.spec.ts in a real JupyterLab (the project's .venv, the UI tests' server
// settings) in headless Chromium: from \`notebook:create-new\` until the kernel is connected, has answered
// kernel_info and is idle, for the labtrail kernel and ipykernel alternately, after one untimed round.
const LAB_GOAL_MS = 1200;
const LOG_GOAL_MS = 1000;
async function labReadiness() {
  const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(chromium)) return { why: `not run: no Chromium at ${chromium} (set CHROMIUM_PATH)` };
  const out = join(work, "lab-readiness.json");
  const logOut = join(work, "experiment-log.json");
  process.stdout.write(`bench: JupyterLab, ${options.labReps} new notebooks per kernel (labtrail, ipykernel)…\n`);
  const child = spawn(
    process.execPath,
    [
      join(root, "node_modules", "@playwright", "test", "cli.js"),
      "test",
      "-c",
      join(root, "test", "bench", "lab-readiness.config.ts"),
      "--reporter",
      "line",
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        CHROMIUM_PATH: chromium,
        LABTRAIL_UI_PORT: String(43000 + Math.floor(Math.random() * 900)),
        LABTRAIL_BENCH_LAB_OUT: out,
        LABTRAIL_BENCH_LOG_OUT: logOut,
        LABTRAIL_BENCH_LAB_REPS: String(options.labReps),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.on("close", resolve));
  if (code !== 0 || !existsSync(out) || !existsSync(logOut)) {
    throw new Error(`the JupyterLab readiness run failed (exit ${code}):\n${output.split("\n").slice(-30).join("\n")}`);
  }
  const samples = JSON.parse(readFileSync(out, "utf8"));
  return {
    ipykernel: samples.python3.map((s) => s.total),
    labtrail: samples.labtrail.map((s) => s.total),
    experimentLog: JSON.parse(readFileSync(logOut, "utf8")),
  };
}

const busyBefore = machineBusySeconds();
const ownBefore = ownSeconds();
const started = Date.now();
const samples = { tslab: [], labtrail: [], recording: [], deno: [] };
let calls;
let lab;
let evaluation;
let reproduce;
let cli;
try {
  if (partOn("kernels")) await kernelSessions();
  if (partOn("lab")) lab = await labReadiness();
  if (partOn("calls")) calls = await modelCalls();
  if (partOn("evaluate")) {
    // evaluate-bench.mjs: the helper's own overhead per item in process, then a whole cell in fresh kernels.
    process.stdout.write(`bench: evaluate() over ${EVALUATE_ITEMS} replayed items, in process and in fresh kernels…\n`);
    const { evaluateBench, evaluateKernelBench } = await import("./evaluate-bench.mjs");
    evaluation = {
      inProcess: await evaluateBench({ items: EVALUATE_ITEMS }),
      kernel: await evaluateKernelBench({ items: EVALUATE_ITEMS }),
    };
  }
  if (partOn("reproduce")) reproduce = await reproduceVsPapermill();
  if (partOn("lint") || partOn("export")) cli = await cliOnBigNotebook();
} catch (e) {
  process.stderr.write(`bench failed: ${e.message}\n(work files kept in ${work})\n`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
const elapsed = (Date.now() - started) / 1000;
const otherCpu = Math.max(0, machineBusySeconds() - busyBefore - (ownSeconds() - ownBefore));
const otherShare = otherCpu / elapsed; // in cores
if (otherShare > 0.1) {
  process.stdout.write(
    `bench: other processes kept ${(otherShare * 100).toFixed(0)}% of a core busy during the run: the figures are skewed\n`,
  );
}

// ---- report -------------------------------------------------------------------------------------
// Every row: a label, the baseline and labtrail figures, their ratio, a goal and the result (or "—" where a
// row has no baseline, or no goal), and the spread of the per-session (per-run) values. The baseline is
// plain tslab's kernel for the kernel rows, papermill on plain tslab for the notebook rerun and
// `jupyter nbconvert --to markdown` for export; each label that is not against plain tslab's kernel says so.
const METRICS = [
  { key: "ready", label: "start → kernel_info reply", unit: "ms", goal: 1.05 },
  {
    key: "readyFirst",
    label: "start → first trivial cell's reply (`1+1` sent as soon as kernel_info is answered: what a headless run waits for)",
    unit: "ms",
    goal: 1.05,
  },
  { key: "steady", label: `steady distinct trivial cell (\`1+<i>\`, median of ${STEADY_CELLS})`, unit: "ms", goal: 1.05 },
  {
    key: "steady",
    from: "recording",
    label: `steady trivial cell, recording on (labtrail writes a run record per cell; median of ${STEADY_CELLS})`,
    unit: "ms",
    goal: 1.05,
  },
  { key: "longFirst", label: "200-line cell, first run", unit: "ms", goal: 1.05 },
  { key: "longRerun", label: "200-line cell, rerun", unit: "ms", goal: 1.05 },
  { key: "decl", label: `declaring cells (\`const v<i> = <i>;\`), median per cell of ${DECL_CELLS}`, unit: "ms", goal: 1.05 },
  { key: "rssReady", label: "RSS at ready", unit: "MiB", goal: 1.1 },
  { key: "rssFirst", label: "RSS after the first cell", unit: "MiB", goal: 1.1 },
  { key: "rssAfter", label: `RSS after the ${DECL_CELLS} declaring cells`, unit: "MiB", goal: 1.1 },
  { key: "cpu", label: "kernel CPU time, whole session (for information)", unit: "s", goal: null },
];
const fmt = (v, unit) =>
  unit === "MiB"
    ? `${v.toFixed(0)} MiB`
    : unit === "s"
      ? `${v.toFixed(2)} s`
      : v >= 100
        ? `${v.toFixed(0)} ms`
        : v >= 1
          ? `${v.toFixed(1)} ms`
          : `${v.toFixed(2)} ms`;
const fmtRange = (xs, unit) => `${fmt(Math.min(...xs), unit)} – ${fmt(Math.max(...xs), unit)}`;
/** The median, then the p90 in brackets. */
const fmtMedianP90 = (xs, unit) => `${fmt(median(xs), unit)} (${fmt(quantile(xs, 0.9), unit)})`;
// Judged on the ratio as printed (two decimals), so that a row never reads "1.05× … over".
const ratioPasses = (ratio, goal) => Math.round(ratio * 100) / 100 <= goal;
const NONE = "—";
const verdict = (pass) => (pass ? "pass" : "**over**");

const rows = [];

/** A row of labtrail's alone, against an absolute goal: under `goal` (in `unit`) at the median. */
function goalRow({ label, values, unit, goal, shown = fmt(median(values), unit), rangeL = fmtRange(values, unit) }) {
  const pass = median(values) < goal;
  return {
    label,
    base: NONE,
    labtrail: shown,
    ratio: NONE,
    goal: `< ${goal} ${unit}`,
    result: verdict(pass),
    pass,
    judged: true,
    rangeT: NONE,
    rangeL,
  };
}

/** A row for information, without a goal. */
function infoRow({ label, base = NONE, labtrail = NONE, ratio = NONE, result = NONE, rangeT = NONE, rangeL = NONE }) {
  return { label, base, labtrail, ratio, goal: NONE, result, pass: true, judged: false, rangeT, rangeL };
}
if (partOn("kernels")) {
  for (const m of METRICS) {
    const xsT = samples.tslab.map((s) => s[m.key]);
    const xsL = samples[m.from ?? "labtrail"].map((s) => s[m.key]);
    const ratio = median(xsL) / median(xsT);
    const pass = m.goal === null || ratioPasses(ratio, m.goal);
    rows.push({
      label: m.label,
      base: fmt(median(xsT), m.unit),
      labtrail: fmt(median(xsL), m.unit),
      ratio: `${ratio.toFixed(2)}×`,
      goal: m.goal === null ? NONE : `≤ ${m.goal.toFixed(2)}×`,
      result: m.goal === null ? NONE : verdict(pass),
      pass,
      judged: m.goal !== null,
      rangeT: fmtRange(xsT, m.unit),
      rangeL: fmtRange(xsL, m.unit),
    });
  }
}

// evaluate(): no baseline (nothing else evaluates inside a notebook); the per-item overhead has a goal.
if (evaluation) {
  const perItem = evaluation.inProcess.figures.overheadPerItemMs;
  rows.push(
    goalRow({
      label: `evaluate()'s own overhead per item over replayed calls, ${EVALUATE_ITEMS} items (median of ${perItem.length} rounds of evaluate() against a bare pool of the same calls)`,
      values: perItem,
      unit: "ms",
      goal: EVALUATE_GOAL_MS,
    }),
  );
  const runs = evaluation.kernel.figures.runMs;
  rows.push(
    infoRow({
      label: `a ${EVALUATE_ITEMS}-item evaluate() cell replayed in a fresh kernel, end to end (median of ${runs.length} kernels, each verdict reproduced; for information)`,
      labtrail: fmt(median(runs), "ms"),
      rangeL: fmtRange(runs, "ms"),
    }),
  );
}

// JupyterLab: labtrail's kernel against ipykernel, both through the browser; the goal is absolute.
if (lab) {
  const label = `new notebook's kernel ready in JupyterLab (\`notebook:create-new\` → connected, kernel_info answered, idle); baseline ipykernel (median of ${options.labReps}; the ratio for information)`;
  if (lab.why) {
    rows.push(infoRow({ label, base: "n/a", result: lab.why }));
  } else {
    const m = median(lab.labtrail);
    rows.push({
      label,
      base: fmt(median(lab.ipykernel), "ms"),
      labtrail: fmt(m, "ms"),
      ratio: `${(m / median(lab.ipykernel)).toFixed(2)}×`,
      goal: `< ${fmt(LAB_GOAL_MS, "ms")}`,
      result: verdict(m < LAB_GOAL_MS),
      pass: m < LAB_GOAL_MS,
      judged: true,
      rangeT: fmtRange(lab.ipykernel, "ms"),
      rangeL: fmtRange(lab.labtrail, "ms"),
    });
    rows.push(
      goalRow({
        label: `the Experiment Log opening on 10,000 run records (20 cells; its notebook open; from the command until every cell shows its runs; median of ${lab.experimentLog.length})`,
        values: lab.experimentLog,
        unit: "ms",
        goal: LOG_GOAL_MS,
      }),
    );
  }
}

// Model calls: only labtrail has them. Each call is timed inside the cell (performance.now() around the
// await); the replayed figure pools the calls of every replay session.
const REPLAY_GOAL_MS = 2;
if (calls) {
  const replayedAll = calls.replayed.flat();
  rows.push(
    goalRow({
      label: `replayed \`ask()\` call, ${CONTENT_BYTES / 1024} KB answer, fresh kernel in replay mode (median of ${replayedAll.length} calls; p90 in brackets)`,
      values: replayedAll,
      unit: "ms",
      goal: REPLAY_GOAL_MS,
      shown: fmtMedianP90(replayedAll, "ms"),
      rangeL: `${fmtRange(calls.replayed.map(median), "ms")} (session medians)`,
    }),
  );
  rows.push(
    infoRow({
      label: `live \`ask()\` call to the bench's local server, recorded (median of ${calls.live.length} calls; p90 in brackets; for information)`,
      labtrail: fmtMedianP90(calls.live, "ms"),
      rangeL: `${fmtRange(calls.live, "ms")} (calls)`,
    }),
  );
}

// A whole notebook: the baseline is papermill on plain tslab, labtrail's column is `labtrail reproduce`.
if (reproduce) {
  const reproduceLabel = `${REPRODUCE_CODE_CELLS}-code-cell notebook end to end, wall time with kernel start: papermill on tslab vs \`labtrail reproduce --mode replay\` (median of ${options.runs} runs; for information)`;
  if (reproduce.wall) {
    const ratio = median(reproduce.wall.labtrail) / median(reproduce.wall.tslab);
    rows.push(
      infoRow({
        label: reproduceLabel,
        base: fmt(median(reproduce.wall.tslab), "s"),
        labtrail: fmt(median(reproduce.wall.labtrail), "s"),
        ratio: `${ratio.toFixed(2)}×`,
        rangeT: fmtRange(reproduce.wall.tslab, "s"),
        rangeL: fmtRange(reproduce.wall.labtrail, "s"),
      }),
    );
  } else {
    rows.push(infoRow({ label: reproduceLabel, base: "n/a", result: "not run: papermill unavailable" }));
  }
}

// The CLI on the 10,000-cell notebook: whole-process wall times, median with the p90 in brackets.
if (cli?.wall.lint) {
  rows.push(
    goalRow({
      label: `\`labtrail lint\` of a generated ${BIG_CELLS.toLocaleString("en-US")}-cell notebook, whole process (median of ${options.cliRuns} runs; p90 in brackets)`,
      values: cli.wall.lint,
      unit: "s",
      goal: LINT_GOAL_S,
      shown: fmtMedianP90(cli.wall.lint, "s"),
    }),
  );
}
if (cli?.wall.export) {
  const m = median(cli.wall.export);
  const base = cli.wall.nbconvert;
  rows.push({
    label:
      `\`labtrail export\` of the same notebook to a new draft, whole process; baseline \`jupyter nbconvert --to markdown\` of it ` +
      `(median of ${options.cliRuns} runs; p90 in brackets; the ratio for information)`,
    base: base ? fmtMedianP90(base, "s") : "n/a",
    labtrail: fmtMedianP90(cli.wall.export, "s"),
    ratio: base ? `${(m / median(base)).toFixed(2)}×` : NONE,
    goal: `< ${EXPORT_GOAL_S} s`,
    result: verdict(m < EXPORT_GOAL_S),
    pass: m < EXPORT_GOAL_S,
    judged: true,
    rangeT: base ? fmtRange(base, "s") : NONE,
    rangeL: fmtRange(cli.wall.export, "s"),
  });
}

const pythonVersions = spawnSync(
  venvPython,
  ["-c", "import sys, jupyter_client, zmq; print(sys.version.split()[0], jupyter_client.__version__, zmq.__version__)"],
  { encoding: "utf8" },
)
  .stdout.trim()
  .split(" ");
const tsVersion = createRequire(join(tslabDir, "package.json"))("@tslab/typescript-for-tslab/package.json").version;
const cpu = cpus();
const repetitions = [
  partOn("kernels") &&
    `${options.reps} kernel starts per kernel (tslab, labtrail, labtrail recording${deno ? ", Deno" : ""}), ABBA-interleaved, after one untimed warm-up start each`,
  lab && !lab.why && `${options.labReps} new notebooks per kernel in JupyterLab, alternated, after one untimed round`,
  partOn("calls") && `${options.calls} model calls recorded in one kernel, replayed in ${options.replaySessions} fresh ones`,
  evaluation &&
    `evaluate(): ${evaluation.inProcess.figures.rounds} rounds of ${EVALUATE_ITEMS} replayed items in process, then ${evaluation.kernel.figures.sessions} fresh kernels`,
  partOn("reproduce") && `${options.runs} notebook runs per tool, ABBA, after one untimed run each`,
  cli &&
    `${options.cliRuns} runs of each command on the ${BIG_CELLS.toLocaleString("en-US")}-cell notebook, ABBA, after one untimed run each`,
].filter(Boolean);
const recordingCost = () => {
  const on = median(samples.recording.map((s) => s.steady));
  const off = median(samples.labtrail.map((s) => s.steady));
  return `steady trivial cell ${fmt(on, "ms")} with run records vs ${fmt(off, "ms")} without (${(on / off).toFixed(2)}×, labtrail against itself)`;
};
const bigNotebookFact = () =>
  [
    `\`generateNotebook(${BIG_CELLS})\` from test/fixtures/index.ts, ${cli.notebookMiB.toFixed(1)} MiB`,
    cli.draftKiB !== undefined && `labtrail's draft ${cli.draftKiB.toFixed(0)} KiB`,
    cli.convertedMiB !== undefined && `nbconvert ${cli.nbconvert}'s Markdown ${cli.convertedMiB.toFixed(1)} MiB`,
    cli.nbconvertWhy,
    cli.wall.floor &&
      `\`node -e\` that only reads and parses the notebook (the floor under lint and export: Node's start, the read, JSON.parse): ${fmtMedianP90(cli.wall.floor, "s")}, min – max ${fmtRange(cli.wall.floor, "s")}`,
  ]
    .filter(Boolean)
    .join("; ");
const facts = [
  ["date", new Date().toISOString().replace(/\.\d+Z$/, "Z")],
  [
    "machine",
    `${cpu.length} CPUs (${cpu[0]?.model?.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}`,
  ],
  ["Node.js", process.version],
  ["tslab", `${kernelRequire("tslab/package.json").version} (TypeScript ${tsVersion})`],
  ["labtrail", kernelRequire("./package.json").version],
  ["client", `Python ${pythonVersions[0]}, jupyter_client ${pythonVersions[1]}, pyzmq ${pythonVersions[2]}`],
  [
    "Node types",
    options.types === "shared"
      ? `shared: @types/node ${kernelRequire("@types/node/package.json").version} linked into the notebook folder for both`
      : "own: bare notebook folder, each kernel's fallback @types/node",
  ],
  [
    "other load",
    `${otherCpu.toFixed(1)} CPU-s used by processes outside the bench during the run (${(otherShare * 100).toFixed(0)}% of one core)${otherShare > 0.1 ? ": the figures are skewed" : ""}`,
  ],
  ["labtrail header check", options.headerMode === "default" ? "labtrail's default mode" : `LABTRAIL_HEADER_MODE=${options.headerMode}`],
  ["repetitions", `${repetitions.join("; ")}; the whole run took ${elapsed.toFixed(0)} s`],
  partOn("kernels") && ["recording's own cost", recordingCost()],
  reproduce && [
    "notebook runs",
    reproduce.wall
      ? `papermill ${reproduce.papermill} (nbclient ${reproduce.nbclient}) with \`-k ${KERNELS.tslab.spec}\`; labtrail reproduce from kernel/dist; ` +
        `the tools' own start-up without a kernel (\`--help\`, median of 3): papermill ${fmt(reproduce.startup.tslab, "s")}, labtrail ${fmt(reproduce.startup.labtrail, "s")}`
      : reproduce.why,
  ],
  cli && [`${BIG_CELLS.toLocaleString("en-US")}-cell notebook`, bigNotebookFact()],
].filter(Boolean);

const table = [
  "| metric | baseline | labtrail | ratio (labtrail/baseline) | goal | result |",
  "|---|---:|---:|---:|---:|---|",
  ...rows.map((r) => `| ${r.label} | ${r.base} | ${r.labtrail} | ${r.ratio} | ${r.goal} | ${r.result} |`),
].join("\n");
// Deno's kernel, for information: the same sessions, against the same plain-tslab sessions.
const DENO_METRICS = METRICS.filter((m) => !m.from && m.key !== "cpu");
const denoTable =
  samples.deno.length > 0
    ? [
        "| metric | plain tslab | Deno | ratio (Deno/tslab) |",
        "|---|---:|---:|---:|",
        ...DENO_METRICS.map((m) => {
          const t = median(samples.tslab.map((s) => s[m.key]));
          const d = median(samples.deno.map((s) => s[m.key]));
          return `| ${m.label} | ${fmt(t, m.unit)} | ${fmt(d, m.unit)} | ${(d / t).toFixed(2)}× |`;
        }),
      ].join("\n")
    : null;
const denoSection = denoTable
  ? `### Deno's kernel, for information\n\n${deno.version}, \`deno jupyter --kernel\`, in the same rotation (${options.reps} sessions). Deno type-checks nothing in a cell (it strips the types and runs the code), so its latencies are not the same work as tslab's or labtrail's.\n\n${denoTable}`
  : partOn("kernels") && options.deno
    ? "### Deno's kernel, for information\n\nLeft out of this run: deno did not install."
    : null;

const spread = [
  "| metric | baseline (min – max) | labtrail (min – max) |",
  "|---|---:|---:|",
  ...rows.map((r) => `| ${r.label} | ${r.rangeT} | ${r.rangeL} |`),
].join("\n");
const factList = facts.map(([k, v]) => `- ${k}: ${v}`).join("\n");
const judged = rows.filter((r) => r.judged);
const over = judged.filter((r) => !r.pass);
const goalsLine =
  `Goals met: ${judged.length - over.length} of the ${judged.length} rows with a goal` +
  (over.length
    ? `; over: ${over.map((r) => `${r.label.replace(/ \(.*$/, "")} (${r.ratio === NONE ? r.labtrail : r.ratio})`).join("; ")}.`
    : ".");

process.stdout.write(`\n${table}\n\n${goalsLine}\n\n${factList}\n${denoSection ? `\n${denoSection}\n` : ""}`);

if (options.write) {
  const minutes = Math.max(1, Math.round(elapsed / 60));
  const doc = `# Benchmarks: labtrail vs plain tslab

labtrail compiles cells with its own compiler (TypeScript 6.0's public API), runs them with tslab's
executor, and replaces tslab's Jupyter protocol layer. Goals:

- the kernel: within **1.05×** of plain tslab 1.0.22 (TypeScript 5.0) on every latency and **1.1×** on
  memory, with run records on as well as off;
- the Experiment Log open on 10,000 run records in under **${fmt(LOG_GOAL_MS, "ms")}**;
- a new notebook's kernel ready in JupyterLab under **${fmt(LAB_GOAL_MS, "ms")}** after \`notebook:create-new\`
  (ipykernel alongside, for scale);
- \`evaluate()\`'s own overhead under **${EVALUATE_GOAL_MS} ms** per item over replayed calls, at ${EVALUATE_ITEMS.toLocaleString("en-US")} items;
- a model call replayed from its recording: a median under **${REPLAY_GOAL_MS} ms** for a 4 KB answer;
- \`labtrail lint\` and \`labtrail export\` of a generated ${BIG_CELLS.toLocaleString("en-US")}-cell notebook: a median whole-process wall
  time, Node's start included, under **${LINT_GOAL_S} s** for lint and **${EXPORT_GOAL_S} s** for export (why these, below);
- for information, without a goal: a whole notebook rerun by \`labtrail reproduce\` against papermill on plain
  tslab, export against \`jupyter nbconvert --to markdown\` of the same notebook, as ratios, and Deno's
  kernel beside plain tslab's.

## Latest run

Every figure is a median (p90 in brackets where marked); the spread is at the end. *Baseline* is plain
tslab's kernel for the kernel rows, papermill on plain tslab for the notebook rerun and
\`jupyter nbconvert --to markdown\` for export, all measured in the same run; the ratio is labtrail over it.

${table}

${goalsLine}

${factList}
${denoSection ? `\n${denoSection}\n` : ""}
## How it is measured

\`npm run bench\` (setup, then \`node test/bench/run.mjs\`) runs every part below, in this order, in one run.

### The kernel against plain tslab

Both kernels start the way Jupyter starts them, from kernelspecs written into a private \`JUPYTER_PATH\`:

- **tslab**: tslab's own CLI, \`node node_modules/tslab/bin/tslab kernel --config-path {connection_file}\`;
- **labtrail**: \`node kernel/dist/kernel/main.js {connection_file}\`.

Both run under the same Node.js, in the same notebook folder, and the client is the same:
\`jupyter_client\` from the project's venv (\`test/bench/bench_driver.py\`, the test driver plus ops that time
requests inside the Python client with a zmq poller). Every latency is a client round trip: from just
before the request is sent until its reply **and** its \`status: idle\` have arrived; each cell waits for the
previous one. Start → ready runs from just before the kernel process is launched to the first
\`kernel_info_reply\`. RSS is \`VmRSS\` from \`/proc/<pid>/status\` of the kernel process (labtrail's zmq worker
thread is in that process); kernel CPU time (user + system, all threads, from \`/proc/<pid>/stat\`) is shown
for information only.

labtrail answers \`kernel_info\` before it loads TypeScript, and warms up (loads the compiler and builds its
first program, the helpers' import) once it has had no request for a second, or at the first request that
needs the compiler. The session sends \`1+1\` the moment \`kernel_info\` is answered, so labtrail's warm-up
falls inside that first cell; tslab builds its compiler before it answers \`kernel_info\`. The row *start →
first trivial cell's reply* (the two added up) is what a headless run (\`reproduce\`, papermill) waits for
and is compared on; *start → kernel_info reply* is what JupyterLab waits for (see its own part below).
Likewise *RSS after the first cell* is the memory of a kernel that has compiled something.

One kernel session runs, in order: start; \`1+1\`; ${WARMUP_CELLS} untimed warm-up cells; ${STEADY_CELLS} distinct trivial cells
(\`1+2\`, \`1+3\`, …); a 200-line cell of typed code (interfaces, functions, loops; no output but its final
number) run twice; ${DECL_CELLS} declaring cells \`const v<i> = <i>;\`; then RSS and CPU time are read and the kernel is
shut down.
Sessions alternate between the kernels in ABBA order (tslab, labtrail, labtrail, tslab, …; with the
recording sessions below, tslab, labtrail, recording, recording, labtrail, tslab, …) so that drift of
the machine falls on all alike, after one untimed start of each kernel that warms the page cache. Each
figure is the median over the sessions (for the steady and declaring cells, of each session's median).
Every cell must answer \`ok\`; cells print nothing beyond their last value, because plain tslab hangs on
output bursts over 1,000 lines and never sends \`execute_result\` (it prints the value on stdout instead).

By default both kernels type-check against the same \`@types/node\` (labtrail's, linked into the notebook
folder), so the comparison is of the kernels, not of their Node declarations. \`--types own\` uses a bare
folder instead: tslab then falls back to the @types/node nested under it and labtrail to its own.

The session cells carry no cell header, so labtrail's header check runs with \`LABTRAIL_HEADER_MODE=off\`: in
its default \`warn\` mode every headerless cell gets a one-line notice on stderr, an output message tslab
never sends (about 1–2 ms per trivial cell here). \`--header-mode warn\` or \`--header-mode default\` measures
that instead. The same setting applies to every labtrail kernel below (not to the CLI runs at the end).

### A new notebook in JupyterLab, against ipykernel

\`test/bench/lab-readiness.spec.ts\`, a Galata spec run by the bench (not by \`npm test\`): a real JupyterLab from the
project's \`.venv\` (the UI tests' server settings) in headless Chromium. In the page, \`notebook:create-new\`
with the kernel's name, then the time until the session exists, the kernel is \`connected\`, has answered
\`kernel_info\` and is \`idle\`; then the notebook is closed and its kernel shut down. labtrail's kernel
(the \`.venv\` kernelspec setup installs) and ipykernel alternate, ${options.labReps} notebooks each (\`--lab-reps N\`),
after one untimed round. The goal is absolute; ipykernel is there for scale. In the same browser, the
Experiment Log is opened on notebooks of 20 cells with 10,000 run records between them (a new notebook
each time, after one untimed one): from its command until every cell's entry shows its run count.

### evaluate()

\`test/bench/evaluate-bench.mjs\`: ${EVALUATE_ITEMS.toLocaleString("en-US")} items recorded once from the bench's model server, then, in
alternating rounds in one process (the kernel's modules, no Jupyter), the same replayed calls made by a bare
pool of 4 workers and by \`evaluate()\` (concurrency 4, one score): the overhead per item is the difference
over the items, the median over the rounds. Then the whole cell in fresh labtrail kernels in replay mode
(progress display, results table, run record, verdict — each must be *reproduced*), for information.

### Run records on

The row *steady trivial cell, recording on* comes from a third kind of session in the same rotation
(tslab, labtrail, labtrail recording, labtrail recording, labtrail, tslab, …): the labtrail kernel started
with \`LABTRAIL_NOTEBOOK=${RECORDING_NOTEBOOK}\`, so that it writes one JSON line per executed cell to
\`${RECORDING_NOTEBOOK.replace(/\.ipynb$/, ".labtrail")}/runs.jsonl\` and judges each cell against that cell's previous record; every execute request
carries \`metadata.cellId\`, as JupyterLab sends it. It runs the session up to the ${STEADY_CELLS} steady cells, and its
median is set against the steady figure of the same tslab sessions as the row above it. Its untimed
warm-up session leaves a record for every cell id, so each timed cell is judged against a previous run,
as on a rerun; the bench checks that every timed session appended its records. The goal is 1.05×, as for
every latency; the facts under the table also give recording's own cost, labtrail with records against
labtrail without.

### Model calls: replayed and live

No network: the bench starts a local OpenAI-compatible server (\`test/bench/model-server.mjs\`), which
answers every \`POST /v1/chat/completions\` with the same non-streamed \`chat.completion\`: ${CONTENT_BYTES} characters of
content, and usage. One labtrail kernel, with \`OPENAI_BASE_URL\` pointing at it, \`OPENAI_API_KEY=sk-bench\`,
\`LABTRAIL_NOTEBOOK=${REPLAY_NOTEBOOK}\` and \`LABTRAIL_REPLAY_MODE=record\`, runs a cell that awaits \`ask("p0")\` …
\`ask("p${options.calls - 1}")\` (${options.calls} distinct requests), timing each call with \`performance.now()\` inside the cell
and checking the answer's length. That is the *live* row: the SDK's request to the local server, plus
writing the recording to \`${REPLAY_NOTEBOOK.replace(/\.ipynb$/, ".labtrail")}/recordings/<hash16>.json\`; it is for context (a real endpoint takes
hundreds of milliseconds). Then the server is stopped, and ${options.replaySessions} fresh kernels with \`LABTRAIL_REPLAY_MODE=replay\`
run the same cell: each answer comes from its recording (in replay mode a miss fails the cell, so every
call is known to be replayed), the first use of each recording in the kernel, so one file read and parse
per call. The *replayed* row is the median of all those calls, the p90 in brackets; goal: a median under
${REPLAY_GOAL_MS} ms. Neither row has a baseline: plain tslab has no model calls.

### A whole notebook: \`labtrail reproduce\` against papermill

A generated notebook of a Markdown title and ${REPRODUCE_CODE_CELLS} code cells, each with a \`// Tested:\` and \`// Found:\` header:
one declaring an interface and two functions, then cells that alternately declare 200 rows and compute
sums per group (with one line of console output), and a last one that adds the sums up; no model calls,
so the two tools run the same code. From the notebook's folder, wall time from the tool's spawn to its
exit:

- **labtrail**: \`node kernel/dist/cli/main.js reproduce ${REPRODUCE_NOTEBOOK} --mode replay --json --output out-labtrail.ipynb\`;
- **baseline**: \`papermill ${REPRODUCE_NOTEBOOK} out-papermill.ipynb -k ${KERNELS.tslab.spec} --no-progress-bar\`, the plain-tslab kernelspec
  of the private \`JUPYTER_PATH\`. papermill (${PAPERMILL}) is not part of the setup: the bench installs it
  into the project's \`.venv\` on its first run, with the venv's version lock.

Both figures include the tool's own start-up, the kernel's start and shutdown, and writing the executed
notebook: \`labtrail reproduce\` starts its fresh kernel, as papermill does. One untimed run of each comes
first (labtrail's in record mode, so that the replay runs have a previous run to compare with), then
${options.runs} runs each in ABBA order; every timed \`reproduce\` must report all ${REPRODUCE_CODE_CELLS} cells *reproduced*, and papermill
must exit 0. The ratio is for information, without a goal. Much of the difference is the tools' own
start-up, which the facts under the table give (\`--help\`, without a kernel).

### Lint and export of a ${BIG_CELLS.toLocaleString("en-US")}-cell notebook

The notebook is \`generateNotebook(${BIG_CELLS})\`, the generator of the test fixtures (\`test/fixtures/index.ts\`, the
one \`test/cli/lint.test.ts\` lints; \`test/bench/fixture-generator.mjs\` transpiles that file in memory, so
the bench uses the same generator rather than a copy): ${BIG_CELLS.toLocaleString("en-US")} code cells of 20 lines each, every
other one with a three-line \`Tested\` / \`Expect\` / \`Found\` header, two in three with a one-line output;
about ${cli.notebookMiB.toFixed(0)} MiB of JSON. It is written to a folder of its own, and each command runs there as its own process,
wall time from its spawn to its exit (Node's or Python's start, reading and parsing the notebook, the work,
writing the result):

- **lint**: \`node kernel/dist/cli/main.js lint ${BIG_NOTEBOOK}\`, text output read through a pipe; it must exit 1 (the
  generated notebook has headerless cells that ran) and report cell ${BIG_CELLS.toLocaleString("en-US")};
- **export**: \`node kernel/dist/cli/main.js export ${BIG_NOTEBOOK} -o <other folder>/big.design.md\`. The draft goes
  to a folder apart from the notebook, and the previous run's draft is removed first, so every run writes
  a new draft: never one beside the notebook, and never an existing draft that export would leave alone
  (*up to date*) or refuse to replace (edited since its export, without \`--force\`). It must exit 0;
- **export's baseline**: \`.venv/bin/jupyter nbconvert --to markdown ${BIG_NOTEBOOK} --output-dir <another folder>\`
  (nbconvert ${cli.nbconvert ?? "from .venv"}, which JupyterLab brings). It is the nearest tool that turns a notebook into a Markdown
  document, not the same work: it renders every cell's code and output in full (${cli.convertedMiB?.toFixed(0) ?? "?"} MiB here), where
  labtrail's draft is built from the cells' headers (${cli.draftKiB?.toFixed(0) ?? "?"} KiB). The ratio is for information;
- **lint's floor**: lint has no counterpart among the tools at hand (nothing else reads \`// Tested:\` headers),
  so its figure stands alone against its goal. For scale the bench also times \`node -e\` that only reads and
  parses the same notebook: the part of any Node tool's time that is not its own work (in the facts).

After one untimed run of each, the four run ${options.cliRuns} times each in ABBA order (lint, floor, export, nbconvert;
then the reverse; …). The rows give the median and the p90 of the runs; the spread, their min and max.

The goals, under **${LINT_GOAL_S} s** for lint and **${EXPORT_GOAL_S} s** for export at ${BIG_CELLS.toLocaleString("en-US")} cells on this 2-core
machine, Node's start included: lint runs in pre-commit hooks and CI, export by hand or from JupyterLab,
and someone waits for either; about two seconds is where a hook starts to feel slow. ${BIG_CELLS.toLocaleString("en-US")} cells is far beyond a real notebook (large ones have hundreds), so meeting it
here leaves real notebooks at a small fraction of a second, and time that grew worse than linearly with the
cell count would break it. The floor shows how much of the figure is fixed cost (Node's start, the read and
the parse of the file) rather than labtrail's work.

### Load on the machine

The bench also reports how much CPU other processes used while it ran (all CPU time in \`/proc/stat\` less
that of the bench and its children) and warns when that is over 10% of a core: such a run is skewed.

### Running it

Run it with \`npm run bench\` (about ${minutes} minute${minutes === 1 ? "" : "s"} on a 2-core machine); \`node test/bench/run.mjs
--reps N\` changes the number of kernel starts (default ${DEFAULT_REPS}), \`--calls N\` the recorded and replayed calls (default
${DEFAULT_CALLS}), \`--replay-sessions N\` the replaying kernels (default ${DEFAULT_REPLAY_SESSIONS}), \`--runs N\` the notebook runs per tool (default
${DEFAULT_RUNS}), \`--cli-runs N\` the runs of each command on the ${BIG_CELLS.toLocaleString("en-US")}-cell notebook (default ${DEFAULT_CLI_RUNS}), \`--lab-reps N\` the new notebooks
per kernel in JupyterLab (default ${DEFAULT_LAB_REPS}), \`--no-deno\` leaves Deno out; \`--no-write\` prints
without rewriting this file (a short run while developing: \`--reps 2 --calls 10 --replay-sessions 1 --runs 2
--cli-runs 2 --lab-reps 2 --no-write\`). \`--only ${PARTS.join(",")}\` (any of them, comma-separated) runs only those parts and
never writes this file, which always holds a full run.

The figures are noisy on a small machine: single sessions of one kernel differ by 20–30% even when it is
otherwise idle (see the spread below), and the medians of two runs by several percent. Compare the
two columns of one run, not runs with each other, and read a ratio a few percent either side of its goal
as noise rather than a verdict. A row passes when its ratio, as printed (two decimals), is within the goal.

## Spread of the latest run

Min and max of the per-session values (for the model calls, as marked; for the notebook and the CLI
rows, of the runs):

${spread}
`;
  mkdirSync(dirname(docFile), { recursive: true });
  writeFileSync(docFile, doc);
  process.stdout.write(`wrote ${relative(root, docFile)}\n`);
}
