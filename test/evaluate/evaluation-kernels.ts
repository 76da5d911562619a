// What the evaluate() tests share: a notebook folder with a "fast" alias, kernels on the local model
// server that are stopped after each test, and the notebook's run records.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRunsJsonl, type RunRecord } from "../../kernel/src/core";
import { KernelClient } from "../support/kernel-client";
import type { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

const kernels: KernelClient[] = [];
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

export function notebookDir(alias: Record<string, unknown> = {}): string {
  return modelNotebookDir({ models: { default: "fast", aliases: { fast: { model: "gpt-4o-mini", ...alias } } } });
}

/** A kernel for `lab.ipynb` in `dir`, calling `server`; stopped after the test. */
export async function startKernel(dir: string, server: ModelServer, env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({
    cwd: dir,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test-evaluate-0123456789", LABTRAIL_NOTEBOOK: "lab.ipynb", ...env },
  });
  kernels.push(kernel);
  return kernel;
}

export function records(dir: string): RunRecord[] {
  const { records, problems } = parseRunsJsonl(readFileSync(join(dir, "lab.labtrail", "runs.jsonl"), "utf8"));
  expect(problems).toEqual([]);
  return records;
}
