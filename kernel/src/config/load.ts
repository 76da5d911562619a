/**
 * Finds and loads the project config: the nearest `labtrail.config.json` walking up from a directory
 * (the notebook's), validated by the schema, then environment overrides. Errors come back as one line
 * that names the file (or variable) and the offending key, never as an exception.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { HEADER_MODES, parseJsonText, REPLAY_MODES } from "../core";
import { readRegularText } from "../files/read-file";
import { fileError } from "../files/file-errors";
import { CONFIG_FILE_NAME, configSchema, type LabtrailConfig } from "./schema";

/** A config file is a few lines; anything near this is not one. */
const CONFIG_MAX_BYTES = 2 ** 20;

/** Environment variables that override the config file. */
export const ENV_HEADER_MODE = "LABTRAIL_HEADER_MODE";
export const ENV_REPLAY_MODE = "LABTRAIL_REPLAY_MODE";
/** `off`: the kernel judges each run against the cell's last record but appends none (`reproduce --no-record`). */
export const ENV_RECORD_RUNS = "LABTRAIL_RECORD_RUNS";

export interface LoadedConfig {
  ok: true;
  config: LabtrailConfig;
  /** Absolute path of the config file read, or null when none was found. */
  file: string | null;
  /** The environment variables that overrode a setting, e.g. ["LABTRAIL_HEADER_MODE"]. */
  overrides: string[];
}

export interface ConfigError {
  ok: false;
  /** One line: the file or variable, the key, what is wrong. */
  error: string;
  /** The config file concerned, or null when the error is in the environment. */
  file: string | null;
}

export type ConfigResult = LoadedConfig | ConfigError;

/** The nearest `labtrail.config.json` at or above `startDir`, or null. */
export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here (or not readable as a directory entry): keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The config for a notebook in `startDir`: the nearest config file's settings, defaults for the rest,
 * then `LABTRAIL_HEADER_MODE` (off | warn | block) from `env`.
 */
export function loadConfig(startDir: string, env: Readonly<Record<string, string | undefined>> = process.env): ConfigResult {
  const file = findConfigFile(startDir);
  let raw: unknown = {};
  if (file) {
    let text: string;
    try {
      text = readRegularText(file, CONFIG_MAX_BYTES);
    } catch (err) {
      return { ok: false, file, error: `${file}: cannot read the config file: ${errnoText(err)}` };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const json = parseJsonText(text);
    if (!json.ok) return { ok: false, file, error: `${file}: ${json.problem}` };
    raw = json.value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = formatKeyPath(issue.path);
    const message = issue.code === "unrecognized_keys" ? unknownKeysMessage(issue.keys) : cleanMessage(issue.message);
    return { ok: false, file, error: `${file ?? CONFIG_FILE_NAME}: ${where ? `${where}: ` : ""}${message}` };
  }
  const config = parsed.data;
  const overrides: string[] = [];
  const header = envChoice(env, ENV_HEADER_MODE, HEADER_MODES);
  if (!header.ok) return header;
  if (header.value) {
    config.header = { ...config.header, mode: header.value };
    overrides.push(ENV_HEADER_MODE);
  }
  const replay = envChoice(env, ENV_REPLAY_MODE, REPLAY_MODES);
  if (!replay.ok) return replay;
  if (replay.value) {
    config.replay = { mode: replay.value };
    overrides.push(ENV_REPLAY_MODE);
  }
  return { ok: true, config, file, overrides };
}

/** An environment variable that picks one of `choices` (case-insensitive); unset or blank: no value. */
function envChoice<T extends string>(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  choices: readonly T[],
): { ok: true; value?: T } | ConfigError {
  const raw = env[name];
  const value = raw?.trim().toLowerCase();
  if (!value) return { ok: true };
  if ((choices as readonly string[]).includes(value)) return { ok: true, value: value as T };
  const expected = `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
  return { ok: false, file: null, error: `${name}: expected ${expected}, got ${JSON.stringify(raw)}` };
}

function formatKeyPath(keys: readonly PropertyKey[]): string {
  let out = "";
  for (const key of keys) out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out;
}

function cleanMessage(message: string): string {
  const match = /^Invalid input: expected (\w+), received (\w+)/.exec(message);
  return match ? `expected ${match[1]}, got ${match[2]}` : message;
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return fileError(err);
}

/**
 * What the kernel says about a config it could not load. A broken config never falls back to the
 * defaults for model calls: a typo in a replay mode meant to keep the network off must not make a
 * live call, so model calls stop until the config is fixed.
 */
export function configProblemText(problem: ConfigError): string {
  return `labtrail: the project config is invalid, so model calls are stopped until it is fixed (then restart the kernel): ${problem.error}`;
}

/** Keys that hold a secret's value: the config names the variable instead, so the file can be committed. */
const SECRET_KEYS = new Set(["apikey", "api_key", "key", "token", "secret", "password", "authorization"]);

/** Names the unknown keys (never their values); a key written into the config points to `apiKeyEnv`. */
function unknownKeysMessage(keys: readonly string[]): string {
  const named = `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => JSON.stringify(k)).join(", ")}`;
  if (!keys.some((k) => SECRET_KEYS.has(k.toLowerCase().replace(/-/g, "_")))) return named;
  return `${named}: keys never go into labtrail.config.json; set "apiKeyEnv" to the name of the environment variable that holds the key (e.g. "apiKeyEnv": "OPENAI_API_KEY")`;
}
