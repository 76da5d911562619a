// What the model layer reports about each call it made for a cell: the recorder keeps it in the run
// record, the kernel shows it in the usage line.

import type { CallItem } from "../core";

export interface ModelCallSummary {
  /** The evaluate() item the call was made for, when it was. */
  item?: CallItem;
  /** What the cell asked for: an alias or a model id. */
  name: string;
  /** The model that answered, as the endpoint reports it. */
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs: number;
  attempts: number;
  finishReason?: string;
  systemFingerprint?: string;
  streamed: boolean;
  /** The magic already showed this call's usage line. */
  shown: boolean;
  /** Answered from the recordings rather than live. */
  replayed: boolean;
  /** The request's parameters (everything but the messages). */
  params: Record<string, unknown>;
  requestHash: string;
  /** Which of the repeated identical calls in the cell this was (1-based). */
  sample: number;
  responseHash: string;
  /** The answer as text (the first choice's content, else its tool calls as JSON), for readable drift. */
  answer?: string;
}
