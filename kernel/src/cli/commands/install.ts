// `labtrail install`: register the kernel with the Jupyter of a given (or discovered) Python and say
// exactly where, because registering with the wrong Jupyter is the classic failure of kernel installers.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { writeIfChanged } from "../../files/write-file";
import { CliError } from "../errors";
import {
  buildKernelJson,
  DEFAULT_DISPLAY_NAME,
  DEFAULT_KERNEL_NAME,
  findOnPath,
  isValidKernelName,
  kernelEntryPoint,
  LOGO_SVG,
  probePython,
  pythonBehindJupyter,
} from "../kernelspec";

export interface InstallOptions {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  python?: string;
  name?: string;
  displayName?: string;
}

export type InstallScope = "user" | "sys-prefix" | "prefix";

export interface InstallResult {
  /** The kernelspec directory written (absolute). */
  dir: string;
  name: string;
  displayName: string;
  /** The Python whose Jupyter the kernelspec was registered with (its sys.executable). */
  python: string;
  scope: InstallScope;
  /** False when an identical kernelspec was already there. */
  changed: boolean;
  /** Things the user should know that do not stop the install. */
  warnings: string[];
}

function chooseScope(options: InstallOptions): InstallScope | undefined {
  const given = [
    options.user ? "--user" : undefined,
    options.sysPrefix ? "--sys-prefix" : undefined,
    options.prefix !== undefined ? "--prefix" : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (given.length > 1) {
    throw new CliError(`${given.join(" and ")} cannot be combined: pick one of --user, --sys-prefix, --prefix`);
  }
  if (options.user) return "user";
  if (options.sysPrefix) return "sys-prefix";
  if (options.prefix !== undefined) return "prefix";
  return undefined;
}

function choosePython(options: InstallOptions): string {
  if (options.python !== undefined) {
    if (!options.python) throw new CliError("--python needs a path or a command name");
    return options.python;
  }
  const python = pythonBehindJupyter() ?? findOnPath("python3");
  if (!python) {
    throw new CliError("no Python found: there is no `jupyter` and no `python3` on PATH; pass --python");
  }
  return python;
}

function writeFailure(dir: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied (try --user, or --prefix with a directory you can write)"
      : code === "ENOTDIR" || code === "EEXIST"
        ? "part of that path is a file, not a directory"
        : code === "EROFS"
          ? "read-only file system"
          : code === "ENOSPC"
            ? "no space left on device"
            : (err as Error).message;
  return new CliError(`cannot write the kernelspec to ${dir}: ${reason}`);
}

/** Installs the kernelspec and returns where; throws CliError for anything the user must fix. */
export function installKernelspec(options: InstallOptions = {}): InstallResult {
  const explicitScope = chooseScope(options);
  const name = options.name ?? DEFAULT_KERNEL_NAME;
  if (!isValidKernelName(name)) {
    throw new CliError(`invalid kernel name "${name}": use letters, digits, ".", "_" and "-" only`);
  }
  const displayName = options.displayName ?? DEFAULT_DISPLAY_NAME;
  if (!displayName.trim()) throw new CliError("--display-name must not be empty");

  const info = probePython(choosePython(options));
  const scope = explicitScope ?? (info.inEnv ? "sys-prefix" : "user");
  const kernelsDir =
    scope === "user"
      ? path.join(info.userDataDir, "kernels")
      : scope === "sys-prefix"
        ? path.join(info.prefix, "share", "jupyter", "kernels")
        : path.join(path.resolve(options.prefix as string), "share", "jupyter", "kernels");
  const dir = path.resolve(kernelsDir, name);

  const warnings: string[] = [];
  const entry = kernelEntryPoint();
  if (!fs.existsSync(entry)) {
    warnings.push(`the kernel entry point ${entry} does not exist yet; build it (npm run build) before starting the kernel`);
  }
  const searched = info.kernelSearchPath.map((p) => path.resolve(p));
  if (!searched.includes(path.resolve(kernelsDir))) {
    warnings.push(
      `${kernelsDir} is not on the kernel search path of ${info.executable}; ` +
        `set JUPYTER_PATH=${path.dirname(kernelsDir)} where Jupyter runs`,
    );
  }

  let changed: boolean;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const kernelJson = `${JSON.stringify(buildKernelJson(displayName), null, 2)}\n`;
    const wroteJson = writeIfChanged(path.join(dir, "kernel.json"), kernelJson);
    const wroteLogo = writeIfChanged(path.join(dir, "logo-svg.svg"), LOGO_SVG);
    changed = wroteJson || wroteLogo;
  } catch (err) {
    throw writeFailure(dir, err);
  }
  return { dir, name, displayName, python: info.executable, scope, changed, warnings };
}

export function registerInstallCommand(program: Command): void {
  program
    .command("install")
    .description("register the labtrail kernel with Jupyter (writes a kernelspec)")
    .option("--sys-prefix", "install into the Python environment (sys.prefix/share/jupyter/kernels)")
    .option("--user", "install for the current user (jupyter_data_dir()/kernels)")
    .option("--prefix <dir>", "install into <dir>/share/jupyter/kernels")
    .option("--python <path>", "the Python whose Jupyter to register with (default: the one behind `jupyter` on PATH, else python3)")
    .option("--name <name>", "kernelspec name", DEFAULT_KERNEL_NAME)
    .option("--display-name <name>", "name shown in Jupyter", DEFAULT_DISPLAY_NAME)
    .addHelpText("after", "\nWithout --user/--sys-prefix/--prefix: --sys-prefix when that Python runs in a venv or conda env, else --user.")
    .action((options: InstallOptions) => {
      const result = installKernelspec(options);
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      const what = `kernelspec "${result.name}" (${result.displayName})`;
      process.stdout.write(
        result.changed
          ? `Installed ${what} in ${result.dir} for ${result.python}\n`
          : `Up to date: ${what} in ${result.dir} for ${result.python}\n`,
      );
    });
}
