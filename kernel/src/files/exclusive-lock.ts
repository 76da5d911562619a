/**
 * An exclusive lock between processes of this machine: a file created with O_EXCL that holds its
 * owner's pid, removed when the work is done. A lock whose owner is gone (killed mid-push) is taken over.
 *
 * For `labtrail push`: its idempotency is a search of the server before it creates a run, so two pushes
 * of one notebook at the same moment (one by hand while the kernel's auto-push runs, or two kernels)
 * would both find nothing and both create it. The second waits for the first, then finds its runs.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";

export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly owner: number | null,
  ) {
    super(`held by process ${owner ?? "unknown"}`);
    this.name = "LockBusyError";
  }
}

const POLL_MS = 200;
/** A lock file still without a pid after this long was left by an owner that died between create and write. */
const UNWRITTEN_STALE_MS = 10_000;

/** Runs `work` holding the lock at `file`; waits up to `waitMs` for another owner, then throws LockBusyError. */
export async function withExclusiveLock<T>(file: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryTake(file)) break;
    const owner = ownerOf(file);
    if (owner !== null ? !alive(owner) : ageMs(file) > UNWRITTEN_STALE_MS) {
      // Its owner died without removing it (or before writing its pid); taking it over is safe, a push being idempotent.
      removeQuietly(file);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(file, owner);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    removeQuietly(file);
  }
}

function tryTake(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The pid in the lock file; null while its owner has not written it yet (or it is unreadable). */
function ownerOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
