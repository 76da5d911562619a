// `labtrail install` end to end: the built CLI as a child process, the project venv's real Python and
// Jupyter (created by scripts/setup.mjs before jest runs), real directories. No mocks.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { cliMain as cli, kernelMain, repoRoot as repo, venvBin, venvPython } from "../support/paths";

const pkg = JSON.parse(fs.readFileSync(path.join(repo, "kernel", "package.json"), "utf8")) as { version: string };

let tmp: string;
// A HOME-like data dir of our own, so no test reads or writes the real user's Jupyter directories.
let dataDir: string;

function labtrail(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: tmp,
    encoding: "utf8",
    env: { ...process.env, JUPYTER_DATA_DIR: dataDir, ...env },
    timeout: 60_000,
  });
}

function readKernelJson(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
}

/** A user-fixable error: exit code 2, exactly one line on stderr, nothing that looks like a stack. */
function expectCleanError(result: SpawnSyncReturns<string>, pattern: RegExp): void {
  expect(result.status).toBe(2);
  const stderr = result.stderr.trimEnd();
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).toBe("");
}

/** A venv with no pip and no packages: a real Python in which jupyter_core is not importable. */
function bareVenv(dir: string): string {
  const made = spawnSync(process.env.LABTRAIL_PYTHON || "python3", ["-m", "venv", "--without-pip", dir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`python3 -m venv failed: ${made.stderr}`);
  return path.join(dir, "bin", "python");
}

beforeAll(() => {
  for (const [file, hint] of [
    [cli, "the built CLI"],
    [venvPython, "the project venv"],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${hint} is missing (${file}): run \`npm run setup\` first`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "labtrail-install-"));
  dataDir = path.join(tmp, "jupyter-data");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("labtrail --version / --help", () => {
  test("--version prints the package version", () => {
    const result = labtrail(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  test("--help lists the install command", () => {
    const result = labtrail(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: labtrail/);
    expect(result.stdout).toMatch(/^\s+install\b/m);
  });

  test("install --help documents its options", () => {
    const result = labtrail(["install", "--help"]);
    expect(result.status).toBe(0);
    for (const flag of ["--sys-prefix", "--user", "--prefix", "--python", "--name", "--display-name"]) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe("labtrail install", () => {
  test("--prefix writes a kernelspec with absolute paths that Jupyter lists", () => {
    const prefix = path.join(tmp, "prefix");
    const result = labtrail(["install", "--prefix", prefix, "--python", venvPython]);
    expect(result.status).toBe(0);

    const dir = path.join(prefix, "share", "jupyter", "kernels", "labtrail");
    const stdout = result.stdout.trim();
    expect(stdout).toBe(`Installed kernelspec "labtrail" (TypeScript (labtrail)) in ${dir} for ${venvPython}`);

    const spec = readKernelJson(dir);
    expect(spec).toEqual({
      argv: [process.execPath, kernelMain, "{connection_file}"],
      display_name: "TypeScript (labtrail)",
      language: "typescript",
      interrupt_mode: "signal",
      env: {},
      metadata: { labtrail: { version: pkg.version } },
    });
    for (const arg of (spec.argv as string[]).slice(0, 2)) expect(path.isAbsolute(arg)).toBe(true);
    expect(fs.readFileSync(path.join(dir, "logo-svg.svg"), "utf8")).toMatch(/^<svg /);
    // The prefix is not on Jupyter's search path: the CLI says how to make it so.
    expect(result.stderr).toContain(`JUPYTER_PATH=${path.join(prefix, "share", "jupyter")}`);

    // The real Jupyter of the venv finds it through JUPYTER_PATH (which precedes every other location).
    const listed = spawnSync(path.join(venvBin, "jupyter"), ["kernelspec", "list", "--json"], {
      encoding: "utf8",
      env: { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_PATH: path.join(prefix, "share", "jupyter") },
      timeout: 60_000,
    });
    expect(listed.status).toBe(0);
    const kernelspecs = JSON.parse(listed.stdout).kernelspecs as Record<string, { resource_dir: string; spec: unknown }>;
    expect(kernelspecs.labtrail).toBeDefined();
    expect(fs.realpathSync(kernelspecs.labtrail.resource_dir)).toBe(fs.realpathSync(dir));
    expect(kernelspecs.labtrail.spec).toMatchObject({ argv: spec.argv, display_name: "TypeScript (labtrail)" });
  });

  test("a second identical install reports it is up to date; --name and --display-name are honoured", () => {
    const prefix = path.join(tmp, "prefix-named");
    const args = ["install", "--prefix", prefix, "--python", venvPython, "--name", "labtrail-dev", "--display-name", "TS dev"];
    expect(labtrail(args).stdout).toMatch(/^Installed kernelspec "labtrail-dev" \(TS dev\)/);
    const again = labtrail(args);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^Up to date: kernelspec "labtrail-dev" \(TS dev\) in /);
    const spec = readKernelJson(path.join(prefix, "share", "jupyter", "kernels", "labtrail-dev"));
    expect(spec.display_name).toBe("TS dev");
  });

  test("without flags it uses the Python behind `jupyter` on PATH and, in a venv, its sys.prefix", () => {
    // A fresh venv of our own (so the project's .venv stays untouched) that sees the project venv's
    // jupyter_core through a .pth file, with a `jupyter` script whose shebang names its Python.
    const env = path.join(tmp, "env-with-jupyter");
    const python = bareVenv(env);
    const probe = spawnSync(venvPython, ["-c", "import jupyter_core, os; print(os.path.dirname(os.path.dirname(jupyter_core.__file__)))"], {
      encoding: "utf8",
    });
    const sitePackages = probe.stdout.trim();
    const envSite = spawnSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], {
      encoding: "utf8",
    }).stdout.trim();
    fs.mkdirSync(envSite, { recursive: true });
    fs.writeFileSync(path.join(envSite, "project-venv.pth"), `${sitePackages}\n`);
    fs.writeFileSync(path.join(env, "bin", "jupyter"), `#!${python}\nimport sys\nsys.exit(0)\n`, { mode: 0o755 });

    const result = labtrail(["install"], { PATH: `${path.join(env, "bin")}${path.delimiter}${process.env.PATH}` });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.status).toBe(0);
    const dir = path.join(env, "share", "jupyter", "kernels", "labtrail");
    expect(result.stdout.trim()).toBe(`Installed kernelspec "labtrail" (TypeScript (labtrail)) in ${dir} for ${python}`);
    expect(readKernelJson(dir).argv).toEqual([process.execPath, kernelMain, "{connection_file}"]);
  });

  test("a nonexistent --python is one clear error", () => {
    const missing = path.join(tmp, "no-such-python");
    expectCleanError(labtrail(["install", "--prefix", tmp, "--python", missing]), new RegExp(`^error: Python not found: ${missing}`));
  });

  test("a Python without jupyter_core is one clear error naming it and the fix", () => {
    const python = bareVenv(path.join(tmp, "bare"));
    const result = labtrail(["install", "--prefix", path.join(tmp, "unused"), "--python", python]);
    expectCleanError(result, /^error: jupyter_core is not importable in .*bare.*bin\/python.* -m pip install jupyterlab/);
    expect(fs.existsSync(path.join(tmp, "unused"))).toBe(false);
  });

  test.each([
    [["--user", "--sys-prefix"], /--user and --sys-prefix cannot be combined/],
    [["--sys-prefix", "--prefix", "x"], /--sys-prefix and --prefix cannot be combined/],
    [["--user", "--prefix", "x"], /--user and --prefix cannot be combined/],
  ])("conflicting flags %j are one clear error", (flags, pattern) => {
    expectCleanError(labtrail(["install", ...flags, "--python", venvPython]), pattern);
  });

  test("an invalid kernel name is one clear error", () => {
    expectCleanError(
      labtrail(["install", "--prefix", tmp, "--python", venvPython, "--name", "bad name/.."]),
      /^error: invalid kernel name/,
    );
  });

  test("an unwritable destination is one clear error", () => {
    // A file where a directory must be: fails for root too, unlike permission bits.
    const blocker = path.join(tmp, "a-file");
    fs.writeFileSync(blocker, "");
    expectCleanError(
      labtrail(["install", "--prefix", blocker, "--python", venvPython]),
      /^error: cannot write the kernelspec to .*a-file.*: part of that path is a file, not a directory$/,
    );
  });

  test("a mistyped command is a one-line usage error with a suggestion", () => {
    expectCleanError(labtrail(["instal"]), /^error: unknown command 'instal' \(Did you mean install\?\)$/);
  });

  test("an unknown option is a usage error with exit code 2", () => {
    const result = labtrail(["install", "--frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("error: unknown option '--frobnicate'");
  });
});
