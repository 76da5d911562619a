// What a cell passes to ask/chat/structured, checked at the boundary with zod, and turned into the
// request body the API expects.
import { z } from "zod";
import { ModelCallError } from "./call-errors";
import type { ModelTarget } from "./targets";

/** How a rejected value reads in a message: strings quoted, so `"0"` and `0` are told apart. */
function shown(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** A message that names the rule, then what was given. */
const rule =
  (text: string) =>
  (issue: { input?: unknown }): string =>
    `${text}, got ${shown(issue.input)}`;

const expectsNumberBetween = (low: number, high: number) => rule(`must be between ${low} and ${high}`);

/** Keys that labtrail sets itself, and why; a cell setting them is a mistake worth a clear error. */
const MANAGED_KEYS = {
  messages: "is set by labtrail; leave it out",
  stream: "is set by labtrail; leave it out",
  stream_options: "is set by labtrail; leave it out",
  response_format: "is set by labtrail; use structured() for structured output",
} as const;

const managedKeys = Object.fromEntries(
  Object.entries(MANAGED_KEYS).map(([key, why]) => [key, z.never({ error: () => why }).optional()]),
) as { [K in keyof typeof MANAGED_KEYS]: z.ZodOptional<z.ZodNever> };

/** The rules of the named options, each once: chat calls and embeddings both draw on them. */
const optionRules = {
  model: z.string({ error: rule("expects a model name") }).min(1, { error: rule("expects a model name") }),
  temperature: z
    .number({ error: rule("expects a number") })
    .min(0, { error: expectsNumberBetween(0, 2) })
    .max(2, { error: expectsNumberBetween(0, 2) }),
  maxTokens: z
    .number({ error: rule("expects a positive integer") })
    .int({ error: rule("expects a positive integer") })
    .positive({ error: rule("expects a positive integer") }),
  seed: z.number({ error: rule("expects an integer") }).int({ error: rule("expects an integer") }),
  system: z.string({ error: rule("expects a string") }),
  // Any word: endpoints add efforts ("none", "xhigh") faster than a list here would follow.
  reasoningEffort: z
    .string({ error: rule('expects a word such as "low", "medium" or "high"') })
    .regex(/^[a-z]+$/, { error: rule('expects a word such as "low", "medium" or "high"') }),
  timeoutMs: z
    .number({ error: rule("expects a positive integer (milliseconds)") })
    .int({ error: rule("expects a positive integer (milliseconds)") })
    .positive({ error: rule("expects a positive integer (milliseconds)") }),
  maxRetries: z
    .number({ error: rule("expects an integer between 0 and 10") })
    .int({ error: rule("expects an integer between 0 and 10") })
    .min(0, { error: expectsNumberBetween(0, 10) })
    .max(10, { error: expectsNumberBetween(0, 10) }),
  schemaName: z.string({ error: rule("expects a name") }).regex(/^[A-Za-z0-9_-]{1,64}$/, {
    error: rule("expects 1 to 64 letters, digits, _ or -"),
  }),
};

/**
 * The one definition of what a model call accepts: the helpers check their options with it, and
 * `%%ask` converts its flags' strings and hands them here, so a rule and its message live once.
 */
const optionsSchema = z
  .looseObject({ ...optionRules, ...managedKeys }, { error: rule("expects an object of options such as { temperature: 0 }") })
  .partial();

/** Most inputs OpenAI takes in one embeddings request. */
export const MAX_EMBEDDING_BATCH = 2048;

/** Keys embed() sets itself, or that belong to chat calls, not to embeddings. */
const EMBED_REFUSED_KEYS = {
  input: "is set by labtrail from the texts; leave it out",
  encoding_format: "is set by labtrail: embed() asks for numbers; leave it out",
  temperature: "is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  maxTokens: "is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  seed: "is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  system: "is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  reasoningEffort: "is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  schemaName: "is for structured(); embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
  messages: "is for chat models; embed() takes the texts as its first argument",
} as const;

/** embed()'s options: the same rules for what it shares with chat calls, and its own two. */
const embedOptionsSchema = z
  .looseObject(
    {
      model: optionRules.model,
      timeoutMs: optionRules.timeoutMs,
      maxRetries: optionRules.maxRetries,
      dimensions: z
        .number({ error: rule("expects a positive integer") })
        .int({ error: rule("expects a positive integer") })
        .positive({ error: rule("expects a positive integer") }),
      batchSize: z
        .number({ error: rule(`expects an integer between 1 and ${MAX_EMBEDDING_BATCH}`) })
        .int({ error: rule(`expects an integer between 1 and ${MAX_EMBEDDING_BATCH}`) })
        .min(1, { error: expectsNumberBetween(1, MAX_EMBEDDING_BATCH) })
        .max(MAX_EMBEDDING_BATCH, { error: expectsNumberBetween(1, MAX_EMBEDDING_BATCH) }),
      ...(Object.fromEntries(Object.entries(EMBED_REFUSED_KEYS).map(([key, why]) => [key, z.never({ error: () => why }).optional()])) as {
        [K in keyof typeof EMBED_REFUSED_KEYS]: z.ZodOptional<z.ZodNever>;
      }),
    },
    { error: rule("expects an object of options such as { dimensions: 256 }") },
  )
  .partial();

const messagesSchema = z
  .array(z.looseObject({ role: z.enum(["system", "developer", "user", "assistant", "tool"]) }), {
    error: 'expected an array of messages such as { role: "user", content: "…" }',
  })
  .min(1, { error: "expected at least one message" });

export type CallOptions = z.output<typeof optionsSchema>;
export type EmbedCallOptions = z.output<typeof embedOptionsSchema>;

/** A rejected option: the key it is about (none when the options as a whole are wrong) and why. */
export interface OptionsProblem {
  key?: string;
  /** Reads after the option's name: "must be between 0 and 2, got 5". */
  message: string;
}

export type OptionsCheck = { ok: true; options: CallOptions } | { ok: false; problem: OptionsProblem };

/** Checks call options against the one schema; the caller names the option in its own syntax. */
export function checkCallOptions(options: unknown): OptionsCheck {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (parsed.success) return { ok: true, options: parsed.data };
  return { ok: false, problem: problemOf(parsed.error) };
}

/** embed()'s options (`embed(texts, { dimensions: 256 })`): a problem is a ModelCallError naming `options.key`. */
export function parseEmbedOptions(options: unknown): EmbedCallOptions {
  const parsed = embedOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const { key, message } = problemOf(parsed.error);
  throw new ModelCallError("bad-input", `embed(): ${key === undefined ? "options" : `options.${key}`} ${message}`);
}

function problemOf(error: z.ZodError): OptionsProblem {
  const issue = error.issues[0];
  const [first, ...rest] = issue.path;
  const key =
    first === undefined ? undefined : `${String(first)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
  return { key, message: issue.message };
}

/** The helpers' options (`ask("…", { temperature: 0 })`): a problem is a ModelCallError naming `options.key`. */
export function parseOptions(fn: string, options: unknown): CallOptions {
  const checked = checkCallOptions(options);
  if (checked.ok) return checked.options;
  const { key, message } = checked.problem;
  throw new ModelCallError("bad-input", `${fn}(): ${key === undefined ? "options" : `options.${key}`} ${message}`);
}

export function parseMessages(fn: string, messages: unknown): { role: string }[] {
  const parsed = messagesSchema.safeParse(messages);
  if (!parsed.success) throw badInput(fn, "messages", parsed.error);
  return parsed.data;
}

export function parsePrompt(fn: string, prompt: unknown): string {
  if (typeof prompt !== "string")
    throw new ModelCallError("bad-input", `${fn}(): the prompt must be a string, got ${prompt === null ? "null" : typeof prompt}`);
  if (prompt.trim() === "") throw new ModelCallError("bad-input", `${fn}(): the prompt is empty`);
  return prompt;
}

export interface PreparedRequest {
  body: Record<string, unknown> & { model: string; messages: unknown[] };
  timeoutMs: number;
  maxRetries: number;
}

/** The alias's default parameters, then the call's: named options translated, the rest passed through. */
export function buildRequest(target: ModelTarget, options: CallOptions, messages: unknown[]): PreparedRequest {
  const {
    model: _model,
    temperature,
    maxTokens,
    seed,
    system,
    reasoningEffort,
    timeoutMs,
    maxRetries,
    schemaName: _schemaName,
    ...passThrough
  } = options;
  const body: PreparedRequest["body"] = {
    ...target.params,
    ...passThrough,
    model: target.model,
    messages: system !== undefined ? [{ role: "system", content: system }, ...messages] : messages,
  };
  if (temperature !== undefined) body.temperature = temperature;
  // Always max_tokens here, so the recording key does not depend on the spelling an endpoint needs:
  // reasoning-models.ts respells it as the request goes out.
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (seed !== undefined) body.seed = seed;
  if (reasoningEffort !== undefined) body.reasoning_effort = reasoningEffort;
  return { body, timeoutMs: timeoutMs ?? target.timeoutMs, maxRetries: maxRetries ?? target.maxRetries };
}

function badInput(fn: string, what: string, error: z.ZodError): ModelCallError {
  const issue = error.issues[0];
  const path = issue.path.length ? `${what}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : what;
  return new ModelCallError("bad-input", `${fn}(): ${path}: ${issue.message}`);
}
