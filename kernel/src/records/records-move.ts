// Moving a notebook's records folder with the notebook (a rename, a move, Save As): one rename when the
// target is free; otherwise the folder is first renamed into the target as `.adopting-<id>/` (so no new
// write can reach it, and a second kernel moving the same folder finds nothing to move), then merged:
// recordings sample by sample, run records appended unless the target has the same line already. Each
// step can be redone, so a kernel killed mid-merge leaves a `.adopting-` folder that the next kernel to
// open the target finishes (finishAdoptions); nothing is deleted before it is in the target.
import { randomUUID } from "node:crypto";
import { existsSync, lstatSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { RECORDINGS_FOLDER, type Redactor, RUNS_FILE } from "../core";
import { readLines } from "../files/read-file";
import { sha256 } from "./hash";
import { makeRecordsFolder, NotebookFolderMissing } from "./records-folder";
import { Recordings } from "./recordings";
import { appendRunsText } from "./run-store";

const ADOPTING_PREFIX = ".adopting-";

export type MoveOutcome =
  /** There was no folder to move. */
  | "nothing"
  /** The folder was renamed into place. */
  | "renamed"
  /** The target existed: the folder's records and recordings were merged into it. */
  | "merged"
  /** The source stays (its notebook is still there): its records and recordings were copied in. */
  | "copied";

export interface MoveOptions {
  /** Copy instead of move: the source's notebook still exists (Save As), so it keeps its own history. */
  keepSource: boolean;
  redactor: Redactor;
}

/** Moves (or copies) the records folder `from` to `to`, merging when `to` exists. Throws when the disk refuses. */
export function moveRecordsFolder(from: string, to: string, options: MoveOptions): MoveOutcome {
  if (!isDirectory(from)) return "nothing";
  if (!existsSync(dirname(to))) throw new NotebookFolderMissing(dirname(to));
  if (options.keepSource) {
    makeRecordsFolder(to);
    mergeFolder(from, to, false, options.redactor);
    return "copied";
  }
  try {
    renameSync(from, to);
    return "renamed";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EXDEV") {
      // Another file system: copied in, then removed once it is all in the target.
      makeRecordsFolder(to);
      mergeFolder(from, to, true, options.redactor);
      return "merged";
    }
    if (code !== "EEXIST" && code !== "ENOTEMPTY") throw error;
  }
  const staging = join(to, `${ADOPTING_PREFIX}${randomUUID()}`);
  try {
    renameSync(from, staging);
  } catch (error) {
    // Another kernel moved it first.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "nothing";
    throw error;
  }
  mergeFolder(staging, to, true, options.redactor);
  return "merged";
}

/** Finishes merges a killed kernel left in `folder` (its `.adopting-` folders). */
export function finishAdoptions(folder: string, redactor: Redactor): number {
  let entries: string[];
  try {
    entries = readdirSync(folder).filter((name) => name.startsWith(ADOPTING_PREFIX));
  } catch {
    return 0;
  }
  for (const name of entries) mergeFolder(join(folder, name), folder, true, redactor);
  return entries.length;
}

/** Merges the records folder `source` into `target`; `consume` removes from `source` what is safely in `target`. */
function mergeFolder(source: string, target: string, consume: boolean, redactor: Redactor): void {
  // Recordings first: a run record that names a recording never arrives before it.
  const recordingsFrom = join(source, RECORDINGS_FOLDER);
  if (isDirectory(recordingsFrom)) {
    const recordings = new Recordings(target, redactor);
    for (const name of readdirSync(recordingsFrom)) {
      const file = join(recordingsFrom, name);
      if (name.endsWith(".json") && !name.startsWith(".")) recordings.adopt(file, consume);
      else if (consume && /\.(lock|tmp)$/.test(name)) rmSync(file, { force: true }); // a dead writer's leftovers
    }
    if (consume) removeIfEmpty(recordingsFrom);
  }
  const runsFrom = join(source, RUNS_FILE);
  if (existsSync(runsFrom)) {
    appendMissingRuns(runsFrom, join(target, RUNS_FILE));
    if (consume) rmSync(runsFrom, { force: true });
  }
  if (!consume) return;
  // Anything else the user kept there moves too, unless the target has a file of that name.
  for (const name of readdirSync(source)) {
    const there = join(target, name);
    if (existsSync(there)) continue;
    try {
      renameSync(join(source, name), there);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error; // left in the source, not lost
    }
  }
  removeIfEmpty(source);
}

/** Appends to `target` the complete lines of `source` it does not hold yet, in one write. */
function appendMissingRuns(source: string, target: string): void {
  const held = new Set<string>();
  if (existsSync(target)) {
    for (const line of readLines(target)) if (typeof line === "string" && line.trim() !== "") held.add(sha256(line));
  }
  const missing: string[] = [];
  let previous: string | undefined;
  // One piece behind: the last piece of a file is either empty or a torn write, never a record.
  for (const line of readLines(source)) {
    if (previous !== undefined && previous.trim() !== "" && !held.has(sha256(previous))) {
      held.add(sha256(previous));
      missing.push(previous);
    }
    previous = typeof line === "string" ? line : undefined;
  }
  if (missing.length > 0) appendRunsText(target, `${missing.join("\n")}\n`, true);
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty (a file the target already had, kept rather than lost) or gone already
  }
}
