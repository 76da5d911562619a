/**
 * The `%%ask` cell magic: its arguments and its rewrite into a call to the kernel-provided
 * `labtrail$magic` object. The rewrite keeps every line of the cell on its line: the `%%ask` line
 * becomes the start of the call and the prompt a template literal over the body's lines.
 */
import { parseArgs } from "node:util";
import { checkCallOptions } from "../../models/call-options";
import { isIdentifier, toTemplateLiteral, tokenizeArgs, type MagicCell } from "./magic-syntax";

export interface AskMagicOptions {
  model?: string;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  system?: string;
  reasoningEffort?: string;
  /** The variable that receives the answer. */
  as?: string;
  /** An expression (identifier or dotted path) naming the schema of a structured answer. */
  schema?: string;
  /** Extra request parameters from `--param KEY=VALUE`. */
  params: Record<string, unknown>;
}

export const ASK_USAGE =
  "%%ask [model] [--model NAME] [--temperature N] [--max-tokens N] [--seed N] [--system TEXT] " +
  "[--reasoning-effort WORD] [--as NAME] [--schema NAME] [--param KEY=VALUE]…";

const OPTIONS = {
  model: { type: "string", short: "m" },
  temperature: { type: "string", short: "t" },
  "max-tokens": { type: "string" },
  seed: { type: "string" },
  system: { type: "string" },
  "reasoning-effort": { type: "string" },
  as: { type: "string" },
  schema: { type: "string" },
  param: { type: "string", multiple: true },
} as const;

const OPTION_LIST = Object.keys(OPTIONS)
  .map((name) => `--${name}`)
  .join(", ");

/**
 * `--param` keys that clash with the magic's own syntax; the keys labtrail sets for every call
 * (messages, stream, …) are the call-options schema's to refuse.
 */
const RESERVED_PARAMS: ReadonlyMap<string, string> = new Map([
  ["model", "use --model"],
  ["__proto__", "it is not a parameter name"],
]);

/** The numeric flags and the call option each sets; the magic only turns their text into numbers. */
const NUMBER_FLAGS = [
  ["temperature", "temperature"],
  ["max-tokens", "maxTokens"],
  ["seed", "seed"],
] as const;

/** How `%%ask` names a call option in an error. */
const FLAG_OF_KEY: ReadonlyMap<string, string> = new Map([
  ...NUMBER_FLAGS.map(([flag, key]) => [key, `--${flag}`] as const),
  ["system", "--system"],
  ["reasoningEffort", "--reasoning-effort"],
]);

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

type AskArgsResult = { ok: true; options: AskMagicOptions } | { ok: false; error: string };

function fail(message: string): { ok: false; error: string } {
  return { ok: false, error: `%%ask: ${message}` };
}

/** Turns one of parseArgs' errors into a one-line message that names the option. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /Unknown option '([^']*)'/.exec(message)?.[1] ?? "";
    return `unknown option ${option}; options: ${OPTION_LIST}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /--[A-Za-z0-9-]+/.exec(message)?.[0] ?? "the option";
    if (/ambiguous/.test(message)) {
      return `${option} expects a value; to give one that starts with "-", write ${option}=VALUE`;
    }
    return `${option} expects a value`;
  }
  return message.split("\n")[0];
}

/**
 * parseArgs refuses `--seed -1` as ambiguous; a negative number after an option that takes a value is
 * plainly that option's value, so join the two as `--seed=-1`.
 */
function joinNegativeNumbers(tokens: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    const takesValue = /^--[A-Za-z0-9-]+$/.test(token) || /^-[A-Za-z]$/.test(token);
    if (takesValue && next?.startsWith("-") && NUMBER_PATTERN.test(next)) {
      out.push(`${token}=${next}`);
      index++;
    } else {
      out.push(token);
    }
  }
  return out;
}

function parseOptions(args: string[]) {
  return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
}

