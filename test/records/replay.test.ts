// Run records, replayed model calls and rerun verdicts, over the real kernel protocol and the real
// openai SDK against the local server. Each test gets its own notebook folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRunsJsonl, type RunRecord } from "../../kernel/src/core";
import { KernelClient, messagesOfType, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";
import { repoRoot } from "../support/paths";

let server: ModelServer;
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());

const KEY = "sk-test-replay-0123456789abcdef";
/** The openai SDK the kernel loads, as the record's environment names it. */
const OPENAI_VERSION: string = JSON.parse(readFileSync(join(repoRoot, "node_modules", "openai", "package.json"), "utf8")).version;
const kernels: KernelClient[] = [];
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

function notebookDir(extra: Record<string, unknown> = {}): string {
  return modelNotebookDir({ models: { default: "fast", aliases: { fast: { model: "gpt-4o-mini" } } }, ...extra });
}

async function start(dir: string, env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({
    cwd: dir,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, LABTRAIL_NOTEBOOK: "lab.ipynb", ...env },
  });
  kernels.push(kernel);
  return kernel;
}

function runs(dir: string): { records: RunRecord[]; problems: string[] } {
  return parseRunsJsonl(readFileSync(join(dir, "lab.labtrail", "runs.jsonl"), "utf8"));
}

function shown(exchange: Exchange): string[] {
  return messagesOfType(exchange, "display_data").map((m) => m.content.data["text/plain"]);
}

const verdictOf = (exchange: Exchange) => exchange.reply.metadata.labtrail.verdict;

const EXPERIMENT = [
  "// Tested: the model labels a login bug as a bug",
  "// Found: it does, at temperature 1, twice",
  'const first = await ask("Label: login button does nothing", { temperature: 1 });',
  'const second = await ask("Label: login button does nothing", { temperature: 1 });',
  "record({ agree: first === second, n: 2 });",
  "[first, second]",
].join("\n");

test("a rerun replays every call, sample by sample, and is reproduced; the record says what happened", async () => {
  const dir = notebookDir();
  const kernel = await start(dir);
  server.script({ content: "bug" }, { content: "feature" });
  const first = await kernel.execute(EXPERIMENT, { metadata: { cellId: "cell-a" } });
  expect(verdictOf(first)).toEqual({ kind: "new", summary: "new: the first recorded run of this cell", changes: [] });
  expect(shown(first)).toEqual([
    "recorded agree false · n 2",
    expect.stringMatching(/^2 model calls · fast → gpt-4o-mini ×2 · .* · all live$/),
    "new: the first recorded run of this cell",
  ]);
  expect(server.chatRequests()).toHaveLength(2);

  // A fresh kernel (a colleague's clone, say) replays both samples in order, without a request.
  await kernel.stop();
  const again = await start(dir);
  const rerun = await again.execute(EXPERIMENT, { metadata: { cellId: "cell-a" } });
  expect(messagesOfType(rerun, "execute_result")[0].content.data["text/plain"]).toBe("[ 'bug', 'feature' ]");
  expect(verdictOf(rerun).kind).toBe("reproduced");
  expect(shown(rerun)[1]).toMatch(/· all replayed$/);
  expect(server.chatRequests()).toHaveLength(2);

  const { records, problems } = runs(dir);
  expect(problems).toEqual([]);
  expect(records).toHaveLength(2);
  const record = records[1];
  expect(record).toMatchObject({
    v: 1,
    notebook: "lab.ipynb",
    cell: "cell-a",
    cellSource: "cell-id",
    execution: 1,
    header: { tested: "the model labels a login bug as a bug", found: "it does, at temperature 1, twice" },
    status: "ok",
    error: null,
    values: { agree: false, n: 2 },
    outputs: { result: "[ 'bug', 'feature' ]" },
    verdict: { kind: "reproduced" },
    env: { node: process.version, packages: { openai: OPENAI_VERSION } },
  });
  expect(record.calls.map((c) => [c.replayed, c.sample, c.params.temperature])).toEqual([
    [true, 1, 1],
    [true, 2, 1],
  ]);
  expect(records[0].calls.map((c) => c.replayed)).toEqual([false, false]);
  expect(record.calls[0].responseHash).toBe(records[0].calls[0].responseHash);
  expect(record.codeHash).toBe(records[0].codeHash);

  // Recordings: one readable file per distinct request, with its samples, never a header.
  const files = readdirSync(join(dir, "lab.labtrail", "recordings"));
  expect(files).toHaveLength(1);
  const recording = JSON.parse(readFileSync(join(dir, "lab.labtrail", "recordings", files[0]), "utf8"));
  expect(recording.request).toEqual({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Label: login button does nothing" }],
    temperature: 1,
  });
  expect(
    recording.samples.map((s: { response: { choices: { message: { content: string } }[] } }) => s.response.choices[0].message.content),
  ).toEqual(["bug", "feature"]);
});

