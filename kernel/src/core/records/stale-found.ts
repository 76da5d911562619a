/**
 * "Stale Found": a cell's `Found` written before its code or its results changed. From the cell's run
 * records (oldest first), against the run the Found was written against (its baseline):
 *
 *   - the code changed after the last run: the current code's hash differs from the latest record's;
 *   - the code changed after Found was written: a run since then was judged "changed";
 *   - the results changed after Found was written: the latest run's results differ from the baseline's.
 *     Only the latest run counts, so results that drifted and came back leave the Found standing.
 *
 * The baseline is the run the user confirmed the Found against ("Found still holds", a
 * `foundConfirmed` in the cell's metadata: cell-metadata.ts), when that confirmation is for this Found
 * and this code; otherwise it comes from the records: the first run whose header carried Found's text ran
 * after it was written, so Found describes the run before it (same code), or that run itself when it is
 * the cell's first. A Found that no record has seen was written after the last run, so only the first
 * sign applies to it. Pure: the caller hashes the current code (the kernel's code hash, records/code-hash.ts).
 */

import type { FoundConfirmation } from "../cell-metadata";
import type { NumberedRun } from "./evidence";
import { DEFAULT_TOLERANCE, judgeRun } from "./verdict";

export const STALE_FOUND_REASONS = ["code-changed", "results-drifted", "code-changed-since-found"] as const;
export type StaleFoundReason = (typeof STALE_FOUND_REASONS)[number];

export interface StaleFound {
  reason: StaleFoundReason;
  /** The run the sign comes from: the latest run, the first changed one, or the first drifted from the baseline. */
  run: number;
  /** One line, without the position. */
  message: string;
}

export interface StaleFoundOptions {
  /** The cell's "Found still holds" confirmation (parseFoundConfirmation of its metadata), if any. */
  confirmation?: FoundConfirmation | null;
  /** Largest difference between two numbers that still counts as the same (the config's verdicts.tolerance). */
  tolerance?: number;
}

/**
 * Whether `found` (the cell's current, filled-in Found) may be stale. `currentCodeHash` is the hash of
 * the cell's current code; `runs` are the cell's records, oldest first. Null when not stale, or when
 * there is no Found or no run to judge by.
 */
export function findStaleFound(
  found: string | undefined,
  currentCodeHash: string,
  runs: readonly NumberedRun[],
  options: StaleFoundOptions = {},
): StaleFound | null {
  if (!found || runs.length === 0) return null;
  const latest = runs[runs.length - 1];
  if (latest.record.codeHash !== currentCodeHash) {
    return {
      reason: "code-changed",
      run: latest.run,
      message: "Found may be stale: the code changed after the last run (rerun the cell and update Found)",
    };
  }
  const baseline = baselineIndex(found, currentCodeHash, runs, options.confirmation ?? null);
  if (baseline === null) return null;
  for (const { run, record } of runs.slice(baseline.firstJudged)) {
    if (record.verdict.kind === "changed") {
      return {
        reason: "code-changed-since-found",
        run,
        message: `Found may be stale: the code changed after Found was written (run ${run})`,
      };
    }
  }
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const base = runs[baseline.index].record;
  const differs = (candidate: NumberedRun) => judgeRun(base, candidate.record, { tolerance }).kind === "drifted";
  if (!differs(latest)) return null;
  // Name the run where the results first left the baseline (and stayed away: the latest still differs).
  const since = runs.slice(baseline.index + 1).find(differs) ?? latest;
  return {
    reason: "results-drifted",
    run: since.run,
    message: `Found may be stale: the results drifted after Found was written (run ${since.run})`,
  };
}

/**
 * Where the Found's baseline run is among `runs`, and from which run on a "changed" verdict means the
 * code changed under the Found; null when no run tells (the Found was written after the last run).
 */
function baselineIndex(
  found: string,
  currentCodeHash: string,
  runs: readonly NumberedRun[],
  confirmation: FoundConfirmation | null,
): { index: number; firstJudged: number } | null {
  if (confirmation && confirmation.found === found && confirmation.codeHash === currentCodeHash) {
    const confirmed = runs.findIndex(({ run, record }) => run === confirmation.run && record.codeHash === confirmation.codeHash);
    // The confirmed run itself is the baseline: only runs after it can take the confirmation back.
    if (confirmed !== -1) return { index: confirmed, firstJudged: confirmed + 1 };
  }
  const written = runs.findIndex(({ record }) => record.header.found === found);
  if (written === -1) return null;
  // The run that first carried this Found ran after it was written: its own verdict counts too. When it
  // reproduced or drifted, the run before it had the same code, and that is what Found describes.
  const kind = runs[written].record.verdict.kind;
  const index = written > 0 && (kind === "reproduced" || kind === "drifted") ? written - 1 : written;
  return { index, firstJudged: written };
}
