// A streamed answer, read from the SDK's raw chunk stream and put together here rather than by the
// SDK's stream helper, whose accumulator refuses what real servers send: deltas without a `role`
// (many gateways), a first chunk with no choices (Azure's prompt_filter_results), a choice without a
// `delta`, no usage at all. Reasoning deltas (`reasoning_content`, `reasoning`) are kept apart from
// the answer, as the endpoint sent them. The request itself still goes through the SDK: its retries,
// backoff, timeout and abort.
import type { ChatCompletion, ChatCompletionCreateParamsStreaming, OpenAIClient } from "./sdk";

/** What has arrived of the first choice, for the view that shows it growing. */
export interface StreamProgress {
  answer: string;
  reasoning: string;
}

/** The fields reasoning models and their servers put their thinking under, in delta and message alike. */
const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

interface ToolCallSoFar {
  id?: string;
  type: string;
  function: { name: string; arguments: string };
}

interface ChoiceSoFar {
  index: number;
  role?: string;
  content: string | null;
  refusal: string | null;
  reasoning: Partial<Record<(typeof REASONING_FIELDS)[number], string>>;
  toolCalls: Map<number, ToolCallSoFar>;
  finishReason: string | null;
  logprobs: { content: unknown[] | null; refusal: unknown[] | null } | null;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Puts chunks together into the chat completion the same request would have got unstreamed. */
export class CompletionAccumulator {
  private id = "";
  private model = "";
  private created = 0;
  private systemFingerprint: string | undefined;
  private serviceTier: string | undefined;
  private usage: Loose | undefined;
  private readonly choices = new Map<number, ChoiceSoFar>();

  /** Takes one chunk; true when it added to the first choice's answer or reasoning. */
  add(chunk: unknown): boolean {
    if (!isObject(chunk)) return false;
    // Azure's first chunk has an empty id and model: the first non-empty ones are the completion's.
    if (!this.id && text(chunk.id)) this.id = text(chunk.id)!;
    if (!this.model && text(chunk.model)) this.model = text(chunk.model)!;
    if (!this.created && typeof chunk.created === "number") this.created = chunk.created;
    this.systemFingerprint ??= text(chunk.system_fingerprint) || undefined;
    this.serviceTier ??= text(chunk.service_tier) || undefined;
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    let grew = false;
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (isObject(choice) && this.addChoice(choice) && (choice.index ?? 0) === 0) grew = true;
    }
    return grew;
  }

  /** The first choice so far. */
  progress(): StreamProgress {
    const first = this.choices.get(0);
    return { answer: first?.content ?? "", reasoning: first ? reasoningText(first.reasoning) : "" };
  }

  completion(): ChatCompletion {
    const choices = [...this.choices.values()].sort((a, b) => a.index - b.index).map((choice) => finishChoice(choice));
    return {
      id: this.id,
      object: "chat.completion",
      created: this.created,
      model: this.model,
      choices,
      ...(this.usage ? { usage: this.usage } : {}),
      ...(this.systemFingerprint ? { system_fingerprint: this.systemFingerprint } : {}),
      ...(this.serviceTier ? { service_tier: this.serviceTier } : {}),
    } as ChatCompletion;
  }

  /** True when the choice's answer or reasoning grew. */
  private addChoice(choice: Loose): boolean {
    const index = typeof choice.index === "number" ? choice.index : 0;
    let soFar = this.choices.get(index);
    if (!soFar) {
      soFar = { index, content: null, refusal: null, reasoning: {}, toolCalls: new Map(), finishReason: null, logprobs: null };
      this.choices.set(index, soFar);
    }
    if (text(choice.finish_reason)) soFar.finishReason = text(choice.finish_reason)!;
    if (isObject(choice.logprobs)) {
      soFar.logprobs ??= { content: null, refusal: null };
      for (const key of ["content", "refusal"] as const) {
        const items = choice.logprobs[key];
        if (Array.isArray(items)) soFar.logprobs[key] = [...(soFar.logprobs[key] ?? []), ...items];
      }
    }
    const delta = choice.delta;
    if (!isObject(delta)) return false;
    let grew = false;
    if (text(delta.role)) soFar.role = text(delta.role);
    const content = text(delta.content);
    if (content !== undefined) {
      soFar.content = (soFar.content ?? "") + content;
      grew ||= content !== "";
    }
    if (text(delta.refusal) !== undefined) soFar.refusal = (soFar.refusal ?? "") + text(delta.refusal);
    for (const field of REASONING_FIELDS) {
      const piece = text(delta[field]);
      if (piece === undefined) continue;
      soFar.reasoning[field] = (soFar.reasoning[field] ?? "") + piece;
      grew ||= piece !== "";
    }
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      if (!isObject(call)) continue;
      const at = typeof call.index === "number" ? call.index : soFar.toolCalls.size;
      const known = soFar.toolCalls.get(at) ?? { type: "function", function: { name: "", arguments: "" } };
      soFar.toolCalls.set(at, known);
      if (text(call.id)) known.id = text(call.id);
      if (text(call.type)) known.type = text(call.type)!;
      const fn = isObject(call.function) ? call.function : {};
      if (text(fn.name)) known.function.name = text(fn.name)!;
      if (text(fn.arguments)) known.function.arguments += text(fn.arguments);
    }
    return grew;
  }
}

function finishChoice(choice: ChoiceSoFar): ChatCompletion["choices"][number] {
  const toolCalls = [...choice.toolCalls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, call]) => ({ id: call.id ?? `call_${choice.index}_${at}`, type: call.type, function: call.function }));
  const message = {
    // Gateways that send no role still send the assistant's answer.
    role: choice.role ?? "assistant",
    content: choice.content,
    refusal: choice.refusal,
    ...choice.reasoning,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
  return {
    index: choice.index,
    message,
    finish_reason: choice.finishReason,
    logprobs: choice.logprobs,
  } as ChatCompletion["choices"][number];
}

function reasoningText(fields: Partial<Record<(typeof REASONING_FIELDS)[number], string>>): string {
  // Concatenation, not join: called per chunk, it must not copy the whole text each time.
  return (fields.reasoning_content ?? "") + (fields.reasoning ?? "");
}

/** The reasoning a message carries (streamed or not, live or replayed), "" when none. */
export function reasoningOf(message: unknown): string {
  if (!isObject(message)) return "";
  return (text(message.reasoning_content) ?? "") + (text(message.reasoning) ?? "");
}

export interface StreamRequest {
  body: Record<string, unknown>;
  timeout: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
}

/** Sends the request streamed and reads it to the end, telling `onProgress` after each piece of the first choice. */
export async function streamCompletion(
  client: OpenAIClient,
  request: StreamRequest,
  onProgress: (progress: StreamProgress) => void,
): Promise<ChatCompletion> {
  const { body, ...options } = request;
  const streamed = { ...body, stream: true, stream_options: { include_usage: true } } as ChatCompletionCreateParamsStreaming;
  const chunks = await client.chat.completions.create(streamed, options);
  const accumulator = new CompletionAccumulator();
  // Read as unknown: what arrives is whatever the server sent, not what the SDK's types promise.
  for await (const chunk of chunks as AsyncIterable<unknown>) {
    if (accumulator.add(chunk)) onProgress(accumulator.progress());
  }
  return accumulator.completion();
}
