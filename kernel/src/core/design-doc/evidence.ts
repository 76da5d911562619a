/**
 * What the design-doc draft needs from run records; records/evidence.ts (`buildEvidence`) fills it
 * from the records beside the notebook. The renderer reads only this shape, so the record format can
 * evolve on its own; without evidence the draft says, in one line, that there are no run records yet.
 */

import type { RerunVerdictKind } from "../records/schema";

export interface ModelUsage {
  model: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  /** Calls answered from the replay cache rather than live. */
  replayed: number;
}

export interface CellEvidence {
  /** The cell's number (notebook/cell-number.ts, the same numbering as `labtrail lint`). */
  cell: number;
  /** When set, the evidence belongs to the cell with this id wherever it now sits. */
  cellId?: string | null;
  /** The run this evidence comes from: the record's 1-based place in runs.jsonl (as `labtrail runs` numbers it). */
  run: number;
  /** The latest rerun's verdict against the run before it, when there was a rerun. */
  rerun?: { verdict: Exclude<RerunVerdictKind, "new">; detail?: string };
  models: ModelUsage[];
  /** Values passed to `record(...)` (an evaluation's summary is under `evaluations` instead). */
  metrics: Readonly<Record<string, string | number | boolean>>;
  /** Each evaluate() of the run: its variants' summaries, side by side. Absent when there were none. */
  evaluations?: EvaluationEvidence[];
}

/** One evaluate() call's results, as the draft shows them: what reproduces (scores, counts), not latency. */
export interface EvaluationEvidence {
  name: string;
  /** The score names, in the cell's order. */
  scores: string[];
  /** One per variant (a single entry with variant null for a plain evaluation). */
  /** `runs` is items × trials. */
  variants: { variant: string | null; n: number; runs: number; errors: number; means: Record<string, number | null> }[];
}

export interface DesignDocEvidence {
  /**
   * ISO 8601 times of the earliest and latest of the runs behind the cells' results: for each cell, the
   * run that first gave its latest result (reruns that reproduced it since do not move these). Absent
   * when no record belongs to a cell of the notebook.
   */
  firstRunAt?: string;
  lastRunAt?: string;
  cells: CellEvidence[];
  /** The command that reruns the notebook against its recordings, shown at the end. */
  reproduceCommand?: string;
}
