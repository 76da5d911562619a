/**
 * Reads runs.jsonl. A line that does not parse is skipped and reported; a torn last line (a kernel
 * killed mid-write) is expected and said so plainly. Never throws.
 */
import { runRecordSchema, type RunRecord } from "./schema";

export interface RunsFile {
  records: RunRecord[];
  /** One line each, with its line number. */
  problems: string[];
}

export function parseRunsJsonl(text: string): RunsFile {
  const records: RunRecord[] = [];
  const problems: string[] = [];
  const lines = text.split("\n");
  // A complete file ends with "\n", so the last element is "" unless the last write was torn.
  const torn = lines.length > 0 && lines[lines.length - 1] !== "";
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(
        isLast && torn
          ? `line ${index + 1}: an incomplete last record (the kernel stopped while writing it); skipped`
          : `line ${index + 1}: not valid JSON; skipped`,
      );
      return;
    }
    const parsed = runRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    const version = (value as { v?: unknown } | null)?.v;
    problems.push(
      version !== undefined && version !== 1
        ? `line ${index + 1}: a record of version ${String(version)}, which this labtrail does not read; skipped`
        : `line ${index + 1}: not a run record (${parsed.error.issues[0].path.join(".") || "record"}: ${parsed.error.issues[0].message}); skipped`,
    );
  });
  return { records, problems };
}

/** The latest record of each cell, by cell identity. */
export function latestByCell(records: readonly RunRecord[]): Map<string, RunRecord> {
  const latest = new Map<string, RunRecord>();
  for (const record of records) latest.set(record.cell, record);
  return latest;
}
