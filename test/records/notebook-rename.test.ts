// A renamed or moved notebook keeps one history: the frontend names the notebook's path (relative to
// the server root) with every execute_request, and the records folder moves with it before the cell
// runs, so the rerun replays its recorded answers (no request reaches the model server) and is
// reproduced, not new. Real kernel protocol, real openai SDK, the local model server.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRunsJsonl, type RunRecord } from "../../kernel/src/core";
import { KernelClient, streamText, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());

const KEY = "sk-test-rename-0123456789abcdef";
const kernels: KernelClient[] = [];
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

const CELL = "cell-rename-1";
const EXPERIMENT = [
  "// Tested: the model labels a login bug as a bug",
  'const label = await ask("Label: login button does nothing");',
  "record({ label });",
  "label",
].join("\n");

/** A server root with a labtrail.config.json and one notebook file (its cell id saved, as JupyterLab saves it). */
function serverRoot(): string {
  const root = modelNotebookDir({ models: { default: "fast", aliases: { fast: { model: "gpt-4o-mini" } } } });
  writeNotebook(join(root, "Untitled.ipynb"));
  return root;
}

function writeNotebook(path: string): void {
  const cell = { cell_type: "code", id: CELL, metadata: {}, execution_count: null, outputs: [], source: EXPERIMENT };
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell] }));
}

/** A kernel as jupyter-server starts one: in the notebook's folder, JPY_SESSION_NAME its absolute path. */
async function start(cwd: string, notebook: string, env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({
    cwd,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, JPY_SESSION_NAME: notebook, ...env },
  });
  kernels.push(kernel);
  return kernel;
}

/** Runs the experiment cell as the labtrail extension sends it: the cell id and the notebook's path. */
function run(kernel: KernelClient, notebookPath: string | undefined, extra: Record<string, unknown> = {}): Promise<Exchange> {
  const labtrail = notebookPath === undefined ? {} : { labtrail: { notebookPath, ...extra } };
  return kernel.execute(EXPERIMENT, { metadata: { cellId: CELL, ...labtrail } });
}

function records(folder: string): RunRecord[] {
  const { records, problems } = parseRunsJsonl(readFileSync(join(folder, "runs.jsonl"), "utf8"));
  expect(problems).toEqual([]);
  return records;
}

const verdictOf = (exchange: Exchange) => exchange.reply.metadata.labtrail.verdict.kind;
const resultOf = (exchange: Exchange) => exchange.iopub.find((m) => m.header.msg_type === "execute_result")?.content.data["text/plain"];

test("File → Rename: the records and recordings move before the rerun, which replays and is reproduced", async () => {
  const root = serverRoot();
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  const first = await run(kernel, "Untitled.ipynb");
  expect(verdictOf(first)).toBe("new");
  expect(server.chatRequests()).toHaveLength(1);

  renameSync(join(root, "Untitled.ipynb"), join(root, "sentiment.ipynb"));
  const rerun = await run(kernel, "sentiment.ipynb");
  expect(streamText(rerun, "stderr")).toBe("");
  expect(resultOf(rerun)).toBe("'bug'");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(rerun.reply.metadata.labtrail.notebook).toBe("sentiment.ipynb");

  expect(existsSync(join(root, "Untitled.labtrail"))).toBe(false);
  const moved = join(root, "sentiment.labtrail");
  expect(readdirSync(join(moved, "recordings")).filter((name) => name.endsWith(".json"))).toHaveLength(1);
  // Records already written keep their data; the new one names the new notebook.
  expect(records(moved).map((record) => [record.notebook, record.verdict.kind])).toEqual([
    ["Untitled.ipynb", "new"],
    ["sentiment.ipynb", "reproduced"],
  ]);

  // Dragged into a folder, then renamed back to where it started: still one history, still replayed.
  mkdirSync(join(root, "drafts"));
  renameSync(join(root, "sentiment.ipynb"), join(root, "drafts", "sentiment.ipynb"));
  expect(verdictOf(await run(kernel, "drafts/sentiment.ipynb"))).toBe("reproduced");
  renameSync(join(root, "drafts", "sentiment.ipynb"), join(root, "Untitled.ipynb"));
  expect(verdictOf(await run(kernel, "Untitled.ipynb"))).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(existsSync(join(root, "drafts", "sentiment.labtrail"))).toBe(false);
  expect(existsSync(moved)).toBe(false);
  expect(records(join(root, "Untitled.labtrail")).map((record) => record.notebook)).toEqual([
    "Untitled.ipynb",
    "sentiment.ipynb",
    "sentiment.ipynb",
    "Untitled.ipynb",
  ]);
});

