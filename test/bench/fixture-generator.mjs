// The test fixtures' notebook generator (`generateNotebook` in test/fixtures/index.ts), for the bench:
// loaded from the fixtures themselves (scripts/load-ts.mjs), so the two never drift apart.
import { join } from "node:path";
import { loadTypeScriptModule } from "../../scripts/load-ts.mjs";

/** `generateNotebook(cells, codeLines?)` from test/fixtures/index.ts: the notebook's JSON text. */
export function loadGenerateNotebook(root) {
  const file = join(root, "test", "fixtures", "index.ts");
  const generate = loadTypeScriptModule(root, file).generateNotebook;
  if (typeof generate !== "function") throw new Error(`${file} exports no generateNotebook function`);
  return (cells, codeLines) => {
    const text = generate(cells, codeLines);
    if (typeof text !== "string") throw new Error("generateNotebook returned no text");
    return text;
  };
}
