/**
 * The project config file, `labtrail.config.json`, validated with zod. Later issues add their own
 * top-level sections here. Unknown keys are errors, so a misspelt key is reported instead of ignored.
 */

import { z } from "zod";
import { DEFAULT_REQUIRED_KEYS, HEADER_MODES, headerKeySchema, REPLAY_MODES } from "../core";

export const CONFIG_FILE_NAME = "labtrail.config.json";

export const headerConfigSchema = z.strictObject({
  /** What the kernel does with a code cell that has no `Tested`: nothing, a notice, or refuse to run it. */
  mode: z.enum(HEADER_MODES, { error: 'expected "off", "warn" or "block"' }).default("warn"),
  /** Keys every code cell needs: before-run keys always, after-run keys once the cell has run. */
  required: z.array(headerKeySchema, { error: "expected a list of header keys" }).default(() => [...DEFAULT_REQUIRED_KEYS]),
});

/** Names of environment variables: the config names where a key lives, never the key itself. */
const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable, such as "OPENAI_API_KEY"' });

/** Request parameters that labtrail itself sets, or that would put a secret in the file. */
const RESERVED_PARAMS = new Set(["model", "messages", "stream"]);
const SECRET_PARAMS = /^(api[_-]?key|authorization|key|token|secret|password)$/i;

const requestParams = z.record(z.string(), z.unknown()).superRefine((params, ctx) => {
  for (const key of Object.keys(params)) {
    if (RESERVED_PARAMS.has(key)) {
      ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is set by labtrail, not by params` });
    } else if (SECRET_PARAMS.test(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: 'keys never go in the config: name the environment variable that holds it with "apiKeyEnv"',
      });
    }
  }
});

/** The two spellings of a completion's token limit: reasoning models take only the second. */
export const TOKEN_LIMIT_PARAMS = ["max_tokens", "max_completion_tokens"] as const;
export type TokenLimitParam = (typeof TOKEN_LIMIT_PARAMS)[number];

export const modelAliasSchema = z.strictObject({
  /** The model id the endpoint knows, e.g. "gpt-4o-mini". */
  model: z.string().min(1, { error: "expected a model id" }),
  /** An OpenAI-compatible endpoint; default: OPENAI_BASE_URL, else OpenAI's. */
  baseURL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  /** The environment variable holding the key (default OPENAI_API_KEY); null for endpoints without auth. */
  apiKeyEnv: envVarName.nullable().optional(),
  /** Default request parameters (temperature, max_tokens, …); a call's own options win. */
  params: requestParams.default(() => ({})),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  /** At most this many live requests to this alias at once (evaluate() runs items concurrently); default: no limit. */
  concurrency: z.number().int().positive({ error: "expected a whole number of requests, 1 or more" }).optional(),
  /** How `maxTokens` is sent; default: max_completion_tokens for reasoning model ids, else max_tokens. */
  tokenLimitParam: z.enum(TOKEN_LIMIT_PARAMS, { error: 'expected "max_tokens" or "max_completion_tokens"' }).optional(),
});

export const modelsConfigSchema = z.strictObject({
  /** The model (an alias or a model id) used when a call names none. */
  default: z.string().min(1).default("gpt-4o-mini"),
  /** The model (an alias or a model id) embed() uses when a call names none. */
  defaultEmbedding: z.string().min(1).default("text-embedding-3-small"),
  aliases: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9._-]*$/, { error: 'an alias is a letter followed by letters, digits, ".", "_" or "-"' }),
      modelAliasSchema,
    )
    .default(() => ({})),
  /** Per request, each attempt; the SDK's default is 10 minutes, too long for a notebook. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Retries of 408/409/429/5xx and connection errors, with backoff that honours Retry-After. */
  maxRetries: z.number().int().min(0).max(10).default(2),
});

export const replayConfigSchema = z.strictObject({
  /** record: replay a hit, call and store a miss; replay: hits only; refresh: always call, overwrite; off. */
  mode: z.enum(REPLAY_MODES, { error: 'expected "record", "replay", "refresh" or "off"' }).default("record"),
});

export const verdictsConfigSchema = z.strictObject({
  /** Two recorded numbers this close (absolute difference) count as the same. */
  tolerance: z.number().min(0).default(1e-9),
});

/**
 * Where `labtrail push` sends runs. Credentials never go here: a URL's user:password is refused, the
 * token or password comes from MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME and _PASSWORD.
 */
export const mlflowConfigSchema = z.strictObject({
  /** The tracking server, e.g. "http://127.0.0.1:5000"; MLFLOW_TRACKING_URI and --tracking-uri win. */
  trackingUri: z
    .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
    .refine((url) => !/^[a-z]+:\/\/[^/@]*@/i.test(url), {
      error: "credentials never go in the config: set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD",
    })
    .optional(),
  /** The experiment every notebook of the project goes to; default: each notebook's title. */
  experiment: z.string().trim().min(1, { error: "expected an experiment name" }).optional(),
  /** The kernel pushes each cell's record as it is written, in the background (kernel/src/mlflow/auto-push.ts). */
  autoPush: z.boolean({ error: "expected true or false" }).default(false),
});

export const configSchema = z.strictObject({
  /** Lets editors validate the file against a JSON schema; not read by labtrail. */
  $schema: z.string().optional(),
  header: headerConfigSchema.prefault({}),
  models: modelsConfigSchema.prefault({}),
  replay: replayConfigSchema.prefault({}),
  verdicts: verdictsConfigSchema.prefault({}),
  mlflow: mlflowConfigSchema.prefault({}),
});

export type LabtrailConfig = z.output<typeof configSchema>;
export type HeaderConfig = LabtrailConfig["header"];
export type ModelsConfig = LabtrailConfig["models"];
export type MlflowConfig = LabtrailConfig["mlflow"];
export type ModelAlias = z.output<typeof modelAliasSchema>;

/** The configuration when there is no config file and no override (a fresh object each call). */
export function defaultConfig(): LabtrailConfig {
  return configSchema.parse({});
}
