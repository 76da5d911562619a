// A notebook folder for model tests: a labtrail.config.json, and the repository's node_modules linked
// in so cells can `import { z } from "zod"` and `import type … from "labtrail"` as a project would.
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./paths";

export function modelNotebookDir(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-models-"));
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  if (config !== undefined) writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify(config, null, 2));
  return dir;
}
