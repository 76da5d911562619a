// The Node that runs labtrail: the kernel, its build, JupyterLab's kernel and the tests. Node 22 and 24
// (the LTS lines) are supported; on an older Node (this machine's may be 20, past its end of life)
// setup installs Node 24 from the npm registry (the package node-<platform>-<arch>, its bin/node)
// into .labtrail-setup/node/, never globally, and every script re-runs itself under it.
// Node built-ins only: this runs before node_modules exists.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The lowest Node major labtrail runs on, and the one setup installs when the machine's is older. */
export const MIN_NODE_MAJOR = 22;
export const LOCAL_NODE_VERSION = "24.22.3";

const localPrefix = join(root, ".labtrail-setup", "node");

/** The npm registry package holding a Node binary for this platform, or null where there is none. */
function nodePackage(version = LOCAL_NODE_VERSION) {
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  return process.platform === "linux" && arch ? `node-linux-${arch}@${version}` : null;
}

function localNodeBinary(version = LOCAL_NODE_VERSION) {
  const name = nodePackage(version)?.replace(/@.*/, "");
  return name ? join(localPrefix, version, "node_modules", name, "bin", "node") : null;
}

export function nodeIsSupported(version = process.versions.node) {
  return Number(version.split(".")[0]) >= MIN_NODE_MAJOR;
}

/**
 * Installs Node `version` into .labtrail-setup/node/<version>/ unless it is there; returns its binary.
 * `say` reports the one line a user sees; errors name what to do instead.
 */
export function installLocalNode(say, version = LOCAL_NODE_VERSION) {
  const binary = localNodeBinary(version);
  const spec = nodePackage(version);
  if (!binary || !spec) {
    throw new Error(
      `labtrail needs Node ${MIN_NODE_MAJOR} or newer (this is ${process.version}) and cannot install one for ${process.platform}-${process.arch}: install Node 24 LTS from https://nodejs.org and run this again`,
    );
  }
  if (existsSync(binary)) return binary;
  const why =
    version === LOCAL_NODE_VERSION
      ? `Node ${process.versions.node} is older than ${MIN_NODE_MAJOR}: installing Node ${version}`
      : `installing Node ${version} for a run on that line`;
  say(`${why} (${spec}) into .labtrail-setup/node/ for this project only…`);
  const prefix = join(localPrefix, version);
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", spec], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0 || !existsSync(binary)) {
    const tail = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `could not install ${spec} from the npm registry (npm install exited with ${result.status ?? result.error?.message}):\n${tail}`,
    );
  }
  return binary;
}

/**
 * On a supported Node, resolves at once. Otherwise re-runs the calling script under the project's
 * Node 24 (installed when `install` is true, else it must be there: setup installs it) with its bin
 * folder first on PATH, so npm and every child that runs `node` get it too, and exits with its
 * status: await it at the top of a script, before anything else runs.
 */
export async function runUnderSupportedNode(script, { install = false, say = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (nodeIsSupported()) return;
  let binary = localNodeBinary();
  if (install) {
    try {
      binary = installLocalNode(say);
    } catch (error) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    }
  } else if (!binary || !existsSync(binary)) {
    process.stderr.write(
      `error: labtrail needs Node ${MIN_NODE_MAJOR} or newer (this is ${process.version}): run \`npm run setup\`, which installs one for this project\n`,
    );
    process.exit(2);
  }
  const env = { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ""}` };
  const child = spawn(binary, [fileURLToPath(script), ...process.argv.slice(2)], { stdio: "inherit", env });
  // Ctrl-C reaches the child directly (same process group); forward what a supervisor sends to us alone.
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  process.on("SIGINT", () => {});
  child.on("error", (error) => {
    process.stderr.write(`error: could not run ${binary}: ${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
  await new Promise(() => {}); // the exit handler ends the process
}

/** The Node binary for a smoke run on another LTS line (installed on first use), e.g. 22. */
export function smokeNodeBinary(version, say) {
  return installLocalNode(say, version);
}
