// A runs.jsonl that is a directory keeps every run from being recorded: reproduce says so in its hint
// instead of suggesting itself again. The built CLI against the real kernel.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliMain } from "../support/paths";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-records-path-"));
  writeFileSync(
    join(dir, "nb.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: ["// Tested: x\n1"] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  mkdirSync(join(dir, "nb.labtrail", "runs.jsonl"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("reproduce with runs.jsonl a directory: the hint names the path, once, and does not suggest rerunning", () => {
  const run = spawnSync(process.execPath, [cliMain, "reproduce", "nb.ipynb"], {
    cwd: dir,
    env: { ...process.env, LABTRAIL_HEADER_MODE: "off" },
    encoding: "utf8",
    timeout: 90_000,
  });
  expect(run.signal).toBeNull();
  expect(run.status).toBe(1);
  const hints = run.stdout.split("\n").filter((line) => line.startsWith("hint:"));
  expect(hints).toHaveLength(1);
  expect(hints[0]).toMatch(/runs\.jsonl: cannot read the run records: is a directory, not a file/);
  expect(hints[0]).not.toMatch(/check it with: labtrail reproduce/);
});
