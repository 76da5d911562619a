// LABTRAIL_NOTEBOOK names where the records go (beside the notebook). The kernel makes the records
// folder, never the notebook's own: a notebook in a folder that does not exist is said once, in the cell.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, streamText } from "../support/kernel-client";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-nbfolder-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a notebook in a missing folder: one stderr line, the folder is not created, cells still run", async () => {
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "missing/deeper/nb.ipynb" } });
  try {
    const first = await kernel.execute("1 + 1");
    expect(first.reply.content.status).toBe("ok");
    const warning = streamText(first, "stderr");
    expect(warning.trimEnd().split("\n")).toHaveLength(1);
    expect(warning).toMatch(/run records and recordings are not kept: the notebook's folder \S*missing[/\\]deeper does not exist/);
    const second = await kernel.execute("2 + 2");
    expect(second.reply.content.status).toBe("ok");
    expect(streamText(second, "stderr")).toBe("");
    expect(existsSync(join(dir, "missing"))).toBe(false);
  } finally {
    await kernel.stop();
  }
});

test("a notebook in an existing folder gets its records folder, as before", async () => {
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "here.ipynb" } });
  try {
    const run = await kernel.execute("3 + 3");
    expect(run.reply.content.status).toBe("ok");
    expect(streamText(run, "stderr")).toBe("");
    expect(existsSync(join(dir, "here.labtrail", "runs.jsonl"))).toBe(true);
  } finally {
    await kernel.stop();
  }
});
