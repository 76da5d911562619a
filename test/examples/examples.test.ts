// The example notebooks as committed in examples/, with their recordings and run records: the headers
// pass `labtrail lint`, `labtrail reproduce` reruns every cell offline (no key, nothing listening at the
// endpoint) and every cell reproduces, the committed design-doc drafts are what `labtrail export` gives
// now, a kernel opened the way JupyterLab opens it (replay mode "record") replays every cell without a
// key, and no file holds the key the examples were recorded with. Every run works on a temp copy of
// examples/. To re-record them: node scripts/record-examples.mjs.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../../kernel/src/client/ports";
import { loadNotebook, repoRoot, runCli } from "../fixtures";
import { KernelClient, messagesOfType } from "../support/kernel-client";

const examplesDir = join(repoRoot, "examples");
const EXAMPLES = ["summaries", "ticket-extraction", "label-temperature"];
/** The dummy key scripts/record-examples.mjs records with (never a real one). */
const RECORDING_KEY = "sk-local-test-server";

let closedURL: string;
const copies: string[] = [];

beforeAll(async () => {
  // A port nothing listens on: free a moment ago, released.
  const [port] = await freePorts(1);
  closedURL = `http://127.0.0.1:${port}/v1`;
});
afterAll(() => {
  // rm removes the node_modules link itself, never what it points to.
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of examples/, with the project's node_modules linked in (the cells import zod). */
function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-examples-"));
  copies.push(dir);
  cpSync(examplesDir, dir, { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** No key at all, and the default endpoint is a closed port: a call that is not replayed cannot succeed. */
function offlineEnv(): Record<string, string | undefined> {
  return { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: closedURL, LABTRAIL_REPLAY_MODE: undefined, LABTRAIL_NOTEBOOK: undefined };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("labtrail lint: every example documents every code cell", () => {
  const dir = copyOfExamples();
  const run = runCli(["lint", ...EXAMPLES.map((name) => `${name}.ipynb`)], { cwd: dir });
  expect(run.stdout).toBe("");
  expect(run.status).toBe(0);
});

test("no file under examples/ holds the key the examples were recorded with", () => {
  expect(readFileSync(join(repoRoot, "scripts", "record-examples.mjs"), "utf8")).toContain(`"${RECORDING_KEY}"`);
  const files = filesUnder(examplesDir);
  expect(files.length).toBeGreaterThan(EXAMPLES.length * 3);
  expect(files.filter((file) => readFileSync(file, "utf8").includes(RECORDING_KEY))).toEqual([]);
});

describe.each(EXAMPLES)("%s", (name) => {
  const notebook = `${name}.ipynb`;

  test("ships its recordings, run records and design-doc draft, and shows its outputs", () => {
    const text = readFileSync(join(examplesDir, notebook), "utf8");
    const first = loadNotebook(text).cells[0];
    expect(first.cellType).toBe("markdown");
    for (const key of ["Problem:", "User:", "Metric:", "Time box:", "local OpenAI-compatible test server", "--mode refresh"]) {
      expect(first.source).toContain(key);
    }
    // The executed notebook is what is committed: every code cell has its outputs.
    const code = (JSON.parse(text).cells as { cell_type: string; id: string; outputs?: unknown[] }[]).filter(
      (cell) => cell.cell_type === "code",
    );
    expect(code.length).toBeGreaterThanOrEqual(3);
    expect(code.filter((cell) => !cell.outputs?.length).map((cell) => cell.id)).toEqual([]);
    expect(readdirSync(join(examplesDir, `${name}.labtrail`, "recordings")).length).toBeGreaterThan(0);
    expect(statSync(join(examplesDir, `${name}.labtrail`, "runs.jsonl")).size).toBeGreaterThan(0);
  });

  test("the committed design-doc draft is what labtrail export writes now", () => {
    const dir = copyOfExamples();
    const run = runCli(["export", notebook, "-o", "-"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(examplesDir, `${name}.design.md`), "utf8"));
  });

  test("labtrail reproduce --mode replay: every cell reproduced, with no key and nothing listening", () => {
    const dir = copyOfExamples();
    const recordings = join(dir, `${name}.labtrail`, "recordings");
    const recorded = readdirSync(recordings).sort();
    const run = runCli(["reproduce", notebook, "--mode", "replay", "--json"], { cwd: dir, env: offlineEnv() });
    const report = JSON.parse(run.stdout);
    expect(report.cells.filter((cell: { verdict: string }) => cell.verdict !== "reproduced")).toEqual([]);
    expect(report.reproduced).toBe(true);
    expect(run.status).toBe(0);
    expect(readdirSync(recordings).sort()).toEqual(recorded);
  });

  test("rerun in a kernel opened as JupyterLab opens it (replay mode record): every cell replays, reproduced, with no key", async () => {
    const dir = copyOfExamples();
    const parsed = loadNotebook(readFileSync(join(dir, notebook), "utf8"));
    const kernel = await KernelClient.start({
      cwd: dir,
      // What Jupyter gives a kernel: the session named after the notebook; the header mode as configured.
      env: {
        JPY_SESSION_NAME: notebook,
        LABTRAIL_HEADER_MODE: "warn",
        LABTRAIL_REPLAY_MODE: "record",
        OPENAI_API_KEY: "",
        OPENAI_BASE_URL: closedURL,
      },
    });
    try {
      for (const cell of parsed.cells.filter((c) => c.cellType === "code")) {
        const exchange = await kernel.execute(cell.source, { metadata: { cellId: cell.id }, timeout: 60 });
        expect([cell.id, exchange.reply.content.status]).toEqual([cell.id, "ok"]);
        expect([cell.id, exchange.reply.metadata.labtrail.verdict.kind]).toEqual([cell.id, "reproduced"]);
        expect(messagesOfType(exchange, "stream").filter((m) => m.content.name === "stderr")).toEqual([]);
      }
      // A request the recordings do not hold goes live, and says plainly that it needs a key.
      const miss = await kernel.execute('// Tested: a new prompt\nawait ask("A prompt nobody recorded", { model: "gpt-4o-mini" })', {
        timeout: 30,
      });
      expect(miss.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
      expect(miss.reply.content.evalue).toContain("no API key: OPENAI_API_KEY is not set");
    } finally {
      await kernel.stop();
    }
  });
});
