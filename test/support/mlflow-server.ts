// A real MLflow tracking server for the tests that push to one (test/mlflow/): MLflow 3 from PyPI in a
// cached venv (scripts/mlflow-venv.mjs; the first run installs it, a minute or so), a SQLite backend
// store and proxied artifacts in a temporary folder, on a free port of 127.0.0.1. One server per test
// file: it starts in seconds and is stopped with its whole process group (uvicorn's workers too).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../../kernel/src/client/ports";
import { repoRoot } from "./paths";

/** How long the first install may take (CI's cold cache); later calls return at once. */
export const MLFLOW_INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The venv's `mlflow` executable, installing it first when needed. */
export function prepareMlflow(): string {
  const result = spawnSync(process.execPath, [join(repoRoot, "scripts", "mlflow-venv.mjs")], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: MLFLOW_INSTALL_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`scripts/mlflow-venv.mjs exited with ${result.status}`);
  return result.stdout.trim();
}

/** A free port of 127.0.0.1 (the one the CLI's client picks kernel ports with). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

export interface MlflowServer {
  url: string;
  /** The server's temporary folder: mlflow.db, artifacts/, server.log. */
  dir: string;
  stop(): Promise<void>;
}

/** `port`: a port picked beforehand (a client configured before the server is up); default: a free one. */
export async function startMlflowServer(mlflow: string = prepareMlflow(), options: { port?: number } = {}): Promise<MlflowServer> {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-mlflow-"));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const log = join(dir, "server.log");
  const args = [
    "server",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--backend-store-uri",
    `sqlite:///${join(dir, "mlflow.db")}`,
    "--artifacts-destination",
    join(dir, "artifacts"),
    // One worker: enough for a test, and the least memory.
    "--workers",
    "1",
  ];
  const child = spawn("sh", ["-c", `exec "$0" "$@" > "${log}" 2>&1`, mlflow, ...args], {
    cwd: dir,
    // Its own process group, so stop() reaches the workers it forks.
    detached: true,
    stdio: "ignore",
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: "true", DO_NOT_TRACK: "true", PYTHONUNBUFFERED: "1" },
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const stop = () => stopGroup(child, () => exited).finally(() => rmSync(dir, { recursive: true, force: true }));

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited) {
      const tail = readFileSync(log, "utf8").split("\n").slice(-20).join("\n");
      await stop();
      throw new Error(`mlflow server exited before it was ready:\n${tail}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok && (await response.text()).trim() === "OK") return { url, dir, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`mlflow server did not answer ${url}/health within 120 s`);
}

async function stopGroup(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (child.pid === undefined || hasExited()) return;
  const pid = child.pid;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone.
    }
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  // Workers left behind by a killed parent.
  signal("SIGKILL");
}