test("verdicts: a header edit is not a change, a code edit is 'changed', a new value is 'drifted', an error is 'failed'", async () => {
  const dir = notebookDir();
  const kernel = await start(dir);
  const cell = (value: string, header = "// Tested: the count") => `${header}\nrecord({ count: ${value} });\n${value}`;
  expect(verdictOf(await kernel.execute(cell("3"), { metadata: { cellId: "c" } })).kind).toBe("new");
  expect(verdictOf(await kernel.execute(cell("3", "// Tested: the count\n// Found: three"), { metadata: { cellId: "c" } })).kind).toBe(
    "reproduced",
  );
  expect(verdictOf(await kernel.execute(cell("1 + 2"), { metadata: { cellId: "c" } })).kind).toBe("changed");

  const randomCell = "// Tested: noise\nrecord({ score: Math.round(Math.random() * 1e6) / 1e6 + 1 });";
  await kernel.execute(randomCell, { metadata: { cellId: "r" } });
  const drift = await kernel.execute(randomCell, { metadata: { cellId: "r" } });
  expect(verdictOf(drift).kind).toBe("drifted");
  expect(verdictOf(drift).changes).toEqual([
    { what: "score", before: expect.stringMatching(/^1\.\d+$/), after: expect.stringMatching(/^1\.\d+$/) },
  ]);
  expect(shown(drift).at(-1)).toMatch(/^≠ drifted: score 1\.\d+ → 1\.\d+$/);

  const failed = await kernel.execute('// Tested: x\nthrow new Error("boom")', { metadata: { cellId: "f" } });
  expect(verdictOf(failed)).toMatchObject({ kind: "failed", summary: "✗ failed: Error: boom" });
  // Without a cell id (a headless runner) the execution's position and code stand in for one.
  await kernel.execute("// Tested: headless\n1");
  const last = runs(dir).records.at(-1)!;
  expect(last.cellSource).toBe("fallback");
  expect(last.cell).toMatch(/^#7@[0-9a-f]{8}$/);
});

test("modes: replay refuses a miss by name and sends nothing; refresh always calls and overwrites; off keeps nothing", async () => {
  const dir = notebookDir();
  const replaying = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  const miss = await replaying.execute('// Tested: x\nawait ask("never recorded")');
  expect(miss.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
  expect(miss.reply.content.evalue).toMatch(
    /^replay mode: no recording of this request \(model "gpt-4o-mini", sample 1, prompt "never recorded", key [0-9a-f]{16}\); record it with/,
  );
  expect(server.chatRequests()).toHaveLength(0);
  // The environment wins over the notebook's %replay line.
  const magic = await replaying.execute("%replay record");
  expect(shown(magic)[0]).toContain("replay mode: replay (LABTRAIL_REPLAY_MODE is set and takes precedence)");
  await replaying.stop();

  const kernel = await start(dir);
  server.script({ content: "one" });
  expect(messagesOfType(await kernel.execute('await ask("q")'), "execute_result")[0].content.data["text/plain"]).toBe("'one'");
  await kernel.execute("%replay refresh");
  server.script({ content: "two" });
  expect(messagesOfType(await kernel.execute('await ask("q")'), "execute_result")[0].content.data["text/plain"]).toBe("'two'");
  await kernel.execute("%replay record");
  expect(messagesOfType(await kernel.execute('await ask("q")'), "execute_result")[0].content.data["text/plain"]).toBe("'two'");
  expect(server.chatRequests()).toHaveLength(2);

  await kernel.execute("%replay off");
  server.script({ content: "three" });
  expect(messagesOfType(await kernel.execute('await ask("another question")'), "execute_result")[0].content.data["text/plain"]).toBe(
    "'three'",
  );
  expect(readdirSync(join(dir, "lab.labtrail", "recordings"))).toHaveLength(1);
  const bad = await kernel.execute("%replay sometimes");
  expect(bad.reply.content.evalue).toBe('%replay: unknown mode "sometimes"; modes: record, replay, refresh, off');
});

test("the SDK's retries do not break replay: a 429 then an answer records the answer, which replays", async () => {
  const dir = notebookDir();
  const kernel = await start(dir);
  server.script({ status: 429, headers: { "retry-after-ms": "10" } }, { content: "after retry" });
  const code = '// Tested: x\nawait ask("rate limited question")';
  const live = await kernel.execute(code, { metadata: { cellId: "r" } });
  expect(shown(live)[0]).toMatch(/· 2 attempts · live$/);
  const replayed = await kernel.execute(code, { metadata: { cellId: "r" } });
  expect(messagesOfType(replayed, "execute_result")[0].content.data["text/plain"]).toBe("'after retry'");
  expect(verdictOf(replayed).kind).toBe("reproduced");
  expect(server.chatRequests()).toHaveLength(2);
});

describe("durability", () => {
  test("a torn last line is skipped and the kernel goes on appending whole records", async () => {
    const dir = notebookDir();
    const kernel = await start(dir);
    await kernel.execute("// Tested: x\nrecord({ n: 1 })", { metadata: { cellId: "t" } });
    await kernel.stop();
    const file = join(dir, "lab.labtrail", "runs.jsonl");
    writeFileSync(file, `${readFileSync(file, "utf8")}{"v":1,"notebook":"lab.ipy`);
    const again = await start(dir);
    const rerun = await again.execute("// Tested: x\nrecord({ n: 1 })", { metadata: { cellId: "t" } });
    expect(verdictOf(rerun).kind).toBe("reproduced");
    const { records, problems } = runs(dir);
    expect(records).toHaveLength(2);
    expect(problems).toEqual(["line 2: not valid JSON; skipped"]);
  });

  test("two kernels on one notebook never interleave a record", async () => {
    const dir = notebookDir();
    const [a, b] = await Promise.all([start(dir), start(dir)]);
    const big = "x".repeat(900);
    const burst = (kernel: KernelClient, who: string) =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          kernel.sendExecute(`// Tested: ${who}\nconsole.log("${big}"); record({ who: "${who}", i: ${i} })`, {
            metadata: { cellId: `${who}-${i}` },
          }),
        ),
      ).then((ids) => kernel.collect(ids));
    await Promise.all([burst(a, "a"), burst(b, "b")]);
    const { records, problems } = runs(dir);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(60);
    expect(new Set(records.map((r) => r.cell)).size).toBe(60);
  });

  test("kill -9 mid-run loses at most the record in flight", async () => {
    const dir = notebookDir();
    const kernel = await start(dir);
    for (let i = 0; i < 3; i++) await kernel.execute(`// Tested: x\nrecord({ i: ${i} })`, { metadata: { cellId: `k${i}` } });
    const pid = Number(messagesOfType(await kernel.execute("process.pid"), "execute_result")[0].content.data["text/plain"]);
    await kernel.sendExecute("// Tested: slow\nawait new Promise((r) => setTimeout(r, 60_000)); record({ never: true })", {
      metadata: { cellId: "slow" },
    });
    process.kill(pid, "SIGKILL");
    const { records, problems } = runs(dir);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.cell)).toEqual(["k0", "k1", "k2", expect.stringMatching(/^#4@/)]);
  });

  test("a full disk is a clear line in the cell; the cell's result stands and the kernel keeps working", async () => {
    const dir = notebookDir();
    mkdirSync(join(dir, "lab.labtrail"));
    symlinkSync("/dev/full", join(dir, "lab.labtrail", "runs.jsonl"));
    symlinkSync("/dev/full", join(dir, "lab.labtrail", "recordings"));
    const kernel = await start(dir);
    const exchange = await kernel.execute('// Tested: x\nawait ask("disk full")', { metadata: { cellId: "d" } });
    expect(exchange.reply.content.status).toBe("ok");
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe("'Echo: disk full'");
    const stderr = exchange.iopub
      .filter((m) => m.msg_type === "stream" && m.content.name === "stderr")
      .map((m) => m.content.text)
      .join("");
    // Where the recordings folder should be there is a device, not a folder: saving one fails cleanly.
    expect(stderr).toMatch(
      /labtrail: cannot save the recording \S+\/lab\.labtrail\/recordings\/[0-9a-f]{16}\.json: a file stands where a folder should be \(EEXIST\)/,
    );
    expect(stderr).toContain("; the answer is used, but will not replay");
    expect(stderr).toContain(
      `labtrail: cannot write the run record to ${join(dir, "lab.labtrail", "runs.jsonl")}: the disk is full (ENOSPC); the cell ran, its run record is lost`,
    );
    expect((await kernel.execute("1 + 1")).reply.content.status).toBe("ok");
  });
});

test("a canary key in the environment never appears in any file written", async () => {
  const canary = `sk-labtrail-canary-${Math.random().toString(16).slice(2)}`;
  const dir = notebookDir();
  const kernel = await start(dir, { OPENAI_API_KEY: canary });
  // Even a prompt that (wrongly) contains the key, and a model that echoes it, are redacted.
  server.script({ content: `echo ${canary}` });
  await kernel.execute("// Tested: x\nconst leaked = await ask(`key is ${process.env.OPENAI_API_KEY}`); record({ leaked });", {
    metadata: { cellId: "s" },
  });
  expect(server.chatRequests()[0].headers.authorization).toBe(`Bearer ${canary}`);
  const folder = join(dir, "lab.labtrail");
  const written = [join(folder, "runs.jsonl"), ...readdirSync(join(folder, "recordings")).map((f) => join(folder, "recordings", f))];
  expect(written.length).toBeGreaterThan(1);
  for (const file of written) expect(readFileSync(file, "utf8")).not.toContain(canary);
  expect(readFileSync(join(folder, "runs.jsonl"), "utf8")).toContain("[redacted]");
  expect(existsSync(join(dir, "lab.ipynb"))).toBe(false);
});
