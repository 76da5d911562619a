// What a cell can use without importing anything (the kernel imports it for every notebook), and what
// code can import from "labtrail" for the types.
import { helperRuntime } from "./runtime";
import type { AskOptions, AssistantMessage, ChatMessage, EmbedOptions, ModelOptions, SchemaLike, StructuredOptions } from "./types";

export type {
  AskOptions,
  AssistantMessage,
  CallUsage,
  ChatMessage,
  ContentPart,
  EmbedOptions,
  ModelOptions,
  SchemaLike,
  StructuredOptions,
  ToolCall,
} from "./types";
export { evaluate, exact, includes, judge, matches, numericWithin } from "./evaluate";
export type {
  CompareOptions,
  Comparison,
  Evaluation,
  EvaluationItem,
  EvaluationSummary,
  EvaluationTotals,
  EvaluateOptions,
  JudgeOptions,
  Scorer,
  ScoreValue,
  Task,
  TaskContext,
  TrialResult,
  VariantOutput,
} from "./evaluate";
export { MODEL_ERROR_KINDS, ModelCallError, type ModelCallErrorDetails, type ModelErrorKind, StructuredOutputError } from "./model-errors";

/** Asks a model one question; resolves to the answer's text. `onUsage` is told what the call cost. */
export function ask(prompt: string, options: AskOptions = {}): Promise<string> {
  const { onUsage, ...modelOptions } = options;
  return helperRuntime().ask(prompt, modelOptions, { stream: false, onUsage });
}

/** Sends a conversation; resolves to the assistant's message (its text and tool calls, if any). */
export function chat(messages: ChatMessage[], options: ModelOptions = {}): Promise<AssistantMessage> {
  return helperRuntime().chat(messages, options);
}

/**
 * Asks for output shaped by a zod object schema (the API's structured output) and resolves to the
 * parsed, validated value; an answer that does not match is an error showing the raw output.
 */
export function structured<S extends SchemaLike>(
  schema: S,
  promptOrMessages: string | ChatMessage[],
  options: StructuredOptions = {},
): Promise<S["_output"]> {
  return helperRuntime().structured(schema, promptOrMessages, options, { stream: false }) as Promise<S["_output"]>;
}

/**
 * Embeds text as vectors through the embeddings API: a string gives its vector, an array one vector per
 * text in the same order (long arrays go in batches of `batchSize`, each recorded on its own).
 */
export function embed(text: string, options?: EmbedOptions): Promise<number[]>;
export function embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
export function embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<number[] | number[][]> {
  return helperRuntime().embed(input as string | string[], options);
}

/**
 * Records values with the cell's run — metrics (`accuracy: 0.87`) and notes (`note: "…"`) — and shows
 * them in one line. Rerunning the cell compares them with the previous run (numbers within the
 * configured tolerance). Values must be JSON: numbers, strings, booleans, null, arrays, objects.
 */
export function record(values: Record<string, unknown>): void {
  helperRuntime().record(values);
}

/** What `%%ask` cells compile to (see kernel/magics): the same calls, streamed and rendered in the cell. */
export const labtrail$magic = {
  ask(options: ModelOptions, prompt: string): Promise<string> {
    return helperRuntime().ask(prompt, options, { stream: true });
  },
  structured<S extends SchemaLike>(schema: S, options: StructuredOptions, prompt: string): Promise<S["_output"]> {
    return helperRuntime().structured(schema, prompt, options, { stream: true }) as Promise<S["_output"]>;
  },
};
