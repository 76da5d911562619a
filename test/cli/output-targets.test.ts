// `reproduce --output` and `export -o` never write over what they must not: the run history and the
// recordings (anything in a *.labtrail/ folder), a design-doc draft, the input notebook. One line,
// exit 2, before any cell runs, and the file is left as it was. The built CLI in a child process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../fixtures";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "labtrail-targets-"));
  writeFileSync(
    join(dir, "nb.ipynb"),
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: ["1"] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  mkdirSync(join(dir, "nb.labtrail", "recordings"), { recursive: true });
  writeFileSync(join(dir, "nb.labtrail", "runs.jsonl"), "history\n");
  writeFileSync(join(dir, "nb.labtrail", "recordings", "abc.json"), "recording\n");
  writeFileSync(join(dir, "notes.md"), "# My notes\n\n<!-- labtrail export fingerprint: 0123456789abcdef — edit freely -->\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });

test.each([
  ["nb.labtrail/runs.jsonl", /nb\.labtrail\/runs\.jsonl: refusing to overwrite it: it is inside a records folder/],
  ["nb.labtrail/recordings/abc.json", /refusing to overwrite it: it is inside a records folder/],
  ["notes.md", /notes\.md: refusing to overwrite it: it is a design-doc draft/],
  ["nb.design.md", /refusing to overwrite it: it is a design-doc draft/],
])("reproduce --output %s is refused", (target, message) => {
  const file = join(dir, target);
  const before = (() => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return null;
    }
  })();
  const run = cli(["reproduce", "nb.ipynb", "--output", target]);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(before === null ? null : readFileSync(file, "utf8")).toBe(before);
});

test("export -o into the records folder is refused, and leaves the history as it was", () => {
  const run = cli(["export", "nb.ipynb", "-o", "nb.labtrail/runs.jsonl"]);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^error: nb\.labtrail\/runs\.jsonl: refusing to overwrite it: it is inside a records folder.*\n$/);
  expect(readFileSync(join(dir, "nb.labtrail", "runs.jsonl"), "utf8")).toBe("history\n");
});
