// The link between the helpers cells call and the kernel that serves them. It lives on globalThis
// under a registered symbol, so every copy of this package a notebook may load finds the one kernel.
import type { AssistantMessage, CallUsage, ChatMessage, EmbedOptions, ModelOptions, SchemaLike, StructuredOptions } from "./types";

/** How an answer is shown while it arrives: the magic streams and renders it; helpers stay quiet. */
export interface Presentation {
  stream: boolean;
  /** Told the call's usage when it has answered (`ask(prompt, { onUsage })`). */
  onUsage?: (usage: CallUsage) => void;
}

export interface HelperRuntime {
  ask(prompt: string, options: ModelOptions, presentation: Presentation): Promise<string>;
  chat(messages: ChatMessage[], options: ModelOptions): Promise<AssistantMessage>;
  structured(schema: SchemaLike, input: string | ChatMessage[], options: StructuredOptions, presentation: Presentation): Promise<unknown>;
  /** One vector for a string, one per text (in order) for an array. */
  embed(input: string | string[], options: EmbedOptions): Promise<number[] | number[][]>;
  record(values: Record<string, unknown>): void;
  /** evaluate(name, options): the options as the cell passed them, checked by the kernel. */
  evaluate(name: string, options: object): Promise<unknown>;
  /** A judge's verdict on one output: 1 when it meets the criteria, else 0. */
  judge(criteria: string, output: string, input: string, options: StructuredOptions): Promise<number>;
}

const RUNTIME = Symbol.for("labtrail.helperRuntime");
type Registry = { [RUNTIME]?: HelperRuntime };

export function bindHelperRuntime(runtime: HelperRuntime): void {
  (globalThis as Registry)[RUNTIME] = runtime;
}

export function helperRuntime(): HelperRuntime {
  const runtime = (globalThis as Registry)[RUNTIME];
  if (!runtime) {
    throw new Error('labtrail\'s model helpers run inside the labtrail kernel: pick the "TypeScript (labtrail)" kernel for this notebook');
  }
  return runtime;
}
