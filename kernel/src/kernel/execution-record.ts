// The kernel's side of recording a run: it tallies what a cell printed and returned, hands the finished
// execution to the recorder, and shows the verdict and any write failure in the cell, so the protocol
// server only speaks protocol.
import type { RerunVerdict } from "../core";
import { sha256 } from "../records/hash";
import type { FinishedExecution, OutputTally, Recorder } from "../records/recorder";
import type { ExecutionScope } from "./execution/execution-scope";
import type { OutputPublisher } from "./execution/output-sink";

/** How much of a cell's printed text and result a run record keeps. */
const TEXT_KEPT = 1000;
const RESULT_KEPT = 500;

/** What the server knows of a run; the outputs, model calls and values come from the record and the scope. */
export type RunFacts = Omit<FinishedExecution, "outputs" | "calls" | "values">;

export class ExecutionRecord {
  private readonly tally: OutputTally = { count: 0, bytes: 0, text: "", result: null, resultHash: null };

  /** The publisher, counting what passes through it into the tally. */
  tallying(publisher: OutputPublisher): OutputPublisher {
    return {
      stream: (name, text) => {
        this.tally.count++;
        this.tally.bytes += Buffer.byteLength(text);
        if (this.tally.text.length < TEXT_KEPT) this.tally.text = (this.tally.text + text).slice(0, TEXT_KEPT);
        publisher.stream(name, text);
      },
      display: (data, update) => {
        // An update of a display already shown is not another output.
        if (!update) this.tally.count++;
        publisher.display(data, update);
      },
    };
  }

  /** The cell's value, as its text/plain. */
  returned(text: string): void {
    Object.assign(this.tally, { result: text.slice(0, RESULT_KEPT), resultHash: sha256(text) });
  }

  /**
   * Records the run, shows its verdict in the cell (for experiments, and for any drift) and a line when
   * the record could not be written. The verdict, for the reply.
   */
  finish(recorder: Recorder, run: RunFacts, scope: ExecutionScope): RerunVerdict {
    const finished = recorder.finish({
      ...run,
      outputs: this.tally,
      calls: scope.modelCalls,
      values: scope.values,
      evaluations: scope.evaluations,
    });
    const experiment = scope.modelCalls.length > 0 || Object.keys(scope.values).length > 0;
    if (experiment || finished.verdict.kind === "drifted") {
      scope.sink.display(
        { data: { "text/plain": finished.verdict.summary }, metadata: { labtrail: { verdict: finished.verdict.kind } } },
        false,
      );
    }
    if (finished.writeError) scope.sink.write("stderr", `labtrail: ${finished.writeError}; the cell ran, its run record is lost\n`);
    return finished.verdict;
  }
}
