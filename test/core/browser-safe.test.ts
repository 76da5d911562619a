// The core is bundled into the JupyterLab extension: it must type-check with browser globals only
// (no Node types, no `process`, `Buffer` or `require`) and import nothing but itself, zod and
// jsonc-parser (both browser-safe).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { repoRoot } from "../fixtures";

const coreDir = join(repoRoot, "kernel", "src", "core");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("kernel/src/core is browser-safe", () => {
  const sources = files(coreDir);

  it("imports only relative modules, zod and jsonc-parser", () => {
    const imports = sources.flatMap((file) => {
      const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      return info.importedFiles.map((imported) => ({ file: relative(coreDir, file), module: imported.fileName }));
    });
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.filter(({ module }) => !module.startsWith(".") && module !== "zod" && module !== "jsonc-parser")).toEqual([]);
  });

  it("type-checks with the DOM library and no Node types", () => {
    const program = ts.createProgram(sources, {
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      types: [],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });
});
