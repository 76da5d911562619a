/**
 * `runs/log-batch` requests within MLflow's limits (mlflow/utils/validation.py): at most 1000 items in
 * all, 1000 metrics, 100 params, 100 tags and 1 MB of JSON per request. The server refuses a batch over
 * a limit, so splitting is the client's job (mlflow/mlflow#6049). Also the names and values MLflow
 * accepts: keys of 250 characters from a small alphabet, params of 6000 and tags of 8000 characters.
 */
import type { MlflowKeyValue, MlflowMetric } from "./schema";

export const LOG_BATCH_LIMITS = {
  items: 1000,
  metrics: 1000,
  params: 100,
  tags: 100,
  /** MLflow's MAX_BATCH_LOG_REQUEST_SIZE; the envelope (`{"run_id": …}`) is kept out of it below. */
  bytes: 1_000_000,
} as const;

export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;

/** Room for `{"run_id":"…","metrics":[],"params":[],"tags":[]}` around the items. */
const ENVELOPE_BYTES = 200;

export interface RunData {
  metrics: MlflowMetric[];
  params: MlflowKeyValue[];
  tags: MlflowKeyValue[];
}

const encoder = new TextEncoder();
function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * Splits a run's data into log-batch payloads, each within every limit, in order: params first (a
 * run's params are what MLflow's UI lists it by), then tags, then metrics. An item over the byte limit on
 * its own cannot happen after `paramValue`/`tagValue` clipping, so every item finds a batch.
 */
export function chunkRunData(data: RunData, limits: typeof LOG_BATCH_LIMITS = LOG_BATCH_LIMITS): RunData[] {
  const batches: RunData[] = [];
  let current: RunData = { metrics: [], params: [], tags: [] };
  let bytes = ENVELOPE_BYTES;
  const items = () => current.metrics.length + current.params.length + current.tags.length;
  const add = <K extends keyof RunData>(kind: K, item: RunData[K][number], limit: number) => {
    // +1 for the comma between items.
    const size = jsonBytes(item) + 1;
    if (current[kind].length >= limit || items() >= limits.items || bytes + size > limits.bytes) {
      batches.push(current);
      current = { metrics: [], params: [], tags: [] };
      bytes = ENVELOPE_BYTES;
    }
    (current[kind] as RunData[K][number][]).push(item);
    bytes += size;
  };
  for (const param of data.params) add("params", param, limits.params);
  for (const tag of data.tags) add("tags", tag, limits.tags);
  for (const metric of data.metrics) add("metrics", metric, limits.metrics);
  if (items() > 0) batches.push(current);
  return batches;
}

/**
 * A metric or param name MLflow accepts: letters, digits, `_ - . space /` (the colon is refused on
 * Windows servers, so it goes too), no empty, `.` or `..` path segment (names may become file paths),
 * at most MAX_KEY_LENGTH characters.
 */
export function mlflowKey(name: string): string {
  const segments = name
    .replace(/[^A-Za-z0-9_.\- /]/g, "_")
    .split("/")
    .map((segment) => (segment === "." || segment === ".." ? segment.replace(/\./g, "_") : segment))
    .filter((segment) => segment !== "");
  const key = segments.join("/") || "_";
  return key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
}

/** Clipped to MLflow's limit, marked with an ellipsis, so the same record always sends the same value. */
export function clipValue(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
