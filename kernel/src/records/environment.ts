// The environment a run happened in, for its record: versions, and the git commit when the notebook is
// in a repository (asked once, in the background, so the kernel's start does not wait for git).
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { labtrailVersion } from "../versions";
import type { RunRecord } from "../core";

export type RunEnvironment = RunRecord["env"];

/** A dependency's version, found from its entry point (some packages do not export package.json). */
function versionOf(name: string): string | undefined {
  try {
    let dir = dirname(require.resolve(name));
    for (;;) {
      const file = join(dir, "package.json");
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version;
      }
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  } catch {
    return undefined;
  }
}

export class EnvironmentInfo {
  private git: RunEnvironment["git"] = null;
  private readonly packages: Record<string, string> = {};

  /** `executor`: the version of tslab, whose executor runs the cells (the kernel knows it; records do not). */
  constructor(
    cwd: string,
    private readonly executor: { tslab: string },
  ) {
    for (const name of ["openai", "zod"]) {
      const version = versionOf(name);
      if (version) this.packages[name] = version;
    }
    execFile("git", ["rev-parse", "HEAD"], { cwd, timeout: 3000 }, (error, stdout) => {
      if (error) return;
      const commit = stdout.trim();
      execFile("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, timeout: 3000 }, (statusError, status) => {
        this.git = { commit, dirty: statusError ? false : status.trim().length > 0 };
      });
    });
  }

  current(): RunEnvironment {
    return { node: process.version, labtrail: labtrailVersion, tslab: this.executor.tslab, packages: this.packages, git: this.git };
  }
}
