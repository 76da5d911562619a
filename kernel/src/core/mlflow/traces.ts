/**
 * A cell run's model calls as one trace (`labtrail push --traces`), pure: a root span for the cell and
 * a span per call with the OpenTelemetry GenAI attributes MLflow 3 maps onto its span types and token
 * usage (`mlflow/tracing/otel/translation/genai_semconv.py`). The kernel's OTLP exporter only encodes
 * these. Trace and span ids come from the experiment and the record id, so the same record pushed to
 * the same experiment is always the same trace (and the same record in another experiment another one).
 */
import { canonicalJson } from "../records/canonical-json";
import { sha256Hex } from "../records/code-hash";
import type { ModelCallRecord } from "../records/schema";
import type { CellRunEntry } from "./mapping";

export type SpanAttributeValue = string | number | boolean | string[];

export interface PlannedSpan {
  name: string;
  /** 16 hex characters. */
  spanId: string;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
  attributes: Record<string, SpanAttributeValue>;
  error?: string;
}

export interface PlannedTrace {
  /** 32 hex characters. */
  traceId: string;
  root: PlannedSpan;
  calls: PlannedSpan[];
}

/** What a call sent and got back, read from its recording; absent when the recording is not there. */
export interface CallContent {
  operation: "chat" | "embeddings";
  /** The request's messages (chat) or input (embeddings). */
  input?: unknown;
  /** The answer's messages (chat); embeddings' vectors are left out. */
  output?: unknown;
}

export interface TraceOptions {
  runName: string;
  /** The MLflow experiment's id: MLflow's trace ids are unique across experiments. */
  experimentId: string;
  /** Put the calls' input and output messages on the spans (`--no-content` leaves them out). */
  content: boolean;
  contentOf?: (call: ModelCallRecord) => CallContent | undefined;
}

function startOf(startedAt: string): number {
  const time = Date.parse(startedAt);
  return Number.isFinite(time) ? time : 0;
}

/** The trace of a cell run's model calls; null for a cell that made none. */
export function planCellTrace(entry: CellRunEntry, options: TraceOptions): PlannedTrace | null {
  const { record } = entry;
  if (record.calls.length === 0) return null;
  const scope = `${options.experimentId} ${entry.id}`;
  const start = startOf(record.startedAt);
  const end = start + Math.max(0, Math.round(record.durationMs));
  const root: PlannedSpan = {
    name: options.runName,
    spanId: sha256Hex(`labtrail span ${scope} cell`).slice(0, 16),
    startTime: start,
    endTime: end,
    attributes: { "labtrail.record_id": entry.id, "labtrail.cell": record.cell, "labtrail.notebook": record.notebook },
    ...(record.error ? { error: `${record.error.ename}: ${record.error.evalue}` } : {}),
  };
  // Records keep each call's latency, not its start: calls are laid out in order, inside the cell's time.
  let offset = 0;
  const calls = record.calls.map((call, index): PlannedSpan => {
    const latency = Math.max(0, Math.round(call.latencyMs));
    const callStart = start + Math.min(offset, Math.max(0, end - start - latency));
    offset += latency;
    const content = options.contentOf?.(call);
    const operation = content?.operation ?? "chat";
    const requested = typeof call.params.model === "string" ? call.params.model : call.name;
    const attributes: Record<string, SpanAttributeValue> = {
      "gen_ai.operation.name": operation,
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": requested,
      "gen_ai.response.model": call.model,
      "labtrail.alias": call.name,
      "labtrail.replayed": call.replayed,
      "labtrail.request_hash": call.requestHash,
      "labtrail.sample": call.sample,
    };
    if (call.inputTokens !== null) attributes["gen_ai.usage.input_tokens"] = call.inputTokens;
    if (call.outputTokens !== null) attributes["gen_ai.usage.output_tokens"] = call.outputTokens;
    if (call.finishReason) attributes["gen_ai.response.finish_reasons"] = [call.finishReason];
    for (const [param, attribute] of [
      ["temperature", "gen_ai.request.temperature"],
      ["top_p", "gen_ai.request.top_p"],
      ["max_tokens", "gen_ai.request.max_tokens"],
      ["max_completion_tokens", "gen_ai.request.max_tokens"],
      ["seed", "gen_ai.request.seed"],
    ] as const) {
      const value = call.params[param];
      if (typeof value === "number") attributes[attribute] = value;
    }
    if (call.item) {
      attributes["labtrail.evaluation"] = call.item.evaluation;
      attributes["labtrail.item"] = call.item.item;
      attributes["labtrail.trial"] = call.item.trial;
    }
    if (options.content) {
      if (content?.input !== undefined) attributes["gen_ai.input.messages"] = canonicalJson(content.input) ?? "null";
      const output = content?.output ?? (call.answer !== undefined ? [{ role: "assistant", content: call.answer }] : undefined);
      if (output !== undefined) attributes["gen_ai.output.messages"] = canonicalJson(output) ?? "null";
    }
    return {
      name: `${operation} ${requested}`,
      spanId: sha256Hex(`labtrail span ${scope} call ${index}`).slice(0, 16),
      startTime: callStart,
      endTime: callStart + latency,
      attributes,
    };
  });
  return { traceId: sha256Hex(`labtrail trace ${scope}`).slice(0, 32), root, calls };
}
