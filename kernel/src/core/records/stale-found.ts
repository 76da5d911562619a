/**
 * "Stale Found": a cell's `Found` written before its code or its results changed. Two signs, from the
 * cell's run records (oldest first):
 *
 *   - the code changed after the last run: the current code's hash differs from the latest record's;
 *   - the results changed after Found was written: Found's current text was in the header of some run
 *     (so it was written before that run), and that run or a later one was judged drifted or changed.
 *
 * A Found that no record has seen was written after the last run, so only the first sign applies to it.
 * Pure: the caller hashes the current code (the kernel's code hash, records/code-hash.ts).
 */

import type { NumberedRun } from "./evidence";

export type StaleFoundReason = "code-changed" | "results-drifted" | "code-changed-since-found";

export interface StaleFound {
  reason: StaleFoundReason;
  /** The run the sign comes from: the latest run, or the first drifted/changed one. */
  run: number;
  /** One line, without the position. */
  message: string;
}

/**
 * Whether `found` (the cell's current, filled-in Found) may be stale. `currentCodeHash` is the hash of
 * the cell's current code; `runs` are the cell's records, oldest first. Null when not stale, or when
 * there is no Found or no run to judge by.
 */
export function findStaleFound(found: string | undefined, currentCodeHash: string, runs: readonly NumberedRun[]): StaleFound | null {
  if (!found || runs.length === 0) return null;
  const latest = runs[runs.length - 1];
  if (latest.record.codeHash !== currentCodeHash) {
    return {
      reason: "code-changed",
      run: latest.run,
      message: "Found may be stale: the code changed after the last run (rerun the cell and update Found)",
    };
  }
  const written = runs.findIndex(({ record }) => record.header.found === found);
  if (written === -1) return null;
  // The run that first carried this Found ran after it was written: its own verdict counts too.
  // The first run of a cell is "new" (nothing before it to differ from).
  for (const { run, record } of runs.slice(written)) {
    const kind = record.verdict.kind;
    if (kind === "drifted") {
      return { reason: "results-drifted", run, message: `Found may be stale: the results drifted after Found was written (run ${run})` };
    }
    if (kind === "changed") {
      return {
        reason: "code-changed-since-found",
        run,
        message: `Found may be stale: the code changed after Found was written (run ${run})`,
      };
    }
  }
  return null;
}
