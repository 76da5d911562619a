// Keys must never reach an output, a log or an error message. Every text the model layer shows passes
// through here: the values of the key variables are replaced, and so is anything shaped like a bearer
// token or an OpenAI-style key, in case an endpoint echoes one we do not know about.

const BEARER = /\b(Bearer\s+)[^\s"',;)]+/gi;
const KEY_SHAPED = /\bsk-[A-Za-z0-9_-]{8,}/g;
export const REDACTED = "[redacted]";

export class Redactor {
  constructor(private readonly secrets: () => string[]) {}

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets()) {
      // Very short values would redact ordinary words; real keys are long.
      if (secret.length >= 8) out = out.split(secret).join(REDACTED);
    }
    return out.replace(BEARER, `$1${REDACTED}`).replace(KEY_SHAPED, REDACTED);
  }
}

/** A Redactor for the current values of the given environment variables. */
export function envRedactor(variables: () => string[], env: Readonly<Record<string, string | undefined>>): Redactor {
  return new Redactor(() =>
    variables()
      .map((name) => env[name]?.trim() ?? "")
      .filter((v) => v.length > 0),
  );
}
