// record({ … }) in a cell: checks the values are JSON, keeps them with the cell's run, shows one line.
import { z } from "zod";
import { canonicalJson } from "../core";
import type { Display } from "../api/display";

const MAX_BYTES = 64 * 1024;
const valuesSchema = z.record(z.string().min(1, { error: "a value needs a name" }), z.unknown(), {
  error: "record() takes an object of named values, such as record({ accuracy: 0.87, n: 30 })",
});

export interface RecordingScope {
  readonly values: Record<string, unknown>;
  readonly display: Display;
}

export function recordValues(scope: RecordingScope | undefined, input: unknown): void {
  if (!scope) throw new Error("record() was called outside a running cell");
  const parsed = valuesSchema.safeParse(input);
  if (!parsed.success || Array.isArray(input)) {
    throw new TypeError(parsed.success ? "record() takes an object of named values, not an array" : parsed.error.issues[0].message);
  }
  const json: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new TypeError(`record(): "${name}" cannot be stored as JSON: ${(error as Error).message}`);
    }
    if (text === undefined) throw new TypeError(`record(): "${name}" is ${typeof value}, which cannot be stored as JSON`);
    if (typeof value === "number" && !Number.isFinite(value))
      throw new TypeError(`record(): "${name}" is ${value}, which cannot be stored as JSON`);
    json[name] = JSON.parse(text);
  }
  if (canonicalJson({ ...scope.values, ...json }).length > MAX_BYTES) {
    throw new RangeError(`record(): the recorded values exceed ${MAX_BYTES / 1024} KiB; record summaries (metrics, counts), not data sets`);
  }
  Object.assign(scope.values, json);
  scope.display({ data: { "text/plain": `recorded ${formatValues(json)}` }, metadata: { labtrail: { recorded: true } } }, false);
}

export function formatValues(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      const text = typeof value === "string" ? JSON.stringify(value) : canonicalJson(value);
      return `${name} ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
    })
    .join(" · ");
}
