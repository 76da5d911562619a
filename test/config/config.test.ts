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
    const result = loadConfig(root, {});
    expect(result).toEqual({ ok: true, config: { header: { mode: "warn", required: ["tested", "found"] } }, file: null, overrides: [] });
    expect(defaultConfig()).toEqual({ header: { mode: "warn", required: ["tested", "found"] } });
  });

  it("finds the nearest file walking up from the notebook's directory", () => {
    const outer = write(root, { header: { mode: "off" } });
    const inner = write(join(root, "project"), { header: { mode: "block", required: ["Tested", "Expected", "found"] } });
    const notebooks = join(root, "project", "notebooks", "deep");
    mkdirSync(notebooks, { recursive: true });
    expect(findConfigFile(notebooks)).toBe(inner);
    expect(loadConfig(notebooks, {})).toEqual({
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
    ["an unknown required key", { header: { required: ["tested", "hypothesis"] } }, ': header.required[1]: unknown header key "hypothesis"; header keys are Tested, Expect, Found'],
    ["required not a list", { header: { required: "tested" } }, ": header.required: expected a list of header keys"],
    ["a header that is not an object", { header: true }, ": header: expected object, got boolean"],
    ["not an object at all", [1], ": expected object, got array"],
    ["invalid JSON", '{ "header": { "mode": "block", } }', ": invalid JSON: expected a property name in double quotes, found '}' (line 1, column 32)"],
  ])("reports %s with the file and the key", (_name, content, expected) => {
    const file = write(root, content);
    const result = loadConfig(root, {});
    expect(result.ok).toBe(false);
    const error = (result as { error: string }).error;
    expect(error.startsWith(`${file}${expected}`)).toBe(true);
    expect(error).not.toContain("\n");
  });

  it("lets LABTRAIL_HEADER_MODE override the file", () => {
    const file = write(root, { header: { mode: "warn", required: ["tested"] } });
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: " Block " })).toEqual({
      ok: true,
      config: { header: { mode: "block", required: ["tested"] } },
      file,
      overrides: ["LABTRAIL_HEADER_MODE"],
    });
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: "" })).toMatchObject({ ok: true, config: { header: { mode: "warn" } }, overrides: [] });
  });

  it("reports an invalid LABTRAIL_HEADER_MODE by name", () => {
    expect(loadConfig(root, { LABTRAIL_HEADER_MODE: "loud" })).toEqual({
      ok: false,
      file: null,
      error: 'LABTRAIL_HEADER_MODE: expected off, warn or block, got "loud"',
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
