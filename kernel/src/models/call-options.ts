// What a cell passes to ask/chat/structured, checked at the boundary with zod, and turned into the
// request body the API expects.
import { z } from "zod";
import { ModelCallError } from "./call-errors";
import type { ModelTarget } from "./targets";

const optionsSchema = z.looseObject({
  model: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  system: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  schemaName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

const messagesSchema = z
  .array(z.looseObject({ role: z.enum(["system", "developer", "user", "assistant", "tool"]) }), {
    error: 'expected an array of messages such as { role: "user", content: "…" }',
  })
  .min(1, { error: "expected at least one message" });

/** Keys labtrail sets itself; a cell setting them is a mistake worth a clear error. */
const MANAGED = ["messages", "stream", "stream_options", "response_format"];

export type CallOptions = z.output<typeof optionsSchema>;

export function parseOptions(fn: string, options: unknown, allow: { responseFormat?: boolean } = {}): CallOptions {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw badInput(fn, "options", parsed.error);
  for (const key of MANAGED) {
    if (key in parsed.data && !(key === "response_format" && allow.responseFormat)) {
      throw new ModelCallError(
        "bad-input",
        `${fn}(): options.${key} is set by labtrail; ${key === "response_format" ? "use structured() for structured output" : "leave it out"}`,
      );
    }
  }
  return parsed.data;
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
  const { model: _model, temperature, maxTokens, seed, system, timeoutMs, maxRetries, schemaName: _schemaName, ...passThrough } = options;
  const body: PreparedRequest["body"] = {
    ...target.params,
    ...passThrough,
    model: target.model,
    messages: system !== undefined ? [{ role: "system", content: system }, ...messages] : messages,
  };
  if (temperature !== undefined) body.temperature = temperature;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (seed !== undefined) body.seed = seed;
  return { body, timeoutMs: timeoutMs ?? target.timeoutMs, maxRetries: maxRetries ?? target.maxRetries };
}

function badInput(fn: string, what: string, error: z.ZodError): ModelCallError {
  const issue = error.issues[0];
  const path = issue.path.length ? `${what}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : what;
  return new ModelCallError("bad-input", `${fn}(): ${path}: ${issue.message}`);
}
