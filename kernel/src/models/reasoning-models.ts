// What reasoning models (OpenAI's o-series and gpt-5 family, on OpenAI or behind an Azure deployment)
// accept differently: their token limit is `max_completion_tokens`, not `max_tokens`. The spelling
// sent is decided per endpoint and model (the alias's word, else what the endpoint taught this kernel,
// else the model id), while the recording key keeps the request as the cell wrote it.
import { TOKEN_LIMIT_PARAMS, type TokenLimitParam } from "../config";
import { openaiSdk } from "./sdk";
import type { ModelTarget } from "./targets";

export { TOKEN_LIMIT_PARAMS, type TokenLimitParam };

// o1, o3-mini, o4-mini-2025-04-16, gpt-5, gpt-5.1-codex … also inside a deployment name such as
// "prod-o3-mini" or "gpt-5-eu"; not "gpt-4o" or "gpt-50".
const REASONING_MODEL = /(^|[^a-z0-9])(o[134](-|$|[^a-z0-9])|gpt-5([.-]|$))/i;

export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model);
}

/** A parameter (or a value of it) the endpoint refused by name, as OpenAI's 400s say it. */
export interface UnsupportedParameter {
  param: string;
  /** The parameter is known but that value is not ("Unsupported value: 'temperature' does not support 0"). */
  value: boolean;
  /** The endpoint's own message. */
  message: string;
}

/**
 * Reads a 400 that refuses one parameter: `Unsupported parameter: 'max_tokens' is not supported with
 * this model. Use 'max_completion_tokens' instead.` (code unsupported_parameter), or `Unsupported
 * value: 'temperature' does not support 0 …` (unsupported_value). Other 400s give undefined.
 */
export function unsupportedParameter(error: unknown): UnsupportedParameter | undefined {
  if (!(error instanceof openaiSdk().APIError) || error.status !== 400) return undefined;
  const body = (error.error ?? {}) as { message?: unknown; param?: unknown; code?: unknown };
  const message = typeof body.message === "string" ? body.message : error.message;
  const said = /Unsupported (parameter|value): '([^']+)'/i.exec(message);
  const code = typeof body.code === "string" ? body.code : undefined;
  if (!said && code !== "unsupported_parameter" && code !== "unsupported_value") return undefined;
  const param = typeof body.param === "string" && body.param !== "" ? body.param : said?.[2];
  if (!param) return undefined;
  return { param, value: code === "unsupported_value" || said?.[1].toLowerCase() === "value", message };
}

/** The token limit's spelling for each endpoint and model, learned from their 400s for the kernel's life. */
export class TokenLimits {
  private readonly learned = new Map<string, TokenLimitParam>();

  /** The alias's word, else what the endpoint said before, else what the model id suggests. */
  spellingFor(target: ModelTarget): TokenLimitParam {
    return (
      this.learned.get(endpointModel(target)) ??
      target.tokenLimitParam ??
      (isReasoningModel(target.model) ? "max_completion_tokens" : "max_tokens")
    );
  }

  /**
   * The spelling to retry with when `error` is the endpoint refusing the one just sent (remembered from
   * now on); undefined when the error is about something else.
   */
  learn(target: ModelTarget, sent: TokenLimitParam, error: unknown): TokenLimitParam | undefined {
    if (unsupportedParameter(error)?.param !== sent) return undefined;
    const other = sent === "max_tokens" ? "max_completion_tokens" : "max_tokens";
    this.learned.set(endpointModel(target), other);
    return other;
  }
}

/** Which of the two spellings a request body carries (only one: a body with both is sent as written). */
export function tokenLimitIn(body: Record<string, unknown>): TokenLimitParam | undefined {
  const present = TOKEN_LIMIT_PARAMS.filter((param) => body[param] !== undefined);
  return present.length === 1 ? present[0] : undefined;
}

/** The body as it goes on the wire: its token limit under `spelling`; the rest, and its key, unchanged. */
export function spellTokenLimit<T extends Record<string, unknown>>(body: T, spelling: TokenLimitParam): T {
  const written = tokenLimitIn(body);
  if (written === undefined || written === spelling) return body;
  const { [written]: limit, ...rest } = body;
  return { ...rest, [spelling]: limit } as T;
}

function endpointModel(target: ModelTarget): string {
  return `${target.baseURL} ${target.model}`;
}
