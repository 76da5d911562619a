// The replay cache: recorded model answers beside the notebook, one readable JSON file per distinct
// request (keyed by the canonical request's hash — never headers), each holding numbered samples so
// repeated identical calls replay in order. Files are written whole (temp file, then rename).
import { mkdirSync } from "node:fs";
import { readRegularText } from "../files/read-file";
import { join } from "node:path";
import { z } from "zod";
import { canonicalJson, RECORDINGS_FOLDER } from "../core";
import type { Redactor } from "../core";
import { fileError } from "../files/file-errors";
import { writeFileAtomic } from "../files/write-file";

const recordingSchema = z.object({
  v: z.literal(1),
  request: z.record(z.string(), z.unknown()),
  samples: z.array(z.object({ recordedAt: z.string(), response: z.record(z.string(), z.unknown()) }).nullable()),
});
type Recording = z.output<typeof recordingSchema>;

/** The part of a request that decides its answer: the body without how it is delivered. */
export function requestKey(body: Record<string, unknown>): Record<string, unknown> {
  const { stream: _stream, stream_options: _options, ...key } = body;
  return key;
}

export class Recordings {
  private readonly loaded = new Map<string, Recording | null>();

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

  /** The recorded response for sample `sample` (1-based) of the request, if there is one. */
  lookup(hash: string, sample: number): Record<string, unknown> | undefined {
    return this.read(hash)?.samples[sample - 1]?.response;
  }

  /** Stores (or replaces) one sample. Throws one clear line when the disk refuses. */
  store(hash: string, request: Record<string, unknown>, sample: number, response: Record<string, unknown>): void {
    const current = this.read(hash);
    const recording: Recording = current ? { ...current, samples: [...current.samples] } : { v: 1, request, samples: [] };
    while (recording.samples.length < sample - 1) recording.samples.push(null);
    recording.samples[sample - 1] = { recordedAt: new Date().toISOString(), response };
    const file = this.fileFor(hash);
    try {
      mkdirSync(this.folder, { recursive: true });
      writeFileAtomic(file, `${this.redactor.redact(canonicalJson(recording, 2))}\n`);
    } catch (error) {
      throw new Error(`cannot save the recording ${file}: ${fileError(error)}`);
    }
    this.loaded.set(hash, recording);
  }

  private read(hash: string): Recording | null {
    const cached = this.loaded.get(hash);
    if (cached !== undefined) return cached;
    let recording: Recording | null = null;
    try {
      const parsed = recordingSchema.safeParse(JSON.parse(readRegularText(this.fileFor(hash))));
      if (parsed.success) recording = parsed.data;
    } catch {
      // not recorded yet; a broken file counts as missing and is rewritten on the next store
    }
    this.loaded.set(hash, recording);
    return recording;
  }
}
