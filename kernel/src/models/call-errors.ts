// Every way a model call fails becomes one ModelCallError whose message says what happened, where,
// and what to do — redacted, so a key an endpoint echoes back never reaches the cell.
import { ModelCallError, type ModelErrorKind } from "../api/model-errors";
import type { Redactor } from "../core";
import { unsupportedParameter } from "./reasoning-models";
import { openaiSdk } from "./sdk";
import type { ModelTarget } from "./targets";

// The classes are part of the contract cells see (they catch them); they live in api/.
export { ModelCallError, StructuredOutputError, type ModelCallErrorDetails, type ModelErrorKind } from "../api/model-errors";

export interface FailureContext {
  target: ModelTarget;
  /** Requests sent for this call, retries included. */
  attempts: number;
  /** Characters of the answer received before the failure (streaming). */
  received: number;
  /** Names of the configured aliases, for "not found" hints. */
  aliases: string[];
  redactor: Redactor;
  /** What the endpoint should have answered with; default "a chat completion". */
  expected?: string;
}

export function describeFailure(error: unknown, context: FailureContext): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const { target, attempts, redactor } = context;
  const at = target.baseURL;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const sdk = openaiSdk();
  const requestId = (error as { requestID?: unknown } | null)?.requestID;
  const fail = (kind: ModelErrorKind, message: string, status?: number) =>
    new ModelCallError(kind, redactor.redact(message), {
      status,
      cause: error,
      requestId: typeof requestId === "string" && requestId !== "" ? requestId : undefined,
    });

  if (error instanceof sdk.APIUserAbortError) return fail("interrupted", `the request to ${at} was aborted`);
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return fail(
      "timeout",
      `no answer from ${at} within ${seconds(target.timeoutMs)}${tries}; raise "timeoutMs" (config or call options) if the model is slow`,
    );
  }
  if (error instanceof sdk.APIConnectionError) {
    const cause = rootCause(error);
    if (context.received > 0)
      return fail("stream-cut", `the answer's stream from ${at} broke off after ${context.received} characters: ${cause}`);
    if (/ECONNREFUSED/.test(cause))
      return fail("connection", `cannot connect to ${at}: connection refused${tries} — is the server running, and is the base URL right?`);
    return fail("connection", `cannot reach ${at}${tries}: ${cause}`);
  }
  if (error instanceof sdk.APIError && typeof error.status === "number") {
    const status = error.status;
    const said = serverMessage(error);
    const key = target.apiKeyEnv ?? "(no key configured)";
    switch (true) {
      case status === 401:
        return fail("unauthorized", `${at} rejected the API key from ${key} (401): ${said}`, status);
      case status === 403:
        return fail("forbidden", `the API key from ${key} may not use ${target.model} at ${at} (403): ${said}`, status);
      case status === 404: {
        const aliases = context.aliases.length ? `configured aliases: ${context.aliases.join(", ")}` : "no aliases are configured";
        return fail("not-found", `model "${target.model}" was not found at ${at} (404): ${said} (${aliases}; %models lists them)`, status);
      }
      case status === 429: {
        const wait = retryAfter(error.headers);
        return fail(
          "rate-limited",
          `rate limited by ${at} (429)${tries || " (no retries configured)"}${wait ? `; it asked to wait ${wait}` : ""}: ${said}`,
          status,
        );
      }
      case status === 400 && unsupportedParameter(error) !== undefined:
        return fail("unsupported-parameter", unsupportedMessage(target, unsupportedParameter(error)!), status);
      case status >= 500:
        return fail("server-error", `${at} failed with ${status}${tries}: ${said}`, status);
      default:
        return fail("rejected", `${at} rejected the request (${status}): ${said}`, status);
    }
  }
  if (context.received > 0)
    return fail("stream-cut", `the answer's stream from ${at} broke off after ${context.received} characters: ${rootCause(error)}`);
  // A 200 whose body is not a completion (malformed JSON, an HTML error page from a proxy).
  return fail("bad-response", `${at} sent a response that is not ${context.expected ?? "a chat completion"}: ${rootCause(error)}`);
}

/** How a cell sets each request parameter labtrail translates: the option, and the %%ask flag. */
const OPTION_OF_PARAM: Readonly<Record<string, readonly [string, string]>> = {
  temperature: ["temperature", "--temperature"],
  max_tokens: ["maxTokens", "--max-tokens"],
  max_completion_tokens: ["maxTokens", "--max-tokens"],
  seed: ["seed", "--seed"],
  reasoning_effort: ["reasoningEffort", "--reasoning-effort"],
};

/** A parameter the model refuses: which, the endpoint's words, and where the cell or config sets it. */
function unsupportedMessage(target: ModelTarget, refused: { param: string; value: boolean; message: string }): string {
  const [option, flag] = OPTION_OF_PARAM[refused.param] ?? [refused.param, `--param ${refused.param}=…`];
  const alias = target.alias ? `, or the "params" of the alias "${target.alias}"` : "";
  const where = `options.${option}, ${flag} in %%ask${alias}`;
  const fix =
    option === "maxTokens"
      ? `leave out maxTokens (${where}), or set "tokenLimitParam" on the alias to the spelling the endpoint takes`
      : `leave out ${option} (${where})${refused.value ? "; the model takes only its default value" : ""}`;
  return `model "${target.model}" at ${target.baseURL} does not accept ${refused.param} (400): ${refused.message.trim().replace(/[.\s]+$/, "")}; ${fix}`;
}

/** How long a 429 asked to wait, as the SDK reads it: `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
function retryAfter(headers: { get(name: string): string | null } | undefined): string | undefined {
  const ms = headers?.get("retry-after-ms")?.trim();
  if (ms && Number.isFinite(Number(ms))) return `${ms} ms`;
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  return /^\d+(\.\d+)?$/.test(value) ? `${value} s` : `until ${value}`;
}

function serverMessage(error: { error?: unknown; message: string; status?: number }): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === "string" && body.message) return body.message;
  return error.message.replace(/^\d{3}\s+/, "") || "no message";
}

function rootCause(error: unknown): string {
  let current: unknown = error;
  const seen = new Set<unknown>();
  let text = error instanceof Error ? error.message : String(error);
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as NodeJS.ErrnoException).code;
    text = code && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
