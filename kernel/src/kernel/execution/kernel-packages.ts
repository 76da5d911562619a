// Packages a cell may import although the notebook's project does not have them: labtrail's own copy.
// `structured()` takes zod schemas and its results are typed with openai's types, so without this a
// notebook copied out of its project (no node_modules around it) fails on `import { z } from "zod"`
// (TS2307). A project that has its own copy keeps it: a package is provided only when the notebook's
// folder cannot resolve it, for the type checker (the compiler's providedPackages) and at run time.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const OFFERED = ["zod", "openai"] as const;

/** The offered packages the notebook's folder cannot resolve, by name → labtrail's copy's folder. */
export function packagesTheProjectLacks(notebookDir: string): Record<string, string> {
  const fromNotebook = createRequire(join(notebookDir, "__labtrail__.js"));
  const lacking: Record<string, string> = {};
  for (const name of OFFERED) {
    try {
      fromNotebook.resolve(name);
    } catch {
      lacking[name] = packageDir(name);
    }
  }
  return lacking;
}

/**
 * What a cell's `require(id)` of one of these packages (or a subpath) loads: labtrail's copy — the very
 * modules labtrail's helpers use, so a schema built in a cell is one they know. Undefined for other ids.
 */
export function fromKernel(names: readonly string[]): (id: string) => { module: unknown } | undefined {
  return (id) => (names.some((name) => id === name || id.startsWith(`${name}/`)) ? { module: require(id) } : undefined);
}

/** A package's folder (openai's `exports` do not include its package.json, so it is found from its entry). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (dirname(dir) !== dir) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`labtrail's copy of ${name} was not found`);
}
