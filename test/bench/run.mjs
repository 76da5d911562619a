#!/usr/bin/env node
// `npm run bench`: plain tslab's own kernel and the labtrail kernel, side by side in one run.
//
// Both kernels are started through kernelspecs in a private JUPYTER_PATH and driven by jupyter_client
// (test/bench/bench_driver.py, the test driver plus ops that time requests inside the client). Kernel
// sessions are interleaved in ABBA order (tslab, labtrail, labtrail, tslab, …) so that drift of the
// machine falls on both alike; every figure is a median. Prints a Markdown table and writes it to
// docs/benchmarks.md. This is a measurement, not a test: nothing here fails on a slow figure.
//
// Usage: node test/bench/run.mjs [--reps N] [--types shared|own] [--header-mode off|warn|default] [--no-write]
//   --reps N       kernel starts per kernel (default 12)
//   --types shared both kernels compile against the same @types/node, linked into the notebook's
//                  folder (default: compares the kernels, not their type declarations)
//   --types own    a bare notebook folder: each kernel uses the Node types it falls back to
//                  (tslab's nested @types/node, labtrail's own), as a user without a project gets
//   --header-mode  labtrail's header check (LABTRAIL_HEADER_MODE). Default off: the bench cells have no
//                  header, and in warn mode labtrail adds a notice to each (an output tslab never sends);
//                  `default` leaves it to labtrail's own default
//   --no-write     print only; leave docs/benchmarks.md alone
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, totalmem, tmpdir, release, platform } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const venvPython = join(root, ".venv", "bin", "python");
const kernelMain = join(root, "kernel", "dist", "kernel", "main.js");
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
const options = { reps: DEFAULT_REPS, types: "shared", headerMode: "off", write: true };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--reps") options.reps = Number(args[++i]);
  else if (a === "--types") options.types = args[++i];
  else if (a === "--header-mode") options.headerMode = args[++i];
  else if (a === "--no-write") options.write = false;
  else usage(`unknown argument ${a}`);
}
if (!Number.isInteger(options.reps) || options.reps < 1) usage("--reps wants a positive integer");
if (!["shared", "own"].includes(options.types)) usage("--types is shared or own");
if (!["off", "warn", "default"].includes(options.headerMode)) usage("--header-mode is off, warn or default");
function usage(message) {
  process.stderr.write(`bench: ${message}\nusage: node test/bench/run.mjs [--reps N] [--types shared|own] [--header-mode off|warn|default] [--no-write]\n`);
  process.exit(2);
}
for (const path of [venvPython, kernelMain, tslabBin]) {
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

// ---- one driver per kernel session --------------------------------------------------------------
class Driver {
  constructor(env) {
    this.proc = spawn(venvPython, [driverScript], { env: { ...env, PYTHONUNBUFFERED: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    this.waiting = [];
    this.stderr = "";
    let buffered = "";
    this.proc.stdout.setEncoding("utf8").on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
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
      this.proc.stdin.write(JSON.stringify({ op, ...params }) + "\n");
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
};
for (const k of Object.values(KERNELS)) {
  const dir = join(jupyterPath, "kernels", k.spec);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify({ argv: k.argv, display_name: k.display, language: "typescript", interrupt_mode: "signal" }, null, 2));
}
const notebookDir = join(work, "notebook");
mkdirSync(notebookDir);
if (options.types === "shared") {
  mkdirSync(join(notebookDir, "node_modules", "@types"), { recursive: true });
  symlinkSync(nodeTypesDir, join(notebookDir, "node_modules", "@types", "node"), "dir");
}
const driverEnv = { ...process.env, JUPYTER_PATH: jupyterPath };
delete driverEnv.LABTRAIL_HEADER_MODE;
if (options.headerMode !== "default") driverEnv.LABTRAIL_HEADER_MODE = options.headerMode;
const logDir = join(work, "logs");
mkdirSync(logDir);
// Ctrl-C reaches the drivers too (same process group); each shuts its kernel down on the way out.
process.on("SIGINT", () => {
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
});

// ---- one kernel session -------------------------------------------------------------------------
let sessionNo = 0;
async function session(name, { full = true } = {}) {
  const driver = new Driver(driverEnv);
  const log = join(logDir, `${String(++sessionNo).padStart(2, "0")}-${name}.log`);
  try {
    const { pid, ready_ms } = await driver.call("timed_start", { kernel_name: KERNELS[name].spec, cwd: notebookDir, log_file: log });
    const r = { ready: ready_ms, rssReady: rssMiB(pid) };
    const exec = async (codes) => (await driver.call("timed_execute", { codes })).ms;
    [r.first] = await exec(["1+1"]);
    if (!full) return r;
    await exec(Array.from({ length: WARMUP_CELLS }, (_, i) => `2+${i}`));
    r.steady = median(await exec(Array.from({ length: STEADY_CELLS }, (_, i) => `1+${i + 2}`)));
    [r.longFirst, r.longRerun] = await exec([LONG_CELL, LONG_CELL]);
    r.decl = median(await exec(Array.from({ length: DECL_CELLS }, (_, i) => `const v${i} = ${i};`)));
    r.rssAfter = rssMiB(pid);
    r.cpu = cpuSeconds(pid);
    return r;
  } catch (e) {
    const tail = existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(-20).join("\n") : "";
    throw new Error(`${name} session ${sessionNo}: ${e.message}${tail ? `\nkernel log (${log}):\n${tail}` : ""}`);
  } finally {
    await driver.close();
  }
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
const busyBefore = machineBusySeconds();
const ownBefore = ownSeconds();
const started = Date.now();
const samples = { tslab: [], labtrail: [] };
try {
  // Untimed: fills the page cache (tslab's TypeScript is ~10 MB of JS) and warms the Python side.
  process.stdout.write("bench: warm-up start of each kernel (not counted)\n");
  await session("tslab", { full: false });
  await session("labtrail", { full: false });
  for (let rep = 0; rep < options.reps; rep++) {
    const order = rep % 2 === 0 ? ["tslab", "labtrail"] : ["labtrail", "tslab"];
    for (const name of order) {
      const r = await session(name);
      samples[name].push(r);
      process.stdout.write(
        `bench: ${rep + 1}/${options.reps} ${name.padEnd(8)} ready ${r.ready.toFixed(0)} ms, 1+1 ${r.first.toFixed(1)} ms, ` +
          `steady ${r.steady.toFixed(1)} ms, 200 lines ${r.longFirst.toFixed(0)}/${r.longRerun.toFixed(0)} ms, ` +
          `decl ${r.decl.toFixed(1)} ms, RSS ${r.rssReady.toFixed(0)}→${r.rssAfter.toFixed(0)} MiB, CPU ${r.cpu.toFixed(1)} s\n`,
      );
    }
  }
} catch (e) {
  process.stderr.write(`bench failed: ${e.message}\n(work files kept in ${work})\n`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
const elapsed = (Date.now() - started) / 1000;
const otherCpu = Math.max(0, machineBusySeconds() - busyBefore - (ownSeconds() - ownBefore));
const otherShare = otherCpu / elapsed; // in cores
if (otherShare > 0.1) {
  process.stdout.write(`bench: other processes kept ${(otherShare * 100).toFixed(0)}% of a core busy during the run: the figures are skewed\n`);
}

// ---- report -------------------------------------------------------------------------------------
const METRICS = [
  { key: "ready", label: "start → kernel_info reply", unit: "ms", goal: 1.05 },
  { key: "first", label: "first trivial cell (`1+1`)", unit: "ms", goal: 1.05 },
  { key: "steady", label: `steady distinct trivial cell (\`1+<i>\`, median of ${STEADY_CELLS})`, unit: "ms", goal: 1.05 },
  { key: "longFirst", label: "200-line cell, first run", unit: "ms", goal: 1.05 },
  { key: "longRerun", label: "200-line cell, rerun", unit: "ms", goal: 1.05 },
  { key: "decl", label: `declaring cells (\`const v<i> = <i>;\`), median per cell of ${DECL_CELLS}`, unit: "ms", goal: 1.05 },
  { key: "rssReady", label: "RSS at ready", unit: "MiB", goal: 1.1 },
  { key: "rssAfter", label: `RSS after the ${DECL_CELLS} declaring cells`, unit: "MiB", goal: 1.1 },
  { key: "cpu", label: "kernel CPU time, whole session (for information)", unit: "s", goal: null },
];
const fmt = (v, unit) =>
  unit === "MiB" ? `${v.toFixed(0)} MiB` : unit === "s" ? `${v.toFixed(2)} s` : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`;
const rows = METRICS.map((m) => {
  const t = median(samples.tslab.map((s) => s[m.key]));
  const l = median(samples.labtrail.map((s) => s[m.key]));
  const ratio = l / t;
  const range = (name) => {
    const xs = samples[name].map((s) => s[m.key]);
    return `${fmt(Math.min(...xs), m.unit)} – ${fmt(Math.max(...xs), m.unit)}`;
  };
  // Judged on the ratio as printed (two decimals), so that a row never reads "1.05× … over".
  return { ...m, t, l, ratio, pass: m.goal === null || Math.round(ratio * 100) / 100 <= m.goal, rangeT: range("tslab"), rangeL: range("labtrail") };
});

const pythonVersions = spawnSync(venvPython, ["-c", "import sys, jupyter_client, zmq; print(sys.version.split()[0], jupyter_client.__version__, zmq.__version__)"], { encoding: "utf8" }).stdout.trim().split(" ");
const tsVersion = createRequire(join(tslabDir, "package.json"))("@tslab/typescript-for-tslab/package.json").version;
const cpu = cpus();
const facts = [
  ["date", new Date().toISOString().replace(/\.\d+Z$/, "Z")],
  ["machine", `${cpu.length} CPUs (${cpu[0]?.model?.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}`],
  ["Node.js", process.version],
  ["tslab", `${kernelRequire("tslab/package.json").version} (TypeScript ${tsVersion})`],
  ["labtrail", kernelRequire("./package.json").version],
  ["client", `Python ${pythonVersions[0]}, jupyter_client ${pythonVersions[1]}, pyzmq ${pythonVersions[2]}`],
  ["Node types", options.types === "shared" ? `shared: @types/node ${kernelRequire("@types/node/package.json").version} linked into the notebook folder for both` : "own: bare notebook folder, each kernel's fallback @types/node"],
  ["other load", `${otherCpu.toFixed(1)} CPU-s used by processes outside the bench during the run (${(otherShare * 100).toFixed(0)}% of one core)`],
  ["labtrail header check", options.headerMode === "default" ? "labtrail's default mode" : `LABTRAIL_HEADER_MODE=${options.headerMode}`],
  ["repetitions", `${options.reps} kernel starts per kernel, ABBA-interleaved, after one untimed warm-up start each; run took ${elapsed.toFixed(0)} s`],
];

const table = [
  "| metric | tslab | labtrail | ratio (labtrail/tslab) | goal | result |",
  "|---|---:|---:|---:|---:|---|",
  ...rows.map((r) =>
    r.goal === null
      ? `| ${r.label} | ${fmt(r.t, r.unit)} | ${fmt(r.l, r.unit)} | ${r.ratio.toFixed(2)}× | — | — |`
      : `| ${r.label} | ${fmt(r.t, r.unit)} | ${fmt(r.l, r.unit)} | ${r.ratio.toFixed(2)}× | ≤ ${r.goal.toFixed(2)}× | ${r.pass ? "pass" : "**over**"} |`,
  ),
].join("\n");
const spread = [
  "| metric | tslab (min – max) | labtrail (min – max) |",
  "|---|---:|---:|",
  ...rows.map((r) => `| ${r.label} | ${r.rangeT} | ${r.rangeL} |`),
].join("\n");
const factList = facts.map(([k, v]) => `- ${k}: ${v}`).join("\n");

process.stdout.write(`\n${table}\n\n${factList}\n`);
const over = rows.filter((r) => !r.pass);
process.stdout.write(over.length ? `\nover the goal: ${over.map((r) => r.label).join("; ")}\n` : "\nevery figure within its goal\n");

if (options.write) {
  const doc = `# Benchmarks: labtrail vs plain tslab

labtrail runs cells with tslab's converter and executor and replaces tslab's Jupyter protocol layer.
Goal: labtrail within **1.05×** of plain tslab 1.0.22 on every latency and **1.1×** on memory.

## How it is measured

\`npm run bench\` (setup, then \`node test/bench/run.mjs\`) starts both kernels the way Jupyter does, from
kernelspecs written into a private \`JUPYTER_PATH\`:

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

One kernel session runs, in order: start; \`1+1\`; ${WARMUP_CELLS} untimed warm-up cells; ${STEADY_CELLS} distinct trivial cells
(\`1+2\`, \`1+3\`, …); a 200-line cell of typed code (interfaces, functions, loops; no output but its final
number) run twice; ${DECL_CELLS} declaring cells \`const v<i> = <i>;\`; then RSS and CPU time are read and the kernel is
shut down.
Sessions alternate between the kernels in ABBA order (tslab, labtrail, labtrail, tslab, …) so that drift of
the machine falls on both alike, after one untimed start of each kernel that warms the page cache. Each
figure is the median over the sessions (for the steady and declaring cells, of each session's median).
Every cell must answer \`ok\`; cells print nothing beyond their last value, because plain tslab hangs on
output bursts over 1,000 lines and never sends \`execute_result\` (it prints the value on stdout instead).

By default both kernels type-check against the same \`@types/node\` (labtrail's, linked into the notebook
folder), so the comparison is of the kernels, not of their Node declarations. \`--types own\` uses a bare
folder instead: tslab then falls back to the @types/node nested under it and labtrail to its own.

The bench cells carry no cell header, so labtrail's header check runs with \`LABTRAIL_HEADER_MODE=off\`: in
its default \`warn\` mode every headerless cell gets a one-line notice on stderr, an output message tslab
never sends (about 1–2 ms per trivial cell here). \`--header-mode warn\` or \`--header-mode default\` measures
that instead.

The bench also reports how much CPU other processes used while it ran (all CPU time in \`/proc/stat\` less
that of the bench and its children) and warns when that is over 10% of a core: such a run is skewed.

Run it with \`npm run bench\` (about two minutes on a 2-core machine); \`node test/bench/run.mjs
--reps N\` changes the number of kernel starts (default ${DEFAULT_REPS}), \`--no-write\` prints without rewriting this
file. The figures are noisy on a small machine: single sessions of one kernel differ by 20–30% even when
it is otherwise idle (see the spread below), and the medians of two runs by several percent. Compare the
two columns of one run, not runs with each other, and read a ratio a few percent either side of its goal
as noise rather than a verdict. A row passes when its ratio, as printed (two decimals), is within the goal.

## Latest run

${table}

${factList}

Spread of the per-session values:

${spread}
`;
  mkdirSync(dirname(docFile), { recursive: true });
  writeFileSync(docFile, doc);
  process.stdout.write(`wrote ${relative(root, docFile)}\n`);
}
