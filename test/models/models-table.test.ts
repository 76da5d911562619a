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
