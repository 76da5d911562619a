#!/usr/bin/env node
// One-command setup: npm dependencies, build, a project-local Python venv with JupyterLab, the
// kernelspec registered in that venv and the JupyterLab extension built and pip-installed into it. Runs before node_modules exists, so Node built-ins only.
// Idempotent: each slow step leaves a stamp (a hash of its inputs) in .labtrail-setup/ and is
// skipped while its inputs are unchanged, so a second run takes a second or two.
//
// Usage: node scripts/setup.mjs [--quiet]
// Env:   LABTRAIL_PYTHON  base interpreter for the venv (default: python3)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runUnderSupportedNode } from "./node-runtime.mjs";

// On a Node older than 22 this re-runs under the project's Node 24 (scripts/node-runtime.mjs).
await runUnderSupportedNode(import.meta.url, { install: true, say: (line) => process.stdout.write(`setup: ${line}\n`) });

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stateDir = join(root, ".labtrail-setup");
const venv = join(root, ".venv");
const venvPython = join(venv, "bin", "python");
const requirements = join(root, "scripts", "python-requirements.txt");
const constraints = join(root, "scripts", "python-constraints.txt");
// jupyterlab 4.6 declares Requires-Python >= 3.10.
const MIN_PYTHON = [3, 10];

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--quiet");
if (unknown.length) fail("arguments", `unknown argument ${unknown[0]} (usage: node scripts/setup.mjs [--quiet])`);
const quiet = args.includes("--quiet");
const started = Date.now();

function say(line) {
  if (!quiet) process.stdout.write(`setup: ${line}\n`);
}

function fail(step, message, logFile) {
  if (logFile && existsSync(logFile)) {
    // The tail of the step's own output usually names the cause; the full log stays on disk.
    const tail = readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-25);
    process.stderr.write(`${tail.map((l) => `  | ${l}`).join("\n")}\n`);
  }
  const where = logFile ? ` (log: ${relative(root, logFile)})` : "";
  process.stderr.write(`setup failed at step "${step}": ${message}${where}\n`);
  process.exit(1);
}

/** Runs a command with its output captured in .labtrail-setup/<step>.log; fails the step on error. */
function run(step, command, commandArgs, options = {}) {
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, `${step.replace(/\W+/g, "-")}.log`);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    encoding: "utf8",
    // CI runs without a terminal: never let a child wait for input.
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  writeFileSync(logFile, `$ ${command} ${commandArgs.join(" ")}\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.error) {
    const reason = result.error.code === "ENOENT" ? `${command} not found` : result.error.message;
    fail(step, reason, logFile);
  }
  if (result.status !== 0) {
    const what = command === process.execPath ? `node ${relative(root, commandArgs[0])}` : `${basename(command)} ${commandArgs[0] ?? ""}`;
    fail(step, `${what.trim()} exited with ${result.status ?? result.signal}`, logFile);
  }
  return result;
}

function hashOf(parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part}\0`);
  return hash.digest("hex");
}

function fileContent(file) {
  return existsSync(file) ? readFileSync(file, "utf8") : "<missing>";
}

function stampMatches(name, hash) {
  return fileContent(join(stateDir, `${name}.stamp`)).trim() === hash;
}

function writeStamp(name, hash) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, `${name}.stamp`), `${hash}\n`);
}

