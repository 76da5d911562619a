// Everything that belongs to one execution: where its output goes, the signal that aborts its model
// calls when it is interrupted, and the calls it made. Async context carries it (see OutputRouter), so
// a callback the cell scheduled still finds its own execution.
import type { ModelCallSummary } from "../../records/model-call";
import type { CallScope } from "../../models/model-calls";
import type { OutputSink } from "./output-sink";
import type { DisplayData } from "../../api/display";

export class ExecutionScope implements CallScope {
  private readonly abortController = new AbortController();
  readonly modelCalls: ModelCallSummary[] = [];
  /** What the cell passed to record(…), merged. */
  readonly values: Record<string, unknown> = {};
  private readonly samples = new Map<string, number>();

  constructor(readonly sink: OutputSink) {}

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  readonly display = (data: DisplayData, update: boolean): void => this.sink.display(data, update);

  nextSample(requestHash: string): number {
    const next = (this.samples.get(requestHash) ?? 0) + 1;
    this.samples.set(requestHash, next);
    return next;
  }

  warn(text: string): void {
    this.sink.write("stderr", `${text}\n`);
  }

  /** Aborts the execution's in-flight model requests. */
  interrupt(): void {
    this.abortController.abort();
  }
}
