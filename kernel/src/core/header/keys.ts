import { z } from "zod";

/**
 * The header keys of the contract (DESIGN.md, "The cell header"), in canonical order.
 * Everything that reads or writes a header takes the key set from here.
 */

export const HEADER_KEYS = ["tested", "expect", "found", "verdict", "decision", "tradeoff", "constraint", "next"] as const;

export type HeaderKey = (typeof HEADER_KEYS)[number];

/** How each key is written in the canonical form. */
export const HEADER_KEY_LABELS: Readonly<Record<HeaderKey, string>> = {
  tested: "Tested",
  expect: "Expect",
  found: "Found",
  verdict: "Verdict",
  decision: "Decision",
  tradeoff: "Tradeoff",
  constraint: "Constraint",
  next: "Next",
};

/**
 * When a key can be expected to hold a value: `before-run` keys state the experiment (checked before a
 * cell runs), `after-run` keys report on it (checked once the cell has run).
 */
export const HEADER_KEY_PHASE: Readonly<Record<HeaderKey, "before-run" | "after-run">> = {
  tested: "before-run",
  expect: "before-run",
  found: "after-run",
  verdict: "after-run",
  decision: "after-run",
  tradeoff: "after-run",
  constraint: "after-run",
  next: "after-run",
};

/** The contract's required keys: `Tested` before a cell runs, `Found` once it has run. */
export const DEFAULT_REQUIRED_KEYS: readonly HeaderKey[] = ["tested", "found"];

/** What the header's `Verdict:` says of the hypothesis; not a rerun's verdict (RERUN_VERDICTS in records/schema.ts). */
export const HEADER_VERDICTS = ["supported", "refuted", "inconclusive"] as const;
export type HeaderVerdict = (typeof HEADER_VERDICTS)[number];

/** Spellings people write for a key, accepted as that key (lower case). */
const KEY_ALIASES: Readonly<Record<string, HeaderKey>> = {
  expected: "expect",
  expects: "expect",
  decisions: "decision",
  tradeoffs: "tradeoff",
  "trade-off": "tradeoff",
  "trade-offs": "tradeoff",
  constraints: "constraint",
};

const KEY_SET: ReadonlySet<string> = new Set(HEADER_KEYS);

/** The header key a name stands for (case-insensitive, aliases included), or undefined. */
export function resolveHeaderKey(name: string): HeaderKey | undefined {
  const lower = name.toLowerCase();
  if (KEY_SET.has(lower)) return lower as HeaderKey;
  return Object.hasOwn(KEY_ALIASES, lower) ? KEY_ALIASES[lower] : undefined;
}

/** "Tested, Expect, Found, …": the canonical key list, for messages. */
export function listHeaderKeys(): string {
  return HEADER_KEYS.map((key) => HEADER_KEY_LABELS[key]).join(", ");
}

/** A header key at a boundary (config file, settings): any accepted spelling, resolved to its key. */
export const headerKeySchema = z
  .string({ error: 'expected a header key such as "tested"' })
  .transform((name) => resolveHeaderKey(name) ?? name)
  .pipe(
    z.enum(HEADER_KEYS, { error: (issue) => `unknown header key ${JSON.stringify(issue.input)}; header keys are ${listHeaderKeys()}` }),
  );
