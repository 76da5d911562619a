// The types cells see. Deliberately small and self-contained (no openai or zod type imports): the
// kernel type-checks every cell against them, so they must load fast. They match the shapes of the
// OpenAI Chat Completions API, so values pass straight through to the SDK and back.

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } };

export type ChatMessage =
  | { role: "system" | "developer"; content: string; name?: string }
  | { role: "user"; content: string | ContentPart[]; name?: string }
  | { role: "assistant"; content?: string | null; tool_calls?: ToolCall[]; refusal?: string | null; name?: string }
  | { role: "tool"; content: string; tool_call_id: string };

/** What `chat()` returns: the assistant's message, ready to push back onto the conversation. */
export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
  refusal?: string | null;
}

/**
 * Options of one model call. Named options are translated (`maxTokens` → `max_tokens`, or
 * `max_completion_tokens` for reasoning models; `reasoningEffort` → `reasoning_effort`; `system` → a
 * leading system message); every other key is passed to the API as it is (`top_p`, `tools`, …).
 */
export interface ModelOptions {
  /** A model id or an alias from labtrail.config.json; default: the config's `models.default`. */
  model?: string;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  /** A system prompt, sent as the first message. */
  system?: string;
  /** How hard a reasoning model thinks, sent as `reasoning_effort` (the endpoint decides which words it takes). */
  reasoningEffort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | (string & {});
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries of 429, 5xx and connection failures (backoff honours Retry-After). */
  maxRetries?: number;
  [param: string]: unknown;
}

/** What one call cost, as its usage line shows it; tokens are missing when the endpoint did not say. */
export interface CallUsage {
  /** The model that answered, as the endpoint named it. */
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs: number;
  /** True when the answer came from the notebook's recordings, not the endpoint. */
  replayed: boolean;
}

export interface AskOptions extends ModelOptions {
  /** Called with the call's usage once the answer is in; never sent to the API. */
  onUsage?: (usage: CallUsage) => void;
}

export interface StructuredOptions extends ModelOptions {
  /** The name the JSON schema is sent under (default "result"). */
  schemaName?: string;
}

/**
 * Options of `embed()`. `dimensions` and every key not named here (`user`, …) are passed to the
 * embeddings API as they are; the texts go as `input`.
 */
export interface EmbedOptions {
  /** A model id or an alias from labtrail.config.json; default: the config's `models.defaultEmbedding`. */
  model?: string;
  /** The length of each vector, for models that can shorten theirs (text-embedding-3-*). */
  dimensions?: number;
  /** Texts per request (default 512; OpenAI takes at most 2048): a longer array is sent in batches, in order. */
  batchSize?: number;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries of 429, 5xx and connection failures (backoff honours Retry-After). */
  maxRetries?: number;
  [param: string]: unknown;
}

/** A zod schema (v3 or v4), seen only through the type of the value it parses to. */
export interface SchemaLike<Output = unknown> {
  readonly _output: Output;
}