/** package.json of the root and of every workspace (literal entries and `dir/*` globs). */
function packageJsonFiles() {
  const files = [join(root, "package.json")];
  const workspaces = JSON.parse(readFileSync(files[0], "utf8")).workspaces ?? [];
  for (const ws of Array.isArray(workspaces) ? workspaces : (workspaces.packages ?? [])) {
    const dirs = ws.endsWith("/*")
      ? readdirSync(join(root, ws.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(root, ws.slice(0, -2), d.name))
      : [join(root, ws)];
    for (const dir of dirs) if (existsSync(join(dir, "package.json"))) files.push(join(dir, "package.json"));
  }
  return files;
}

// (a) npm dependencies. `npm install`, not `npm ci`: the lockfile made here lacks other platforms'
// optional binaries, which makes `npm ci` fail (see shared notes).
function npmDependencies() {
  const inputs = () => {
    const files = [...packageJsonFiles(), join(root, "package-lock.json")];
    return hashOf(files.flatMap((f) => [relative(root, f), fileContent(f)]).concat(process.version));
  };
  if (existsSync(join(root, "node_modules")) && stampMatches("npm", inputs())) {
    say("npm dependencies up to date");
    return;
  }
  say("installing npm dependencies (npm install)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  run("npm install", npm, ["install", "--no-audit", "--no-fund"]);
  writeStamp("npm", inputs()); // after the install: it may have rewritten the lockfile
}

// (b) Build. tsc -b is incremental, so running it every time costs little and never leaves a stale dist.
function build() {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) fail("build", "node_modules/typescript is missing; delete node_modules and run setup again");
  run("build", process.execPath, [tsc, "-b", "kernel", "labextension"]);
  say("built kernel and labextension (tsc -b)");
}

// (c) Project-local Python with the pinned JupyterLab. Never touches the user's home or system Python.
function probeBasePython(base) {
  const probe = spawnSync(base, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const need = `Python >= ${MIN_PYTHON.join(".")}`;
  if (probe.error || probe.status !== 0) {
    const named = process.env.LABTRAIL_PYTHON ? `LABTRAIL_PYTHON=${base}` : base;
    const why =
      probe.error?.code === "ENOENT" ? `${named} not found` : `${named} does not run (${(probe.stderr || "").trim().split("\n").pop()})`;
    fail("python", `${why}; install ${need} or set LABTRAIL_PYTHON to one`);
  }
  const [version, executable] = probe.stdout.trim().split("\n");
  const [major, minor] = version.split(".").map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    fail("python", `${base} is Python ${version}; JupyterLab ${jupyterlabPin()} needs ${need} (set LABTRAIL_PYTHON to a newer one)`);
  }
  return { version, real: realpathSync(executable) };
}

function requirementLines() {
  return fileContent(requirements)
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

function jupyterlabPin() {
  return (
    requirementLines()
      .find((l) => l.startsWith("jupyterlab"))
      ?.replace(/^jupyterlab==/, "") ?? ""
  );
}

function pythonEnvironment() {
  const explicitBase = process.env.LABTRAIL_PYTHON;
  const base = explicitBase || "python3";
  const baseRecord = join(stateDir, "venv-base");
  // The base interpreter only matters when (re)creating the venv; an existing venv is used as is
  // unless LABTRAIL_PYTHON now names a different interpreter.
  if (explicitBase || !existsSync(venvPython)) {
    const { version, real } = probeBasePython(base);
    const recorded = fileContent(baseRecord).trim();
    if (existsSync(venvPython) && recorded !== "<missing>" && recorded !== real) {
      say(`LABTRAIL_PYTHON changed (${recorded} → ${real}): recreating .venv`);
    }
    if (!existsSync(venvPython) || (recorded !== "<missing>" && recorded !== real)) {
      say(`creating .venv with ${base} (Python ${version})…`);
      rmSync(venv, { recursive: true, force: true });
      run("venv", base, ["-m", "venv", venv]);
      if (!existsSync(venvPython)) {
        fail("venv", `${base} -m venv did not create ${relative(root, venvPython)} (on Debian/Ubuntu: apt-get install python3-venv)`);
      }
      writeFileSync(baseRecord, `${real}\n`);
    }
  }

  // pyvenv.cfg changes when the venv is recreated, so a new venv never inherits an old stamp.
  const venvConfig = fileContent(join(venv, "pyvenv.cfg"));
  const inputs = hashOf([fileContent(requirements), fileContent(constraints), venvConfig]);
  if (stampMatches("pip", inputs) && existsSync(join(venv, "bin", "jupyter"))) {
    say("Python environment up to date (.venv)");
    return;
  }
  say(`installing ${requirementLines().join(", ")} into .venv (first time: a minute or more)…`);
  const pipArgs = ["-m", "pip", "install", "--disable-pip-version-check", "-r", requirements];
  // The lock holds versions tested with one Python (ipython 9, say, needs >= 3.11): use it only there.
  const venvVersion = /^version\s*=\s*(\S+)/m.exec(venvConfig)?.[1] ?? "";
  const lockedFor = /^# python: (\S+)/m.exec(fileContent(constraints))?.[1];
  if (lockedFor && venvVersion.startsWith(`${lockedFor}.`)) pipArgs.push("-c", constraints);
  else if (lockedFor) say(`note: python-constraints.txt is locked for Python ${lockedFor}; resolving freely for ${venvVersion}`);
  // PIP_USER=1 would send packages to the user's home instead of the venv.
  run("pip install", venvPython, pipArgs, { env: { ...process.env, PIP_USER: "0" } });
  writeStamp("pip", inputs);
}

// (d) Register the kernel with the venv's Jupyter through our own CLI (what users run, too).
function registerKernel() {
  const cli = join(root, "kernel", "dist", "cli", "main.js");
  const { stdout, stderr } = run("kernelspec", process.execPath, [cli, "install", "--sys-prefix", "--python", venvPython]);
  const line = stdout.trim().split("\n").pop() ?? "";
  say(line.startsWith("Installed") ? line : "kernelspec up to date (.venv)");
  for (const warning of stderr.split("\n").filter((l) => l.startsWith("warning:"))) say(warning);
}

// (e) The JupyterLab extension: bundled by JupyterLab's builder (which comes with the venv's
// jupyterlab and uses node_modules/@jupyter/builder), then pip-installed into the venv, which
// enables it. Both steps are skipped while what they read is unchanged.
const labextension = join(root, "labextension");

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function labextensionInputs() {
  const files = [
    ...filesUnder(join(labextension, "lib")).filter((f) => f.endsWith(".js")),
    ...filesUnder(join(labextension, "schema")),
    ...filesUnder(join(labextension, "style")),
    ...filesUnder(join(root, "kernel", "dist", "core")).filter((f) => f.endsWith(".js")),
    join(labextension, "package.json"),
    join(root, "package-lock.json"),
  ];
  return hashOf(files.flatMap((f) => [relative(root, f), fileContent(f)]));
}

function bundleLabextension() {
  const output = join(labextension, "labtrail_jupyterlab", "labextension", "package.json");
  const inputs = labextensionInputs();
  if (existsSync(output) && stampMatches("labextension", inputs)) {
    say("labextension bundle up to date");
    return;
  }
  say("bundling the JupyterLab extension (jupyter-builder build)…");
  const venvBin = join(venv, "bin");
  run("labextension build", join(venvBin, "jupyter-builder"), ["build", labextension], {
    env: { ...process.env, PATH: `${venvBin}:${process.env.PATH ?? ""}` },
  });
  writeStamp("labextension", inputs);
}

function installLabextension() {
  const installed = join(venv, "share", "jupyter", "labextensions", "labtrail-jupyterlab", "package.json");
  const inputs = hashOf([
    fileContent(join(labextension, "labtrail_jupyterlab", "labextension", "package.json")),
    fileContent(join(labextension, "pyproject.toml")),
    fileContent(join(labextension, "labtrail_jupyterlab", "__init__.py")),
    fileContent(join(venv, "pyvenv.cfg")),
  ]);
  if (existsSync(installed) && stampMatches("labextension-pip", inputs)) {
    say("JupyterLab extension installed (.venv)");
    return;
  }
  // --no-build-isolation: hatchling comes from the venv (python-requirements.txt), not a download.
  run(
    "labextension install",
    venvPython,
    ["-m", "pip", "install", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--force-reinstall", labextension],
    { env: { ...process.env, PIP_USER: "0" } },
  );
  writeStamp("labextension-pip", inputs);
  say("installed the JupyterLab extension into .venv (pip install ./labextension)");
}

// (f) labtrail works offline: JupyterLab in this venv does not ask to fetch news or check for updates
// from the internet. Merged into the venv's settings overrides, never the user's own settings.
function offlineLabDefaults() {
  const file = join(venv, "share", "jupyter", "lab", "settings", "overrides.json");
  let overrides = {};
  try {
    overrides = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    overrides = {};
  }
  const key = "@jupyterlab/apputils-extension:notification";
  const current = overrides[key] ?? {};
  if (current.fetchNews === "false" && current.checkForUpdates === false) return;
  overrides[key] = { ...current, fetchNews: "false", checkForUpdates: false };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(overrides, null, 2)}\n`);
  say("JupyterLab in .venv: news and update checks off (offline)");
}

npmDependencies();
build();
pythonEnvironment();
registerKernel();
bundleLabextension();
installLabextension();
offlineLabDefaults();
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s — start JupyterLab with: npm start`);