test("the JupyterLab extension moved the folder with the notebook already: the kernel opens it where it is, replays", async () => {
  const root = serverRoot();
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(kernel, "Untitled.ipynb");

  // What the extension does on a rename, before the next run.
  renameSync(join(root, "Untitled.ipynb"), join(root, "sentiment.ipynb"));
  renameSync(join(root, "Untitled.labtrail"), join(root, "sentiment.labtrail"));
  const rerun = await run(kernel, "sentiment.ipynb");
  expect(streamText(rerun, "stderr")).toBe("");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(existsSync(join(root, "Untitled.labtrail"))).toBe(false);
  const moved = join(root, "sentiment.labtrail");
  expect(readdirSync(moved).sort()).toEqual(["recordings", "runs.jsonl"]);
  expect(records(moved).map((record) => [record.notebook, record.verdict.kind])).toEqual([
    ["Untitled.ipynb", "new"],
    ["sentiment.ipynb", "reproduced"],
  ]);
});

test("renamed before the kernel's first run: the server root from the page config finds the new file", async () => {
  const root = serverRoot();
  const first = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(first, "Untitled.ipynb");
  await first.stop();

  // The next kernel starts for Untitled.ipynb; the notebook moves into a folder before anything runs.
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  mkdirSync(join(root, "nested"));
  renameSync(join(root, "Untitled.ipynb"), join(root, "nested", "moved.ipynb"));
  const rerun = await run(kernel, "nested/moved.ipynb", { serverRoot: root });
  expect(streamText(rerun, "stderr")).toBe("");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(records(join(root, "nested", "moved.labtrail"))).toHaveLength(2);
});

test("a rename onto a notebook name that has records: the two folders merge, nothing is lost or re-called", async () => {
  const root = serverRoot();
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(kernel, "Untitled.ipynb");

  // sentiment.labtrail is there already (copied in with the notebook from a colleague, say), with a
  // record of another cell and a recording of another request.
  const target = join(root, "sentiment.labtrail");
  mkdirSync(join(target, "recordings"), { recursive: true });
  const other = records(join(root, "Untitled.labtrail"))[0];
  writeFileSync(join(target, "runs.jsonl"), `${JSON.stringify({ ...other, cell: "other-cell", notebook: "sentiment.ipynb" })}\n`);
  writeFileSync(join(target, "recordings", "0000000000000000.json"), "{}\n");

  renameSync(join(root, "Untitled.ipynb"), join(root, "sentiment.ipynb"));
  const rerun = await run(kernel, "sentiment.ipynb");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(existsSync(join(root, "Untitled.labtrail"))).toBe(false);
  expect(readdirSync(target).sort()).toEqual(["recordings", "runs.jsonl"]);
  expect(readdirSync(join(target, "recordings"))).toHaveLength(2);
  expect(records(target).map((record) => `${record.cell}:${record.verdict.kind}`)).toEqual([
    "other-cell:new",
    `${CELL}:new`,
    `${CELL}:reproduced`,
  ]);
});

test("Save As: the new notebook starts from a copy of the history; the old one keeps its own", async () => {
  const root = serverRoot();
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(kernel, "Untitled.ipynb");
  copyFileSync(join(root, "Untitled.ipynb"), join(root, "copy.ipynb"));
  expect(verdictOf(await run(kernel, "copy.ipynb"))).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(records(join(root, "Untitled.labtrail"))).toHaveLength(1);
  expect(records(join(root, "copy.labtrail")).map((record) => record.notebook)).toEqual(["Untitled.ipynb", "copy.ipynb"]);
});

test("renamed while no kernel watched: the next kernel adopts the folder its cells' records are in", async () => {
  const root = serverRoot();
  const first = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(first, "Untitled.ipynb");
  await first.stop();

  // Renamed in the file browser with the notebook closed; a records folder of another notebook is there too.
  renameSync(join(root, "Untitled.ipynb"), join(root, "renamed.ipynb"));
  mkdirSync(join(root, "unrelated.labtrail"));
  writeFileSync(join(root, "unrelated.labtrail", "runs.jsonl"), "");
  const kernel = await start(root, join(root, "renamed.ipynb"));
  const rerun = await run(kernel, "renamed.ipynb");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(existsSync(join(root, "Untitled.labtrail"))).toBe(false);
  expect(existsSync(join(root, "unrelated.labtrail"))).toBe(true);
  expect(records(join(root, "renamed.labtrail"))).toHaveLength(2);
});

