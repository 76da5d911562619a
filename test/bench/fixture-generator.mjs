// The test fixtures' notebook generator (`generateNotebook` in test/fixtures/index.ts), for the bench.
//
// The bench is plain Node and cannot import TypeScript, and keeping a copy of the generator here would let
// the two drift apart. So the fixture module is transpiled in memory with the workspace's TypeScript and
// evaluated as CommonJS; its relative imports (the core's parser, the test paths) are not needed by the
// generator and are stood in for by empty modules. A generator that uses them would fail here, loudly.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** `generateNotebook(cells, codeLines?)` from test/fixtures/index.ts: the notebook's JSON text. */
export function loadGenerateNotebook(root) {
  const file = join(root, "test", "fixtures", "index.ts");
  const rootRequire = createRequire(join(root, "package.json"));
  const ts = rootRequire("typescript");
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} };
  const fixtureRequire = (id) => (id.startsWith(".") ? {} : rootRequire(id));
  new Function("exports", "require", "module", "__filename", "__dirname", outputText)(module.exports, fixtureRequire, module, file, dirname(file));
  const generate = module.exports.generateNotebook;
  if (typeof generate !== "function") throw new Error(`${file} exports no generateNotebook function`);
  return (cells, codeLines) => {
    const text = generate(cells, codeLines);
    if (typeof text !== "string") throw new Error("generateNotebook returned no text");
    return text;
  };
}
