// What is not a regular file is refused, not read forever: a FIFO or /dev/zero as the notebook or as
// runs.jsonl ends lint, export, runs and reproduce with one line (or a warning for the records), and
// a symlink loop is worded like the other file errors. The built CLI in a child process, with a
// timeout so a hang fails the test instead of stalling it.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliMain } from "../support/paths";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-hostile-"));
  const made = spawnSync("mkfifo", [join(dir, "fifo.ipynb"), join(dir, "runs-fifo")]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  symlinkSync("/dev/zero", join(dir, "zero.ipynb"));
  symlinkSync("loop.ipynb", join(dir, "loop.ipynb"));
  writeFileSync(
    join(dir, "ok.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: ["// Tested: x\n1"] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  mkdirSync(join(dir, "ok.labtrail"));
  symlinkSync(join(dir, "runs-fifo"), join(dir, "ok.labtrail", "runs.jsonl"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [cliMain, ...args], {
    cwd: dir,
    env: { ...process.env, LABTRAIL_HEADER_MODE: "off" },
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(run.signal).toBeNull();
  return run;
}

describe.each(["lint", "export", "runs", "reproduce"])("%s", (command) => {
  test.each([
    ["fifo.ipynb", /fifo\.ipynb: is a FIFO \(named pipe\), not a regular file/],
    ["zero.ipynb", /zero\.ipynb: is a device, not a regular file/],
    ["loop.ipynb", /loop\.ipynb: a symbolic link in the path points back at itself \(ELOOP\)/],
  ])("refuses %s in one line, exit 2", (notebook, message) => {
    const run = cli(command === "export" ? [command, notebook, "-o", "-"] : [command, notebook]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

test.each(["runs", "export"])("%s reports a FIFO as runs.jsonl instead of waiting on it", (command) => {
  const run = cli(command === "export" ? [command, "ok.ipynb", "-o", "-"] : [command, "ok.ipynb"]);
  expect(run.stderr).toMatch(/runs\.jsonl: cannot read the run records: is a FIFO \(named pipe\), not a regular file/);
});
