/**
 * The Experiment Log's Recordings view: what is recorded beside a notebook (`recordings/*.json`, one
 * file per distinct request, named by the first 16 hex digits of the request's hash), which cell's
 * runs use each recording, when it was last used, and which ones no cell needs any more: those a prune
 * may delete. Pure and browser-safe; the panel reads the files through the contents API.
 */
import { z } from "zod";
import type { Notebook } from "../notebook/schema";
import { codeHash } from "../records/code-hash";
import { type NumberedRun, runsByCell } from "../records/evidence";
import type { RunRecord } from "../records/schema";

/** How much of a recording the view needs: lenient, so a newer writer's extra fields are no problem. */
const recordingFileSchema = z.object({
  v: z.number(),
  request: z.record(z.string(), z.unknown()),
  samples: z.array(z.unknown()),
});

/** The recording file of a request hash (the kernel's Recordings.fileFor). */
export function recordingFileName(requestHash: string): string {
  return `${requestHash.slice(0, 16)}.json`;
}

export interface RecordingFile {
  name: string;
  /** Bytes, as the contents API lists it; null when unknown. */
  size: number | null;
  /** The file's text; undefined when not read (the view then shows what the listing says). */
  text?: string;
  /** When the file was last written (ISO), as the contents API lists it. */
  lastModified?: string;
}

export interface RecordingRow {
  name: string;
  size: number | null;
  /** The model the request named; null when the file could not be read. */
  model: string | null;
  /** "chat" (messages) or "embeddings" (input); null when neither. */
  api: "chat" | "embeddings" | null;
  /** The request in one line: the last user message, or the first text to embed, clipped. */
  request: string | null;
  samples: number | null;
  /** Why the file could not be read, when it could not: not JSON, or JSON that is no recording. */
  problem: "not-json" | "not-a-recording" | null;
  /** The newest run that used it (`startedAt`); null when no record names it. */
  lastUsed: string | null;
  /** Numbers of the cells whose current runs use it. */
  cells: number[];
  /** No cell's current runs use it. */
  unused: boolean;
  /**
   * Unused, and written before the newest run record ended: a prune may delete it. A recording written
   * later belongs to a run whose record is not there yet (a cell running now, here or in another kernel).
   */
  prunable: boolean;
}

export const REQUEST_SUMMARY_CHARS = 80;

/**
 * The recordings, each with what it holds and who uses it. A cell's current runs are its latest run
 * and, when that one failed, its latest run that did not: a cell that failed before its model calls
 * still needs their recordings once it is fixed. Records of cells the notebook no longer has use none.
 */
export function buildRecordingRows(notebook: Notebook, records: readonly RunRecord[], files: readonly RecordingFile[]): RecordingRow[] {
  const usedBy = new Map<string, Set<number>>();
  let newestEnd = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const end = Date.parse(record.startedAt) + record.durationMs;
    if (Number.isFinite(end) && end > newestEnd) newestEnd = end;
  }
  const lastUsed = new Map<string, string>();
  for (const record of records) {
    for (const call of record.calls) lastUsed.set(recordingFileName(call.requestHash), record.startedAt);
  }
  const byCell = records.length > 0 ? runsByCell(notebook, records, { codeHash }) : new Map<number, NumberedRun[]>();
  for (const [index, runs] of byCell) {
    for (const record of currentRuns(runs)) {
      for (const call of record.calls) {
        const name = recordingFileName(call.requestHash);
        const cells = usedBy.get(name) ?? new Set<number>();
        usedBy.set(name, cells.add(index + 1));
      }
    }
  }
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((file) => {
      const cells = [...(usedBy.get(file.name) ?? [])].sort((a, b) => a - b);
      const written = file.lastModified === undefined ? Number.NaN : Date.parse(file.lastModified);
      // A second of slack: file times and record times come from different clocks' roundings.
      const settled = Number.isFinite(written) && written <= newestEnd + 1000;
      return {
        name: file.name,
        size: file.size,
        ...describeRecording(file.text),
        lastUsed: lastUsed.get(file.name) ?? null,
        cells,
        unused: cells.length === 0,
        prunable: cells.length === 0 && settled,
      };
    });
}

/** The latest run, and the latest run that did not fail when the latest did. */
function currentRuns(runs: readonly NumberedRun[]): RunRecord[] {
  const latest = runs[runs.length - 1].record;
  if (latest.status !== "error") return [latest];
  for (let i = runs.length - 2; i >= 0; i--) {
    if (runs[i].record.status !== "error") return [latest, runs[i].record];
  }
  return [latest];
}

type Description = Pick<RecordingRow, "model" | "api" | "request" | "samples" | "problem">;

export function describeRecording(text: string | undefined): Description {
  const none = { model: null, api: null, request: null, samples: null };
  if (text === undefined) return { ...none, problem: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...none, problem: "not-json" };
  }
  const parsed = recordingFileSchema.safeParse(json);
  if (!parsed.success) return { ...none, problem: "not-a-recording" };
  const { request, samples } = parsed.data;
  const model = typeof request.model === "string" ? request.model : null;
  if (Array.isArray(request.messages)) {
    return { model, api: "chat", request: clip(lastUserText(request.messages)), samples: samples.length, problem: null };
  }
  if (request.input !== undefined) {
    const texts = Array.isArray(request.input) ? request.input : [request.input];
    const first = typeof texts[0] === "string" ? texts[0] : JSON.stringify(texts[0] ?? "");
    const summary = texts.length === 1 ? clip(first) : `${texts.length} × ${clip(first, REQUEST_SUMMARY_CHARS - 8)}`;
    return { model, api: "embeddings", request: summary, samples: samples.length, problem: null };
  }
  return { model, api: null, request: null, samples: samples.length, problem: null };
}

/** The text of the last user message (or of the last message, when none is the user's). */
function lastUserText(messages: unknown[]): string {
  const objects = messages.filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null);
  const message = [...objects].reverse().find((m) => m.role === "user") ?? objects[objects.length - 1];
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        typeof part === "object" && part !== null && typeof (part as { text?: unknown }).text === "string"
          ? (part as { text: string }).text
          : "",
      )
      .join(" ");
  }
  return "";
}

function clip(text: string, max = REQUEST_SUMMARY_CHARS): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A file size as people read it: `812 B`, `4.2 KB`, `1.3 MB` (1 KB = 1024 B). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return "–";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
