// The layer rule (docs/DESIGN.md, "Layers"): each folder of kernel/src may import only the folders
// listed for it, so a back-edge (a lower layer reaching up) fails `npm test`. The core is also bundled
// into the JupyterLab extension, so it must type-check with browser globals only (no Node types, no
// `process`, `Buffer` or `require`) and import nothing but itself and browser-safe packages; the
// extension reaches the kernel package only through its `labtrail/core` subpath.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as ts from "typescript";
import { repoRoot } from "./fixtures";

const kernelSrc = join(repoRoot, "kernel", "src");
const extensionSrc = join(repoRoot, "labextension", "src");

/**
 * Lowest first. A folder may import itself and the folders named here; nothing else of kernel/src.
 * `versions` is the package's version, a leaf every layer may read.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  versions: [],
  files: ["core"],
  config: ["core", "files"],
  api: [],
  wire: [],
  records: ["core", "files", "config", "api", "versions"],
  models: ["core", "files", "config", "api", "records"],
  evaluation: ["core", "api", "records", "models"],
  compiler: [],
  // The MLflow REST client and push, and the kernel's auto-push (a `labtrail push` child process).
  mlflow: ["core"],
  kernel: ["core", "files", "config", "api", "records", "models", "evaluation", "wire", "versions", "compiler", "mlflow"],
  client: ["core", "files", "wire", "versions"],
  cli: ["core", "files", "config", "records", "client", "mlflow", "versions"],
  // The package's entry: what `import … from "labtrail"` gives, the cell helpers.
  index: ["api"],
};

/** Packages the browser-safe core may import. */
const CORE_PACKAGES = new Set(["zod", "jsonc-parser", "diff", "@noble/hashes/sha2.js", "@noble/hashes/utils.js"]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

function imports(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((imported) => imported.fileName);
}

/** The top-level folder of kernel/src a file is in ("versions" and "index" for the two top files). */
function layerOf(file: string): string {
  const [first] = relative(kernelSrc, file).split(sep);
  return first.replace(/\.ts$/, "");
}

describe("the layer rule", () => {
  const sources = files(kernelSrc);

  it("names every folder of kernel/src", () => {
    const layers = new Set(sources.map(layerOf));
    expect([...layers].filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  it("has no import from a layer that is not below", () => {
    const backEdges = sources.flatMap((file) => {
      const from = layerOf(file);
      return imports(file)
        .filter((module) => module.startsWith("."))
        .map((module) => ({ file: relative(kernelSrc, file), module, to: layerOf(resolve(dirname(file), module)) }))
        .filter(({ to }) => to !== from && !ALLOWED[from].includes(to));
    });
    expect(backEdges).toEqual([]);
  });

  it("sees the imports it checks (a rule that reads nothing cannot fail)", () => {
    const crossings = sources.flatMap((file) =>
      imports(file).filter((module) => module.startsWith(".") && layerOf(resolve(dirname(file), module)) !== layerOf(file)),
    );
    expect(crossings.length).toBeGreaterThan(50);
  });

  it("keeps the extension on labtrail/core", () => {
    const reaches = files(extensionSrc).flatMap((file) =>
      imports(file)
        .filter((module) => module === "labtrail" || (module.startsWith("labtrail/") && module !== "labtrail/core"))
        .map((module) => ({ file: relative(extensionSrc, file), module })),
    );
    expect(reaches).toEqual([]);
  });
});

describe("kernel/src/core is browser-safe", () => {
  const sources = files(join(kernelSrc, "core"));

  it("imports only itself and browser-safe packages", () => {
    const all = sources.flatMap((file) => imports(file).map((module) => ({ file: relative(kernelSrc, file), module })));
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter(({ module }) => !module.startsWith(".") && !CORE_PACKAGES.has(module))).toEqual([]);
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
