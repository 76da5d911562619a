/**
 * `"mlflow": { "autoPush": true }`: the kernel pushes the notebook's records to MLflow as each cell's
 * record is written, in the background. Each push is `labtrail push <notebook>` in a child process at
 * low priority, so a push never slows or fails a cell and the kernel holds no MLflow state of its own.
 *
 * Nothing needs a queue of its own: the records are on disk in runs.jsonl before a push starts, and a
 * push sends exactly what the server lacks (see push.ts). So a server that is down costs nothing but a
 * retry: records written meanwhile go with the next push that gets through (the next cell's, a timed
 * retry with backoff, or the next kernel's first push).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { setPriority } from "node:os";
import * as path from "node:path";
import { z } from "zod";

/** The first retry after a failed push; each further failure doubles it, up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 10 * 60_000;
/** After the kernel starts: catch up on what earlier sessions could not push, once the kernel has settled. */
export const FIRST_PUSH_AFTER_MS = 5_000;

export interface AutoPushSettings {
  /** The notebook file now (it follows a rename). */
  notebook: () => string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (text: string) => void;
  /** Overrides for tests: the delays above. */
  retryFirstMs?: number;
  firstPushAfterMs?: number;
}

export class AutoPusher {
  private child: ChildProcess | null = null;
  /** A record was written while a push ran: push once more when it ends. */
  private again = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastProblem: string | null = null;
  private closed = false;

  constructor(private readonly settings: AutoPushSettings) {
    this.schedule(settings.firstPushAfterMs ?? FIRST_PUSH_AFTER_MS);
  }

  /** A record was written. */
  request(): void {
    if (this.closed) return;
    if (this.child) {
      this.again = true;
      return;
    }
    this.start();
  }

  /** At shutdown: a push cut short is resumed by the next one (pushes are idempotent). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.child?.kill("SIGTERM");
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request();
    }, ms);
    this.timer.unref();
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
    const cli = path.join(__dirname, "..", "cli", "main.js");
    const child = spawn(process.execPath, [cli, "push", this.settings.notebook(), "--json"], {
      cwd: this.settings.cwd,
      env: this.settings.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    try {
      // Below the kernel: on a busy machine the cells come first.
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // Not permitted here: it runs at the kernel's priority.
    }
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", (error) => this.finished(null, "", error.message));
    child.once("close", (code) => this.finished(code, stdout, stderr));
  }

  private finished(code: number | null, stdout: string, stderr: string): void {
    if (!this.child) return;
    this.child = null;
    if (this.closed) return;
    if (code === 0) {
      this.failures = 0;
      const created = createdRuns(stdout);
      if (this.lastProblem !== null || created > 0) {
        this.settings.log(
          `mlflow auto-push: ${created} run${created === 1 ? "" : "s"} sent${this.lastProblem ? " (the server is back)" : ""}`,
        );
      }
      this.lastProblem = null;
      if (this.again) this.start();
      return;
    }
    this.failures++;
    const delay = Math.min((this.settings.retryFirstMs ?? RETRY_FIRST_MS) * 2 ** (this.failures - 1), RETRY_MAX_MS);
    const problem = lastLine(stderr) ?? `labtrail push exited with ${code}`;
    // One line per distinct problem, not one per retry.
    if (problem !== this.lastProblem) {
      this.settings.log(
        `mlflow auto-push: ${problem.replace(/^error:\s*/, "")} — the records stay in runs.jsonl; retrying in the background`,
      );
    }
    this.lastProblem = problem;
    this.schedule(delay);
  }
}

function lastLine(text: string): string | null {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.at(-1)?.trim() ?? null;
}

/** The part of `labtrail push --json`'s summary the kernel reads. */
const pushSummarySchema = z.object({ counts: z.object({ created: z.number(), resumed: z.number() }) });

/** Runs the push created or resumed, from its --json summary; 0 when it cannot be read. */
function createdRuns(stdout: string): number {
  try {
    const { counts } = pushSummarySchema.parse(JSON.parse(stdout));
    return counts.created + counts.resumed;
  } catch {
    return 0;
  }
}
