// Which endpoint, model and key a call uses: a name is an alias from the config or a model id at the
// default endpoint (OPENAI_BASE_URL or OpenAI's, as the SDK defines them).
import type { ModelsConfig, TokenLimitParam } from "../config";

export const DEFAULT_KEY_ENV = "OPENAI_API_KEY";
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export interface ModelTarget {
  /** What the user wrote (an alias or a model id). */
  name: string;
  alias?: string;
  /** The model id sent to the endpoint. */
  model: string;
  /** The endpoint, resolved: the alias's, else OPENAI_BASE_URL, else OpenAI's. */
  baseURL: string;
  /** The environment variable holding the key; null when the endpoint needs none. */
  apiKeyEnv: string | null;
  params: Record<string, unknown>;
  timeoutMs: number;
  maxRetries: number;
  /** The alias's spelling of the token limit, when it names one. */
  tokenLimitParam?: TokenLimitParam;
  /** The alias's limit on live requests at once, when it sets one. */
  concurrency?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function resolveTarget(config: ModelsConfig, name: string | undefined, env: Env): ModelTarget {
  const wanted = name?.trim() || config.default;
  const alias = Object.hasOwn(config.aliases, wanted) ? config.aliases[wanted] : undefined;
  // The default may itself be an alias.
  const base = {
    timeoutMs: alias?.timeoutMs ?? config.timeoutMs,
    maxRetries: alias?.maxRetries ?? config.maxRetries,
  };
  if (alias) {
    return {
      name: wanted,
      alias: wanted,
      model: alias.model,
      baseURL: trimSlash(alias.baseURL ?? defaultBaseURL(env)),
      apiKeyEnv: alias.apiKeyEnv === undefined ? DEFAULT_KEY_ENV : alias.apiKeyEnv,
      params: alias.params,
      ...(alias.tokenLimitParam ? { tokenLimitParam: alias.tokenLimitParam } : {}),
      ...(alias.concurrency ? { concurrency: alias.concurrency } : {}),
      ...base,
    };
  }
  return { name: wanted, model: wanted, baseURL: defaultBaseURL(env), apiKeyEnv: DEFAULT_KEY_ENV, params: {}, ...base };
}

export function defaultBaseURL(env: Env): string {
  return trimSlash(env.OPENAI_BASE_URL?.trim() || OPENAI_BASE_URL);
}

/** Every environment variable a configured model may read its key from. */
export function keyVariables(config: ModelsConfig): string[] {
  const names = new Set([DEFAULT_KEY_ENV]);
  for (const alias of Object.values(config.aliases)) if (alias.apiKeyEnv) names.add(alias.apiKeyEnv);
  return [...names];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
