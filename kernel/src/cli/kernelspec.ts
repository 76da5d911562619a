// Kernelspec building blocks: where our files are, which Python (and so which Jupyter) to register
// with, and what that Python says about its Jupyter directories.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./errors";

export const DEFAULT_KERNEL_NAME = "labtrail";
export const DEFAULT_DISPLAY_NAME = "TypeScript (labtrail)";

// This file lives in <package>/src/cli (ts-jest) or <package>/dist/cli (built): the package root is
// two levels up either way, so the paths below hold for a checkout and for an npm install alike.
export const packageRoot = path.resolve(__dirname, "..", "..");

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The kernel's entry point, always the built JavaScript: Jupyter starts it with plain `node`. */
export function kernelEntryPoint(): string {
  return path.join(packageRoot, "dist", "kernel", "main.js");
}

export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

export function buildKernelJson(displayName: string): KernelJson {
  return {
    // Absolute paths: Jupyter may run with a PATH that has no `node`, or a different one.
    argv: [process.execPath, kernelEntryPoint(), "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { labtrail: { version: packageVersion() } },
  };
}

export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="8" fill="#3178c6"/>
<path d="M9 24l9-9 8 6 11-12" fill="none" stroke="#fff" stroke-opacity=".6" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
<text x="56" y="56" font-family="Arial,Helvetica,sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="end">TS</text>
</svg>
`;

/** Kernelspec names Jupyter accepts (jupyter_client's `_kernel_name_pat`). */
export function isValidKernelName(name: string): boolean {
  return /^[a-z0-9._-]+$/i.test(name);
}

/** Like `which`: the first executable file called `command` on `searchPath`. */
export function findOnPath(command: string, searchPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here, or not executable: keep looking
    }
  }
  return undefined;
}

/**
 * The Python interpreter behind the `jupyter` command on PATH, read from its shebang, so that we
 * register with the Jupyter the user actually runs. Undefined when there is no `jupyter`, or when it
 * is not a Python script (a pyenv shim, for instance).
 */
export function pythonBehindJupyter(searchPath = process.env.PATH ?? ""): string | undefined {
  const jupyter = findOnPath("jupyter", searchPath);
  if (!jupyter) return undefined;
  let head: string;
  try {
    const fd = fs.openSync(jupyter, "r");
    try {
      const buf = Buffer.alloc(1024);
      head = buf.toString("utf8", 0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head);
  if (!shebang) return undefined;
  let interpreter = shebang[1];
  if (path.basename(interpreter) === "env" && shebang[2]) {
    interpreter = findOnPath(shebang[2], searchPath) ?? "";
  } else if (/^(ba|da)?sh$/.test(path.basename(interpreter))) {
    // pip writes `#!/bin/sh` plus `'''exec' "/path/python" "$0" "$@"` when the real shebang would be
    // too long or contain spaces.
    const exec = /^'''exec' (?:"([^"]+)"|(\S+))/m.exec(head);
    interpreter = exec ? (exec[1] ?? exec[2]) : "";
  }
  return /python/i.test(path.basename(interpreter)) ? interpreter : undefined;
}

export interface PythonInfo {
  executable: string;
  version: string;
  prefix: string;
  /** True in a venv or a conda environment: there a --sys-prefix install is the natural default. */
  inEnv: boolean;
  userDataDir: string;
  /** Where that Python's Jupyter looks for kernelspecs, in order. */
  kernelSearchPath: string[];
}

const PYTHON_PROBE = `
import json, os, sys
try:
    from jupyter_core.paths import jupyter_data_dir, jupyter_path
except ImportError:
    print(json.dumps({"missing": "jupyter_core", "executable": sys.executable, "version": sys.version.split()[0]}))
    sys.exit(0)
print(json.dumps({
    "executable": sys.executable,
    "version": sys.version.split()[0],
    "prefix": sys.prefix,
    "inEnv": sys.prefix != getattr(sys, "base_prefix", sys.prefix) or os.path.isdir(os.path.join(sys.prefix, "conda-meta")),
    "userDataDir": jupyter_data_dir(),
    "kernelSearchPath": jupyter_path("kernels"),
}))
`;

/** Asks `python` for its Jupyter directories; every failure becomes one actionable CliError. */
export function probePython(python: string): PythonInfo {
  let stdout: string;
  try {
    stdout = execFileSync(python, ["-c", PYTHON_PROBE], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; status?: number | null };
    if (e.code === "ENOENT") throw new CliError(`Python not found: ${python} (pass --python with a Python that has Jupyter installed)`);
    if (e.code === "EACCES") throw new CliError(`Python is not executable: ${python}`);
    const lastLine = (e.stderr ?? "").trim().split("\n").pop() || e.message;
    throw new CliError(`${python} failed when asked for its Jupyter paths: ${lastLine}`);
  }
  let info: PythonInfo & { missing?: string };
  try {
    info = JSON.parse(stdout.trim().split("\n").pop() ?? "");
  } catch {
    throw new CliError(`${python} did not answer like a Python 3 interpreter`);
  }
  if (info.missing) {
    throw new CliError(
      `jupyter_core is not importable in ${info.executable} (Python ${info.version}); ` +
        `install Jupyter there (${info.executable} -m pip install jupyterlab) or pass --python with the Python that runs your Jupyter`,
    );
  }
  return info;
}
