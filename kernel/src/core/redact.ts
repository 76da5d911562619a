// Keys must never reach an output, a log, a record or a draft. Two strengths:
// - `redactKnown` replaces only the secrets the kernel actually knows (the key variables' values and the
//   credentials of the configured URLs). It is the only one applied to recorded model answers, which must
//   replay byte for byte: a code sample's `sk-your-api-key-here` is what the model said, not a secret.
// - `redact` adds the patterns (URL credentials, bearer tokens, `sk-…`-shaped keys), in case something
//   echoes a secret we do not know about; for everything else that leaves the kernel.

const BEARER = /\b(Bearer\s+)[^\s"',;)]+/gi;
const KEY_SHAPED = /\bsk-[A-Za-z0-9_-]{8,}/g;
/** `scheme://user:password@` (or `scheme://token@`): the userinfo part of a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
export const REDACTED = "[redacted]";
/** Very short values would redact ordinary words; real keys are long. */
const SHORTEST_SECRET = 8;

export class Redactor {
  constructor(private readonly secrets: () => string[]) {}

  /** Only the known secrets: for what a model said, which is stored as it was. */
  redactKnown(text: string): string {
    let out = text;
    for (const secret of this.secrets()) {
      if (secret.length >= SHORTEST_SECRET) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** The known secrets, then anything shaped like a credential: URL userinfo is dropped. */
  redact(text: string): string {
    return stripUrlCredentials(this.redactKnown(text)).replace(BEARER, `$1${REDACTED}`).replace(KEY_SHAPED, REDACTED);
  }

  /** A copy of a JSON-like value with every string (keys included) redacted by `redact`. */
  redactValue<T>(value: T): T {
    return mapStrings(value, (text) => this.redact(text)) as T;
  }

  /** A copy of a JSON-like value with every string (keys included) redacted by `redactKnown`. */
  redactKnownValue<T>(value: T): T {
    return mapStrings(value, (text) => this.redactKnown(text)) as T;
  }
}

/** `http://user:pw@host/v1` → `http://host/v1`, for every URL in the text. */
export function stripUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, "$1");
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[map(key)] = mapStrings(item, map);
    return out;
  }
  return value;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The credentials in a URL, as written and decoded: `user:password`, the password, a lone token. */
export function urlCredentials(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return [];
  }
  const found = [parsed.password, parsed.username, `${parsed.username}:${parsed.password}`];
  for (const part of [parsed.password, parsed.username]) {
    try {
      found.push(decodeURIComponent(part));
    } catch {
      // not percent-encoded text; the raw form is already in the list
    }
  }
  return found.filter((s) => s !== ":" && s.length > 0);
}

/** A Redactor for the current values of the given environment variables and the credentials of the URLs. */
export function envRedactor(variables: () => string[], env: Env, urls: () => (string | undefined)[] = () => []): Redactor {
  return new Redactor(() => {
    const values = variables()
      .map((name) => env[name]?.trim() ?? "")
      .filter((v) => v.length > 0);
    const credentials = urls().flatMap((url) => (url ? urlCredentials(url) : []));
    // Longest first, so a secret that contains another is replaced whole.
    return [...new Set([...values, ...credentials])].sort((a, b) => b.length - a.length);
  });
}

/** The part of the models config that names secrets: key variables and endpoints. */
export interface SecretSources {
  aliases: Readonly<Record<string, { apiKeyEnv?: string | null; baseURL?: string }>>;
}

/** The variable every model uses unless its alias names another (the SDK's default). */
export const DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";
/** The variable the SDK reads for the default endpoint. */
export const BASE_URL_VARIABLE = "OPENAI_BASE_URL";

/** The Redactor for a project: its key variables' values and the credentials in its endpoints' URLs. */
export function configuredRedactor(models: SecretSources, env: Env): Redactor {
  const aliases = () => Object.values(models.aliases);
  return envRedactor(
    () => [DEFAULT_KEY_VARIABLE, ...aliases().flatMap((alias) => (alias.apiKeyEnv ? [alias.apiKeyEnv] : []))],
    env,
    () => [env[BASE_URL_VARIABLE], ...aliases().map((alias) => alias.baseURL)],
  );
}
