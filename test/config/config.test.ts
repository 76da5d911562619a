// The project config: the nearest labtrail.config.json up from the notebook, validated, with the
// environment override; every error one line naming the file (or variable) and the key.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_FILE_NAME, defaultConfig, findConfigFile, loadConfig } from "../../kernel/src/config";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "labtrail-config-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CONFIG_FILE_NAME);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("loadConfig", () => {
  it("gives the defaults when there is no config file", () => {
    // The temporary directory has no config above it (the system temp dir is not a project).
    const defaults = {
      header: { mode: "warn", required: ["tested", "found"] },
      models: { default: "gpt-4o-mini", defaultEmbedding: "text-embedding-3-small", aliases: {}, timeoutMs: 60_000, maxRetries: 2 },
      replay: { mode: "record" },
      verdicts: { tolerance: 1e-9 },
      // No tracking server unless one is named (labtrail push), and no auto-push unless asked for.
      mlflow: { autoPush: false },
    };
    expect(loadConfig(root, {})).toEqual({ ok: true, config: defaults, file: null, overrides: [] });
    expect(defaultConfig()).toEqual(defaults);
  });

  it("finds the nearest file walking up from the notebook's directory", () => {
    const outer = write(root, { header: { mode: "off" } });
    const inner = write(join(root, "project"), { header: { mode: "block", required: ["Tested", "Expected", "found"] } });
    const notebooks = join(root, "project", "notebooks", "deep");
    mkdirSync(notebooks, { recursive: true });
    expect(findConfigFile(notebooks)).toBe(inner);
    expect(loadConfig(notebooks, {})).toMatchObject({
      ok: true,
      config: { header: { mode: "block", required: ["tested", "expect", "found"] } },
      file: inner,
      overrides: [],
    });
    expect(loadConfig(root, {})).toMatchObject({ ok: true, file: outer, config: { header: { mode: "off" } } });
  });

  it("fills in defaults for keys the file leaves out", () => {
    write(root, { $schema: "./labtrail.schema.json", header: { required: ["tested"] } });
    expect(loadConfig(root, {})).toMatchObject({ ok: true, config: { header: { mode: "warn", required: ["tested"] } } });
    write(root, {});
    expect(loadConfig(root, {})).toMatchObject({ ok: true, config: { header: { mode: "warn", required: ["tested", "found"] } } });
  });

  it.each([
    ["an invalid mode", { header: { mode: "strict" } }, ': header.mode: expected "off", "warn" or "block"'],
    ["a misspelt section", { haeder: {} }, ': unknown key "haeder"'],
    ["a misspelt key", { header: { mdoe: "block" } }, ': header: unknown key "mdoe"'],
    [
      "an unknown required key",
      { header: { required: ["tested", "hypothesis"] } },
      ': header.required[1]: unknown header key "hypothesis"; header keys are Tested, Expect, Found',
    ],
    ["required not a list", { header: { required: "tested" } }, ": header.required: expected a list of header keys"],
    ["a header that is not an object", { header: true }, ": header: expected object, got boolean"],
    ["not an object at all", [1], ": expected object, got array"],
    [
      "a model alias without a model",
      { models: { aliases: { fast: { baseURL: "http://localhost:8080/v1" } } } },
      ": models.aliases.fast.model: expected string, got undefined",
    ],
    [
      "a key in the alias params",
      { models: { aliases: { fast: { model: "m", params: { api_key: "sk-x" } } } } },
      ': models.aliases.fast.params.api_key: keys never go in the config: name the environment variable that holds it with "apiKeyEnv"',
    ],
    [
      "a managed request parameter",
      { models: { aliases: { fast: { model: "m", params: { stream: true } } } } },
      ': models.aliases.fast.params.stream: "stream" is set by labtrail, not by params',
    ],
    [
      "a key instead of a variable name",
      { models: { aliases: { fast: { model: "m", apiKeyEnv: "sk-abc123" } } } },
      ': models.aliases.fast.apiKeyEnv: expected the name of an environment variable, such as "OPENAI_API_KEY"',
    ],
    [
      "a base URL that is not http",
      { models: { aliases: { fast: { model: "m", baseURL: "ftp://x" } } } },
      ": models.aliases.fast.baseURL: expected an http(s) URL",
    ],
    [
      "a token limit spelling that no endpoint takes",
      { models: { aliases: { fast: { model: "m", tokenLimitParam: "maxTokens" } } } },
      ': models.aliases.fast.tokenLimitParam: expected "max_tokens" or "max_completion_tokens"',
    ],
    ["a misspelt models key", { models: { defualt: "fast" } }, ': models: unknown key "defualt"'],
    [
      "a key written into an alias",
      { models: { aliases: { fast: { model: "m", apiKey: "sk-test-written-into-the-config" } } } },
      ': models.aliases.fast: unknown key "apiKey": keys never go into labtrail.config.json; set "apiKeyEnv" to the name of the environment variable that holds the key',
    ],
    [
      "invalid JSON",
      '{ "header": { "mode": "block", } }',
      ": invalid JSON: expected a property name in double quotes, found '}' (line 1, column 32)",
    ],
  ])("reports %s with the file and the key", (_name, content, expected) => {
    const file = write(root, content);
    const result = loadConfig(root, {});
    expect(result.ok).toBe(false);
    const error = (result as { error: string }).error;
    expect(error.startsWith(`${file}${expected}`)).toBe(true);
    expect(error).not.toContain("\n");
    expect(error).not.toContain("sk-test-written-into-the-config");
  });

  it("lets LABTRAIL_HEADER_MODE override the file", () => {
    const file = write(root, { header: { mode: "warn", required: ["tested"] } });
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: " Block " })).toMatchObject({
      ok: true,
      config: { header: { mode: "block", required: ["tested"] } },
      file,
      overrides: ["LABTRAIL_HEADER_MODE"],
    });
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: "" })).toMatchObject({ ok: true, config: { header: { mode: "warn" } }, overrides: [] });
  });

  it("lets LABTRAIL_REPLAY_MODE override the replay mode, and names it when invalid", () => {
    write(root, { replay: { mode: "record" } });
    expect(loadConfig(root, { LABTRAIL_REPLAY_MODE: "Replay" })).toMatchObject({
      ok: true,
      config: { replay: { mode: "replay" } },
      overrides: ["LABTRAIL_REPLAY_MODE"],
    });
    expect(loadConfig(root, { LABTRAIL_REPLAY_MODE: "lockdown" })).toEqual({
      ok: false,
      file: null,
      error: 'LABTRAIL_REPLAY_MODE: expected record, replay, refresh or off, got "lockdown"',
    });
  });

  it("refuses an autoPush that is not true or false, naming the field", () => {
    const file = write(root, { mlflow: { autoPush: "yes" } });
    const loaded = loadConfig(root, {});
    expect(loaded).toMatchObject({ ok: false, file });
    expect(loaded.ok ? "" : loaded.error).toMatch(/mlflow\.autoPush: expected true or false/);
  });

  it("reports an invalid LABTRAIL_HEADER_MODE by name", () => {
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: "loud" })).toEqual({
      ok: false,
      file: null,
      error: 'LABTRAIL_HEADER_MODE: expected off, warn or block, got "loud"',
    });
  });

  it("reads model aliases with their endpoint, key variable and default parameters", () => {
    write(root, {
      models: {
        default: "fast",
        timeoutMs: 5000,
        aliases: {
          fast: { model: "gpt-4o-mini", params: { temperature: 0 } },
          local: { model: "llama3", baseURL: "http://127.0.0.1:8080/v1", apiKeyEnv: null, maxRetries: 0 },
          gateway: { model: "gpt-4o", apiKeyEnv: "GATEWAY_KEY" },
          reasoner: { model: "prod-reasoner", tokenLimitParam: "max_completion_tokens" },
        },
      },
    });
    expect(loadConfig(root, {})).toMatchObject({
      ok: true,
      config: {
        models: {
          default: "fast",
          timeoutMs: 5000,
          maxRetries: 2,
          aliases: {
            fast: { model: "gpt-4o-mini", params: { temperature: 0 } },
            local: { model: "llama3", baseURL: "http://127.0.0.1:8080/v1", apiKeyEnv: null, maxRetries: 0, params: {} },
            gateway: { model: "gpt-4o", apiKeyEnv: "GATEWAY_KEY", params: {} },
            reasoner: { model: "prod-reasoner", tokenLimitParam: "max_completion_tokens", params: {} },
          },
        },
      },
    });
  });

  it("does not share default lists between calls", () => {
    const first = loadConfig(root, {});
    if (!first.ok) throw new Error(first.error);
    first.config.header.required.push("next");
    const second = loadConfig(root, {});
    expect(second.ok && second.config.header.required).toEqual(["tested", "found"]);
  });
});
