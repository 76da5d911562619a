// Two cells with one id (a copy-pasted cell JSON, a bad merge): lint says so, one problem per later
// duplicate with both cell numbers, and reproduce keeps their histories apart so a rerun can pass.
// The built CLI in a child process, a real kernel under reproduce.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../fixtures";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-dup-ids-"));
  const cell = (id: string, source: string) => ({
    cell_type: "code",
    id,
    metadata: {},
    execution_count: null,
    outputs: [],
    source: [source],
  });
  writeFileSync(
    join(dir, "dup.ipynb"),
    JSON.stringify({
      cells: [cell("same", "// Tested: one\n1 + 1"), cell("other", "// Tested: two\n2 + 2"), cell("same", "// Tested: three\n3 + 3")],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("lint reports the later duplicate, with both cell numbers", () => {
  const run = runCli(["lint", "dup.ipynb", "--format", "json"], { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });
  const duplicates = JSON.parse(run.stdout).problems.filter((p: { code: string }) => p.code === "duplicate-cell-id");
  expect(duplicates).toEqual([
    expect.objectContaining({ cell: 3, cellId: "same", message: expect.stringMatching(/"same" is also the id of cell 1/) }),
  ]);
  expect(run.status).toBe(1);
});

test("reproduce of a notebook with duplicate ids passes on the rerun", () => {
  const reproduce = () =>
    runCli(["reproduce", "dup.ipynb", "--mode", "record", "--json"], { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });
  reproduce();
  const rerun = reproduce();
  expect(JSON.parse(rerun.stdout).cells.map((c: { verdict: string }) => c.verdict)).toEqual(["reproduced", "reproduced", "reproduced"]);
  expect(rerun.status).toBe(0);
});
