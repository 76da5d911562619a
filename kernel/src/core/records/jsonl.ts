/**
 * Reads runs.jsonl. A line that does not parse is skipped and reported; a torn last line (a kernel
 * killed mid-write) is expected and said so plainly. Never throws. The file is read line by line
 * (`scanRunsLines`), so its size is bounded by the disk, not by the longest string V8 can hold.
 */
import { runRecordSchema, type RunRecord } from "./schema";

export interface RunsFile {
  records: RunRecord[];
  /** One line each, with its line number. */
  problems: string[];
}

/** A line the reader did not keep because it is longer than it reads whole (its length in bytes). */
export interface OverlongLine {
  overlongBytes: number;
}

/**
 * One element per "\n"-separated piece of the file, as `text.split("\n")` gives them: a complete file
 * ends with an empty piece, so a last piece with text is a torn write.
 */
export type RunsLine = string | OverlongLine;

export function parseRunsJsonl(text: string): RunsFile {
  return parseRunsLines(text.split("\n"));
}

export function parseRunsLines(lines: Iterable<RunsLine>): RunsFile {
  const records: RunRecord[] = [];
  const problems = scanRunsLines(lines, (record) => records.push(record));
  return { records, problems };
}

/** Hands each readable record to `onRecord`, in file order; returns the problems, one line each. */
export function scanRunsLines(lines: Iterable<RunsLine>, onRecord: (record: RunRecord) => void): string[] {
  const problems: string[] = [];
  let index = 0;
  let previous: RunsLine | undefined;
  // One piece behind, so the last piece is known as the last (a torn write, when it has text).
  for (const line of lines) {
    if (previous !== undefined) scanLine(previous, index++, false, onRecord, problems);
    previous = line;
  }
  if (previous !== undefined) scanLine(previous, index, true, onRecord, problems);
  return problems;
}

function scanLine(line: RunsLine, index: number, isLast: boolean, onRecord: (record: RunRecord) => void, problems: string[]): void {
  if (typeof line !== "string") {
    problems.push(`line ${index + 1}: ${Math.round(line.overlongBytes / 2 ** 20)} MiB long, not a run record; skipped`);
    return;
  }
  if (line.trim() === "") return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    problems.push(
      isLast
        ? `line ${index + 1}: an incomplete last record (the kernel stopped while writing it); skipped`
        : `line ${index + 1}: not valid JSON; skipped`,
    );
    return;
  }
  const parsed = runRecordSchema.safeParse(value);
  if (parsed.success) {
    onRecord(parsed.data);
    return;
  }
  const version = (value as { v?: unknown } | null)?.v;
  problems.push(
    version !== undefined && version !== 1
      ? `line ${index + 1}: a record of version ${String(version)}, which this labtrail does not read; skipped`
      : `line ${index + 1}: not a run record (${parsed.error.issues[0].path.join(".") || "record"}: ${parsed.error.issues[0].message}); skipped`,
  );
}

/** The latest record of each cell, by cell identity. */
export function latestByCell(records: readonly RunRecord[]): Map<string, RunRecord> {
  const latest = new Map<string, RunRecord>();
  for (const record of records) latest.set(record.cell, record);
  return latest;
}
