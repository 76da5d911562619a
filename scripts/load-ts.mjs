// Loads one TypeScript module of the test suite (test/support, test/fixtures) into a plain Node script
// (the bench, scripts/record-examples.mjs), so those scripts reuse it instead of keeping a copy that
// could drift. The file is transpiled in memory with the workspace's TypeScript and evaluated as
// CommonJS. Packages resolve from the repository; relative imports are not loaded but stand in as empty
// modules, so only code that needs none of them (the server, the generator) is usable this way; callers
// check what they get.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export function loadTypeScriptModule(root, file) {
  const rootRequire = createRequire(join(root, "package.json"));
  const ts = rootRequire("typescript");
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const moduleRequire = (id) => (id.startsWith(".") ? {} : rootRequire(id));
  const module = { exports: {} };
  new Function("exports", "require", "module", "__filename", "__dirname", outputText)(
    module.exports,
    moduleRequire,
    module,
    file,
    dirname(file),
  );
  return module.exports;
}
