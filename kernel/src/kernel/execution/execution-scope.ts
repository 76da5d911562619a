// Everything that belongs to one execution: where its output goes, the signal that aborts its model
// calls when it is interrupted, and the calls it made. Async context carries it (see OutputRouter), so
// a callback the cell scheduled still finds its own execution.
import type { ModelCallSummary } from "../../records/model-call";
import type { CallScope } from "../../models/model-calls";
import type { OutputSink } from "./output-sink";
import type { DisplayData } from "../../api/display";
import type { EvaluationRecord } from "../../core";
import type { EvaluationScope } from "../../evaluation/evaluations";

export class ExecutionScope implements CallScope, EvaluationScope {
  private readonly abortController = new AbortController();
  readonly modelCalls: ModelCallSummary[] = [];
  /** What the cell passed to record(…), merged. */
  readonly values: Record<string, unknown> = {};
  /** What the cell's evaluate() calls found. */
  readonly evaluations: EvaluationRecord[] = [];
  private readonly samples = new Map<string, number>();
  private pendingCalls = 0;
  private whenSettled: (() => void) | undefined;

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

  callStarted(): () => void {
    this.pendingCalls++;
    let once = false;
    return () => {
      if (once) return;
      once = true;
      if (--this.pendingCalls === 0) this.whenSettled?.();
    };
  }

  /**
   * Settles once every model call the cell started has settled, awaited or not: a call belongs to the
   * cell that made it, so the cell's record holds it whether it was replayed at once or answered live
   * while the next cell ran.
   */
  callsSettled(): Promise<void> {
    if (this.pendingCalls === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.whenSettled = resolve;
    });
  }

  /** Aborts the execution's in-flight model requests. */
  interrupt(): void {
    this.abortController.abort();
  }
}
