// `labtrail reproduce`'s table names each cell by an id prefix long enough to tell the cells apart,
// through the built CLI and a real kernel.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shortIds } from "../../kernel/src/cli/commands/reproduce";
import { runCli } from "../fixtures";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-reproduce-ids-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function notebookWithIds(ids: string[]): string {
  const cells = ids.map((id, i) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source: [`${i} + 1\n`] }));
  return JSON.stringify({
    cells,
    metadata: { kernelspec: { display_name: "TypeScript (labtrail)", language: "typescript", name: "labtrail" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

test("ids that share their first 8 characters are shown until they differ", () => {
  writeFileSync(
    join(dir, "ids.ipynb"),
    notebookWithIds(["welcome-intro", "welcome-setup", "short", "0f3a9c2e-77d1-4c1b-9a2e-5b8f0c1d2e3f"]),
  );
  const run = runCli(["reproduce", "ids.ipynb"], { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });
  const lines = run.stdout.split("\n");
  const head = lines.findIndex((line) => /^\s*#\s+cell\s+verdict/.test(line));
  expect(head).toBeGreaterThanOrEqual(0);
  const idColumn = lines.slice(head + 1, head + 5).map((line) => line.trim().split(/\s+/)[1]);
  expect(idColumn).toEqual(["welcome-i", "welcome-s", "short", "0f3a9c2e"]);
});

test("an id that is another's prefix is shown whole; a long shared prefix is cut with an ellipsis", () => {
  const long = "x".repeat(40);
  expect(shortIds(["cell-abc", "cell-abcdef", "cell-abcxyz", `${long}1`, `${long}2`])).toEqual(
    new Map([
      ["cell-abc", "cell-abc"],
      ["cell-abcdef", "cell-abcd"],
      ["cell-abcxyz", "cell-abcx"],
      [`${long}1`, `${"x".repeat(35)}…`],
      [`${long}2`, `${"x".repeat(35)}…`],
    ]),
  );
});