/** Parses the arguments of a `%%ask` line. Never throws; errors are one line starting with "%%ask: ". */
export function parseAskArgs(args: string): AskArgsResult {
  const tokenized = tokenizeArgs(args);
  if (!tokenized.ok) return fail(tokenized.error);

  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(joinNegativeNumbers(tokenized.tokens));
  } catch (error) {
    return fail(describeParseError(error));
  }
  const { values, positionals, tokens } = parsed;

  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === "param") continue;
    if (seen.has(token.name)) return fail(`--${token.name} is given more than once`);
    seen.add(token.name);
  }

  const options: AskMagicOptions = { params: {} };

  if (positionals.length > 1) {
    return fail(`expected at most one model name, got ${positionals.map((p) => JSON.stringify(p)).join(", ")}`);
  }
  if (positionals.length === 1 && values.model !== undefined) {
    return fail(`the model is given twice ("${positionals[0]}" and --model ${values.model}); give one`);
  }
  const model = positionals[0] ?? values.model;
  if (model !== undefined) {
    if (model.trim() === "") return fail("the model name is empty");
    options.model = model;
  }

  if (values.as !== undefined) {
    if (!isIdentifier(values.as)) return fail(`--as expects a variable name, got ${JSON.stringify(values.as)}`);
    options.as = values.as;
  }

  if (values.schema !== undefined) {
    const schema = values.schema;
    if (!schema.split(".").every(isIdentifier)) {
      return fail(`--schema expects a name or a dotted path such as schemas.Ticket, got ${JSON.stringify(schema)}`);
    }
    options.schema = schema;
  }

  for (const param of values.param ?? []) {
    const equals = param.indexOf("=");
    if (equals === -1) return fail(`--param expects KEY=VALUE, got ${JSON.stringify(param)}`);
    const key = param.slice(0, equals);
    const text = param.slice(equals + 1);
    if (key === "") return fail(`--param expects KEY=VALUE with a non-empty KEY, got ${JSON.stringify(param)}`);
    const reserved = RESERVED_PARAMS.get(key);
    if (reserved !== undefined) return fail(`--param ${key} is not allowed (${reserved})`);
    if (Object.hasOwn(options.params, key)) {
      return fail(`--param ${key} is given more than once`);
    }
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    options.params[key] = value;
  }

  // The call's options, checked by the one schema the helpers use, so the rules and their wording
  // live once; only the names differ (--max-tokens here, options.maxTokens there).
  const flagged: Record<string, unknown> = {};
  for (const [flag, key] of NUMBER_FLAGS) {
    const text = values[flag];
    if (text !== undefined) flagged[key] = NUMBER_PATTERN.test(text) ? Number(text) : text;
  }
  if (values.system !== undefined) flagged.system = values.system;
  if (values["reasoning-effort"] !== undefined) flagged.reasoningEffort = values["reasoning-effort"];
  const checked = checkCallOptions({ ...flagged, ...options.params });
  if (!checked.ok) {
    const { key, message } = checked.problem;
    const fromFlag = key !== undefined && !Object.hasOwn(options.params, key) ? FLAG_OF_KEY.get(key) : undefined;
    return fail(`${fromFlag ?? `--param ${key}`} ${message}`);
  }
  const { temperature, maxTokens, seed, system, reasoningEffort } = checked.options;
  if (Object.hasOwn(flagged, "temperature")) options.temperature = temperature;
  if (Object.hasOwn(flagged, "maxTokens")) options.maxTokens = maxTokens;
  if (Object.hasOwn(flagged, "seed")) options.seed = seed;
  if (Object.hasOwn(flagged, "system")) options.system = system;
  if (Object.hasOwn(flagged, "reasoningEffort")) options.reasoningEffort = reasoningEffort;
  return { ok: true, options };
}

/** The request options as the runtime receives them: set fields only, then the extra parameters. */
function requestOptions(options: AskMagicOptions): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  if (options.model !== undefined) request.model = options.model;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.maxTokens !== undefined) request.maxTokens = options.maxTokens;
  if (options.seed !== undefined) request.seed = options.seed;
  if (options.system !== undefined) request.system = options.system;
  if (options.reasoningEffort !== undefined) request.reasoningEffort = options.reasoningEffort;
  return { ...request, ...options.params };
}

/**
 * Rewrites a `%%ask` cell into TypeScript with the same lines: `before` verbatim, the `%%ask` line
 * replaced by the start of a call to `labtrail$magic.ask` (or `.structured` with `--schema`), the
 * body's lines as a template literal closed by `);` on the last non-blank line, and the body's
 * trailing blank lines kept after it.
 */
export function rewriteAskCell(
  cell: Extract<MagicCell, { kind: "cell" }>,
  options: AskMagicOptions,
): { ok: true; code: string } | { ok: false; error: string } {
  const body = cell.body;
  // The prompt runs to the end of the last line with something on it; blank lines after it stay.
  let last = body.length - 1;
  while (last >= 0 && /\s/.test(body[last])) last--;
  if (last < 0) return fail("the prompt is empty; write it on the lines below %%ask");
  let lineEnd = last + 1;
  while (lineEnd < body.length && body[lineEnd] !== "\n" && body[lineEnd] !== "\r") lineEnd++;
  const promptText = body.slice(0, lineEnd);
  const tail = body.slice(lineEnd);

  const json = JSON.stringify(requestOptions(options));
  const call = options.schema !== undefined ? `labtrail$magic.structured(${options.schema}, ${json}, ` : `labtrail$magic.ask(${json}, `;
  const literal = toTemplateLiteral(promptText);
  const code =
    options.as !== undefined
      ? `${cell.before}const ${options.as} = await ${call}\n${literal});${tail}`
      : `${cell.before}void (await ${call}\n${literal}));${tail}`;
  return { ok: true, code };
}
