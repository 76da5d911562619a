// runs.jsonl beside the notebook: append-only, one write per record. O_APPEND makes each write land
// whole at the end of the file, so two kernels on one notebook never interleave a record, and a kernel
// killed mid-run loses at most the record it was writing (readers skip a torn last line). A record
// written while another kernel moved the folder away (the notebook was renamed) is written again
// where the path now leads, so the move never swallows it; the merge skips the duplicate.
import { closeSync, fstatSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { RUNS_FILE, type RunRecord, scanRunsLines } from "../core";
import { fileError } from "../files/file-errors";
import { readLines } from "../files/read-file";
import { makeRecordsFolder, NotebookFolderMissing } from "./records-folder";

export class RunStore {
  private latest: Map<string, RunRecord> | undefined;
  private folderMade = false;
  /** The notebook's folder is missing: said once, then records are skipped until it exists. */
  private missingReported = false;
  private endChecked = false;
  /** What the reader skipped in the existing file (a torn last line, say). */
  problems: string[] = [];

  /** Records arrive redacted (the recorder redacts before it judges). */
  constructor(readonly folder: string) {}

  get file(): string {
    return join(this.folder, RUNS_FILE);
  }

  /** The cell's latest record, from this session or the file. */
  previous(cell: string): RunRecord | undefined {
    return this.index().get(cell);
  }

  /** Appends one record; throws one clear line when the disk refuses. */
  append(record: RunRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    try {
      try {
        this.write(line);
      } catch (error) {
        // The folder was moved away since the last record (another kernel followed a rename): made anew.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || error instanceof NotebookFolderMissing) throw error;
        this.folderMade = false;
        this.endChecked = false;
        this.write(line);
      }
    } catch (error) {
      this.folderMade = false;
      this.endChecked = false;
      if (error instanceof NotebookFolderMissing) {
        if (this.missingReported) return;
        this.missingReported = true;
        throw error;
      }
      throw new Error(`cannot write the run record to ${this.file}: ${fileError(error)}`);
    }
    this.index().set(record.cell, record);
  }

  private write(line: string): void {
    if (!this.folderMade) makeRecordsFolder(this.folder);
    this.folderMade = true;
    // Checked once: every record this kernel (or another) writes ends with a newline.
    const landed = appendRunsText(this.file, line, !this.endChecked);
    this.endChecked = true;
    if (!landed) {
      // The folder moved away under the write: the record went with it, and goes here once more.
      makeRecordsFolder(this.folder);
      appendRunsText(this.file, line, true);
    }
  }

  private index(): Map<string, RunRecord> {
    if (this.latest) return this.latest;
    const latest = new Map<string, RunRecord>();
    try {
      // Line by line, keeping only each cell's latest: the file grows with every run, without bound.
      this.problems = scanRunsLines(readLines(this.file), (record) => latest.set(record.cell, record));
    } catch (error) {
      // No records yet; or unreadable (a FIFO, a directory): said once, and the first append says why.
      const code = (error as NodeJS.ErrnoException).code;
      this.problems = code === "ENOENT" ? [] : [`cannot read ${this.file}: ${fileError(error)}`];
    }
    this.latest = latest;
    return this.latest;
  }
}

/**
 * Appends whole lines to a runs.jsonl in one write; after a torn write (a kernel killed mid-record)
 * starts on a fresh line, when asked to check. False when the file was moved away while it was written
 * (the text went with it; nothing is at `file` now, or another file is).
 */
export function appendRunsText(file: string, text: string, checkTornEnd: boolean): boolean {
  const fd = openSync(file, "a+");
  try {
    let torn = false;
    if (checkTornEnd) {
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    }
    writeSync(fd, torn ? `\n${text}` : text);
    return sameFile(fd, file);
  } finally {
    closeSync(fd);
  }
}

function sameFile(fd: number, file: string): boolean {
  try {
    const open = fstatSync(fd);
    const there = statSync(file);
    return open.ino === there.ino && open.dev === there.dev;
  } catch {
    return false;
  }
}
