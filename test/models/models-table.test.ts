// The %models table's own text: what it says with and without a config file (the kernel tests cover the rows).
import { defaultConfig } from "../../kernel/src/config";
import { modelsTable } from "../../kernel/src/models/models-table";

test("says in a sentence where the models come from", () => {
  const { models } = defaultConfig();
  const without = modelsTable(models, {}, null).text.split("\n").at(-1);
  expect(without).toBe(
    "No labtrail.config.json found: the default models are in use. Any other model id goes to https://api.openai.com/v1 with the key in OPENAI_API_KEY.",
  );
  const withFile = modelsTable(models, {}, "/p/labtrail.config.json");
  expect(withFile.text.split("\n").at(-1)).toMatch(/^Models from \/p\/labtrail\.config\.json\. Any other model id/);
  expect(withFile.markdown.split("\n").at(-1)).toMatch(/^Models from \/p\/labtrail\.config\.json\. Any other/);
});

test("lists embed()'s default model too, after the aliases when it is none of them", () => {
  const { models } = defaultConfig();
  const rows = modelsTable(models, { OPENAI_API_KEY: "sk-test-table-0123456789" }, null).text.split("\n");
  expect(rows[1]).toMatch(/^gpt-4o-mini \(default\)\s+gpt-4o-mini\s/);
  expect(rows[2]).toMatch(/^text-embedding-3-small \(default for embed\(\)\)\s+text-embedding-3-small\s+\S+\s+OPENAI_API_KEY \(set\)$/);
  const aliased = { ...models, defaultEmbedding: "vectors", aliases: { vectors: { model: "text-embedding-3-large", params: {} } } };
  expect(modelsTable(aliased, {}, null).text.split("\n")[2]).toMatch(/^vectors \(default for embed\(\)\)\s+text-embedding-3-large\s/);
});
