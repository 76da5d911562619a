// The replay cache: recorded model answers beside the notebook, one readable JSON file per distinct
// request (keyed by the canonical request's hash — never headers), each holding numbered samples so
// repeated identical calls replay in order. A recording is checked against its request before it is
// replayed. Files are written whole (temp file, then rename) under a lock file, merged with what is on
// disk, so two kernels on one notebook never drop each other's samples.
import { closeSync, copyFileSync, existsSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { readRegularText } from "../files/read-file";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { canonicalJson, RECORDINGS_FOLDER } from "../core";
import type { Redactor } from "../core";
import { fileError } from "../files/file-errors";
import { writeFileAtomic } from "../files/write-file";
import { makeRecordsFolder } from "./records-folder";

const recordingSchema = z.object({
  v: z.literal(1),
  request: z.record(z.string(), z.unknown()),
  samples: z.array(z.object({ recordedAt: z.string(), response: z.record(z.string(), z.unknown()) }).nullable()),
});
type Recording = z.output<typeof recordingSchema>;

/** What replay needs of a response, by the API it came from: a chat completion with choices that carry a message… */
const chatCompletionSchema = z.object({
  object: z.literal("chat.completion").optional(),
  choices: z.array(z.object({ message: z.record(z.string(), z.unknown()) })),
});

/** …or an embeddings list whose entries carry their vector and its place in the input. */
export const embeddingsResponseSchema = z.object({
  object: z.literal("list").optional(),
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

const RESPONSE_SHAPES = {
  chat: { schema: chatCompletionSchema, what: "a chat completion" },
  embeddings: { schema: embeddingsResponseSchema, what: "an embeddings response" },
} as const;
export type RecordedApi = keyof typeof RESPONSE_SHAPES;

/** The part of a request that decides its answer: the body without how it is delivered. */
export function requestKey(body: Record<string, unknown>): Record<string, unknown> {
  const { stream: _stream, stream_options: _options, ...key } = body;
  return key;
}

export type RecordingLookup =
  | { kind: "hit"; response: Record<string, unknown> }
  | { kind: "miss" }
  /** The file is there but cannot be replayed: `problem` says why and names the file. */
  | { kind: "invalid"; problem: string };

/** What reading one recording file gave. */
type FileState = { kind: "absent" } | { kind: "ok"; recording: Recording } | { kind: "corrupt"; why: string };

/** A lock older than this was left by a kernel that died while writing. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export class Recordings {
  private readonly loaded = new Map<string, FileState>();

  constructor(
    folder: string,
    private readonly redactor: Redactor,
  ) {
    this.folder = join(folder, RECORDINGS_FOLDER);
  }

  readonly folder: string;

  fileFor(hash: string): string {
    return join(this.folder, `${hash.slice(0, 16)}.json`);
  }

  /** Sample `sample` (1-based) of the request, checked against the request and the API's response shape before it is handed out. */
  lookup(hash: string, request: Record<string, unknown>, sample: number, api: RecordedApi = "chat"): RecordingLookup {
    let state = this.loaded.get(hash);
    // Another kernel on this notebook may have recorded the sample since this one read the file.
    if (state === undefined || state.kind !== "ok" || !state.recording.samples[sample - 1]) state = this.readFile(hash);
    const file = this.fileFor(hash);
    if (state.kind === "absent") return { kind: "miss" };
    if (state.kind === "corrupt") return { kind: "invalid", problem: `the recording ${file} is corrupt (${state.why})` };
    if (!this.sameRequest(state.recording.request, request)) {
      return {
        kind: "invalid",
        problem: `the recording ${file} holds another request than the one it is filed under (${describeRequest(state.recording.request)}, not ${describeRequest(request)})`,
      };
    }
    const response = state.recording.samples[sample - 1]?.response;
    if (!response) return { kind: "miss" };
    const shape = RESPONSE_SHAPES[api];
    const checked = shape.schema.safeParse(response);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const at = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      return { kind: "invalid", problem: `sample ${sample} of the recording ${file} is not ${shape.what} (${at}${issue?.message})` };
    }
    return { kind: "hit", response };
  }

  /**
   * Stores (or replaces) one sample, merged with the file as it is on disk now (another kernel may have
   * added samples). A file that is corrupt or holds another request is replaced. Throws one clear line
   * when the disk refuses.
   */
  store(hash: string, request: Record<string, unknown>, sample: number, response: Record<string, unknown>): void {
    const file = this.fileFor(hash);
    try {
      // The records folder first (beside the notebook, never the notebook's own), then recordings/ in it.
      makeRecordsFolder(dirname(this.folder));
      makeRecordsFolder(this.folder);
      this.withLock(file, () => {
        const current = this.readFile(hash);
        const fresh: Recording = { v: 1, request: this.redactor.redactKnownValue(request), samples: [] };
        const recording =
          current.kind === "ok" && this.sameRequest(current.recording.request, request)
            ? { ...current.recording, samples: [...current.recording.samples] }
            : fresh;
        while (recording.samples.length < sample - 1) recording.samples.push(null);
        // What the model said is stored as it said it; only the secrets the kernel knows are replaced.
        recording.samples[sample - 1] = { recordedAt: new Date().toISOString(), response: this.redactor.redactKnownValue(response) };
        writeFileAtomic(file, `${canonicalJson(recording, 2)}\n`);
        this.loaded.set(hash, { kind: "ok", recording });
      });
    } catch (error) {
      throw new Error(`cannot save the recording ${file}: ${fileError(error)}`);
    }
  }

  private sameRequest(stored: Record<string, unknown>, request: Record<string, unknown>): boolean {
    return canonicalJson(stored) === canonicalJson(this.redactor.redactKnownValue(request));
  }

  /**
   * Takes in a recording file from another records folder (the notebook was renamed or copied): moved
   * or copied when this folder has none of that name, else its samples fill the ones this file lacks
   * (this folder's own samples win). Under the file's lock, as `store` writes.
   */
  adopt(source: string, consume: boolean): void {
    const file = join(this.folder, basename(source));
    makeRecordsFolder(dirname(this.folder));
    makeRecordsFolder(this.folder);
    // Whether the source is in this folder now (or held nothing replayable), so a move may remove it.
    let taken = true;
    this.withLock(file, () => {
      if (!existsSync(file)) {
        // Across file systems a rename fails (EXDEV): copied, and the source removed below.
        if (!consume || !renamedAcross(source, file)) copyFileSync(source, file);
        return;
      }
      const mine = readRecordingFile(file);
      const theirs = readRecordingFile(source);
      if (theirs.kind !== "ok") return; // nothing replayable to take over
      if (mine.kind !== "ok") {
        writeFileAtomic(file, `${canonicalJson(theirs.recording, 2)}\n`);
        return;
      }
      // Another request under the same file name: neither is dropped; the source stays where it is.
      if (canonicalJson(mine.recording.request) !== canonicalJson(theirs.recording.request)) {
        taken = false;
        return;
      }
      const samples = [...mine.recording.samples];
      theirs.recording.samples.forEach((sample, index) => {
        if (!samples[index]) samples[index] = sample;
      });
      for (let index = 0; index < samples.length; index++) samples[index] ??= null;
      if (samples.length !== mine.recording.samples.length || samples.some((sample, index) => sample !== mine.recording.samples[index])) {
        writeFileAtomic(file, `${canonicalJson({ ...mine.recording, samples }, 2)}\n`);
      }
    });
    if (consume && taken) rmSync(source, { force: true });
    this.loaded.clear();
  }

  private readFile(hash: string): FileState {
    const state = readRecordingFile(this.fileFor(hash));
    this.loaded.set(hash, state);
    return state;
  }

  /** Runs `body` holding `<file>.lock` (created exclusively); a lock left by a dead kernel is taken over. */
  private withLock(file: string, body: () => void): void {
    const lock = `${file}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lock, "wx"));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (lockAge(lock) > STALE_LOCK_MS) {
          rmSync(lock, { force: true });
          continue;
        }
        if (Date.now() > deadline) throw new Error(`${lock} is held by another kernel; remove it if none is running`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      }
    }
    try {
      body();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** Renames `source` to `file`; false when they are on different file systems. */
function renamedAcross(source: string, file: string): boolean {
  try {
    renameSync(source, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EXDEV") return false;
    throw error;
  }
}

function readRecordingFile(file: string): FileState {
  let text: string;
  try {
    text = readRegularText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { kind: "absent" } : { kind: "corrupt", why: fileError(error) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "corrupt", why: `not valid JSON, truncated perhaps: ${(error as Error).message}` };
  }
  const parsed = recordingSchema.safeParse(json);
  return parsed.success
    ? { kind: "ok", recording: parsed.data }
    : {
        kind: "corrupt",
        why: `not a labtrail recording: ${parsed.error.issues[0]?.path.join(".") || "(root)"}: ${parsed.error.issues[0]?.message}`,
      };
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // gone already: the next try takes it
  }
}

/** Enough of a request to recognise it: its model and the start of its last message (or first text to embed). */
function describeRequest(request: Record<string, unknown>): string {
  if (Array.isArray(request.input)) {
    const text = String(request.input[0] ?? "")
      .replace(/\s+/g, " ")
      .trim();
    const count = request.input.length === 1 ? "" : `${request.input.length} texts, `;
    return `model "${String(request.model)}", ${count}text "${text.length > 40 ? `${text.slice(0, 39)}…` : text}"`;
  }
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const last = messages[messages.length - 1] as { content?: unknown } | undefined;
  const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  const first = text.replace(/\s+/g, " ").trim();
  return `model "${String(request.model)}", prompt "${first.length > 40 ? `${first.slice(0, 39)}…` : first}"`;
}