test("a merge a killed kernel left half done is finished by the next kernel, with no record twice", async () => {
  const root = serverRoot();
  const first = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  await run(first, "Untitled.ipynb");
  await first.stop();

  // What a kill between the two steps of a merge leaves: the old folder renamed into the target as
  // .adopting-…, its runs already appended to the target's runs.jsonl, its recording not yet moved.
  const target = join(root, "Untitled.labtrail");
  cpSync(target, join(root, "copy"), { recursive: true });
  rmSync(join(target, "recordings"), { recursive: true });
  renameSync(join(root, "copy"), join(target, ".adopting-killed"));
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  const rerun = await run(kernel, "Untitled.ipynb");
  expect(verdictOf(rerun)).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(readdirSync(target).sort()).toEqual(["recordings", "runs.jsonl"]);
  expect(records(target)).toHaveLength(2);
});

test("a second kernel still writing under the old name: its records are caught up with, none lost", async () => {
  const root = serverRoot();
  const lab = await start(root, join(root, "Untitled.ipynb"));
  // A headless run of the same notebook (it knows only the old name).
  const headless = await start(root, join(root, "Untitled.ipynb"), { LABTRAIL_NOTEBOOK: join(root, "Untitled.ipynb") });
  server.script({ content: "bug" });
  await run(lab, "Untitled.ipynb");
  await headless.execute("// Tested: an early cell\n1", { metadata: { cellId: "early-cell" } });

  renameSync(join(root, "Untitled.ipynb"), join(root, "sentiment.ipynb"));
  await run(lab, "sentiment.ipynb");
  // The headless kernel records after the move: the old folder comes back with its record.
  const late = await headless.execute("// Tested: a late cell\n1 + 1", { metadata: { cellId: "late-cell" } });
  expect(late.reply.content.status).toBe("ok");
  expect(existsSync(join(root, "Untitled.labtrail", "runs.jsonl"))).toBe(true);

  await run(lab, "sentiment.ipynb");
  expect(existsSync(join(root, "Untitled.labtrail"))).toBe(false);
  const cells = records(join(root, "sentiment.labtrail")).map((record) => record.cell);
  expect(cells.sort()).toEqual([CELL, CELL, CELL, "early-cell", "late-cell"].sort());
  expect(server.chatRequests()).toHaveLength(1);
});

test("headless runs are as before: no metadata, the records beside LABTRAIL_NOTEBOOK", async () => {
  const root = serverRoot();
  const kernel = await KernelClient.start({
    cwd: root,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, LABTRAIL_NOTEBOOK: "Untitled.ipynb" },
  });
  kernels.push(kernel);
  server.script({ content: "bug" });
  expect(verdictOf(await run(kernel, undefined))).toBe("new");
  expect(verdictOf(await run(kernel, undefined))).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(1);
  expect(records(join(root, "Untitled.labtrail"))).toHaveLength(2);
});

test("a path that leaves the server root, or one the kernel cannot find: one line, the records stay", async () => {
  const root = serverRoot();
  const kernel = await start(root, join(root, "Untitled.ipynb"));
  server.script({ content: "bug" });
  const outside = await run(kernel, "../elsewhere/Untitled.ipynb");
  expect(streamText(outside, "stderr").trimEnd().split("\n")).toEqual([
    expect.stringMatching(
      /^labtrail: the execute request's the notebook path "\.\.\/elsewhere\/Untitled\.ipynb" has an empty, "\." or "\.\." segment/,
    ),
  ]);
  expect(verdictOf(outside)).toBe("new");
  const missing = await run(kernel, "nowhere/gone.ipynb");
  expect(streamText(missing, "stderr")).toMatch(
    /^labtrail: cannot find the notebook nowhere\/gone\.ipynb on the kernel's machine; run records and recordings stay in /,
  );
  expect(verdictOf(missing)).toBe("reproduced");
  // Said once.
  expect(streamText(await run(kernel, "nowhere/gone.ipynb"), "stderr")).toBe("");
  expect(records(join(root, "Untitled.labtrail"))).toHaveLength(3);
  expect(server.chatRequests()).toHaveLength(1);
});
