// A kernel that dies under reproduce is reported in one line that says why. The built CLI in a child
// process starting the real kernel, whose heap is kept small (NODE_OPTIONS) so the death comes fast.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliMain } from "../support/paths";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-deaths-"));
  const source = "// Tested: x\nconst kept: number[][] = [];\nwhile (true) kept.push(new Array(1e6).fill(1));";
  writeFileSync(
    join(dir, "oom.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: [source] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a cell that runs the kernel out of memory: one line saying so, not a native stack", () => {
  const run = spawnSync(process.execPath, [cliMain, "reproduce", "oom.ipynb"], {
    cwd: dir,
    env: { ...process.env, LABTRAIL_HEADER_MODE: "off", NODE_OPTIONS: "--max-old-space-size=256" },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(run.signal).toBeNull();
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/the kernel ran out of memory \(JavaScript heap out of memory\)/);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/node::|0x[0-9a-f]{6,}/);
});
