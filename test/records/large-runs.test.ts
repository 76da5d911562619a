// A runs.jsonl past V8's longest string (about 512 MiB) is read line by line everywhere, not taken for
// empty: the kernel's verdict still compares with the latest record, `runs` lists it, `export` cites
// it. The file is many valid lines, then a sparse hole (no disk, no time to write), then the latest
// record; it is deleted after the test.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, appendFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeHash } from "../../kernel/src/records/code-hash";
import { runCli } from "../fixtures";
import { KernelClient } from "../support/kernel-client";
import { jsonl, runRecord } from "../support/run-records";

const CODE = "// Tested: a big history\n6 * 7";
const OVER_V8_STRING_LIMIT = 0x1fffffe8 + 2 ** 20;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-large-runs-"));
  writeFileSync(
    join(dir, "lab.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", id: "big", metadata: {}, execution_count: null, outputs: [], source: [CODE] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  const runs = join(dir, "lab.labtrail", "runs.jsonl");
  mkdirSync(join(dir, "lab.labtrail"));
  const older = Array.from({ length: 2000 }, (_, i) => runRecord({ notebook: "lab.ipynb", cell: `old-${i}`, codeHash: "old" }));
  writeFileSync(runs, jsonl(older));
  truncateSync(runs, OVER_V8_STRING_LIMIT);
  const latest = runRecord({
    notebook: "lab.ipynb",
    cell: "big",
    codeHash: codeHash(CODE),
    outputs: { count: 1, bytes: 2, text: "", result: "42", resultHash: null },
  });
  appendFileSync(runs, `\n${jsonl([latest])}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("runs lists the records before and after the hole, and warns about the hole once", () => {
  const run = runCli(["runs", "lab.ipynb", "--json"], { cwd: dir });
  expect(run.stderr).toBe("");
  const report = JSON.parse(run.stdout);
  expect(report.records).toHaveLength(2001);
  expect(report.records[2000]).toMatchObject({ cell: "big", position: 1 });
  expect(report.problems).toEqual([expect.stringMatching(/^line 2001: 51\d MiB long, not a run record; skipped$/)]);
});

test("export cites the records", () => {
  const run = runCli(["export", "lab.ipynb", "-o", "-"], { cwd: dir });
  expect(run.status).toBe(0);
  expect(run.stdout).not.toMatch(/No run records/);
});

test("the kernel compares a rerun with the latest record, not with nothing", async () => {
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "lab.ipynb", LABTRAIL_REPLAY_MODE: "" } });
  try {
    const rerun = await kernel.execute(CODE, { metadata: { cellId: "big" } });
    expect(rerun.reply.metadata.labtrail.verdict.kind).not.toBe("new");
  } finally {
    await kernel.stop();
  }
});
