/**
 * Sends a cell run's trace (core's planCellTrace) to MLflow's OTLP endpoint, `POST /v1/traces`, as
 * protobuf (MLflow takes no gRPC; the OpenTelemetry packages do the encoding, nothing hand-written),
 * with the headers that file it under an experiment and link it to the cell's run.
 */
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { type IdGenerator, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { PlannedSpan, PlannedTrace } from "../core";
import { MlflowError } from "./client";

export const OTLP_TRACES_PATH = "/v1/traces";

/** Hands out the planned ids in the order the SDK asks for them: the trace's, then each span's. */
class PlannedIds implements IdGenerator {
  private readonly spanIds: string[];
  constructor(
    private readonly traceId: string,
    planned: PlannedTrace,
  ) {
    this.spanIds = [planned.root.spanId, ...planned.calls.map((span) => span.spanId)];
  }
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
    const next = this.spanIds.shift();
    if (!next) throw new Error("more spans than planned");
    return next;
  }
}

export interface TraceTarget {
  baseUrl: string;
  experimentId: string;
  runId: string;
  authorization?: string;
}

export async function sendTrace(planned: PlannedTrace, target: TraceTarget, labtrailVersion: string): Promise<void> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    idGenerator: new PlannedIds(planned.traceId, planned),
    resource: resourceFromAttributes({ "service.name": "labtrail", "service.version": labtrailVersion }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("labtrail", labtrailVersion);
  const start = (span: PlannedSpan, parent = context.active()) =>
    tracer.startSpan(span.name, { startTime: span.startTime, attributes: span.attributes }, parent);
  const root = start(planned.root);
  const parent = trace.setSpan(context.active(), root);
  for (const call of planned.calls) start(call, parent).end(call.endTime);
  if (planned.root.error) root.setStatus({ code: SpanStatusCode.ERROR, message: planned.root.error });
  root.end(planned.root.endTime);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();

  const headers: Record<string, string> = { "x-mlflow-experiment-id": target.experimentId, "x-mlflow-run-id": target.runId };
  if (target.authorization) headers.Authorization = target.authorization;
  const exporter = new OTLPTraceExporter({ url: `${target.baseUrl}${OTLP_TRACES_PATH}`, headers, timeoutMillis: 30_000 });
  try {
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
    if (result.code !== ExportResultCode.SUCCESS) throw exportError(result.error);
  } finally {
    await exporter.shutdown();
    await provider.shutdown();
  }
}

/** The exporter's error as the client's: an HTTP status when the server answered, else no answer. */
function exportError(error: Error | undefined): MlflowError {
  const withCode = error as (Error & { code?: number | string; data?: string }) | undefined;
  const status = typeof withCode?.code === "number" ? withCode.code : null;
  const cause = (error?.cause as { code?: string } | undefined)?.code;
  return new MlflowError({
    failure: status === null ? "unreachable" : "http",
    status,
    endpoint: OTLP_TRACES_PATH,
    errorCode: null,
    detail: cause ?? withCode?.data ?? error?.message ?? "the OTLP export failed",
  });
}
