// Secrets on every path out of the kernel and the CLI: outputs, reply metadata (verdicts), run records,
// recordings, drafts, with the real kernel over the real Jupyter protocol and the real openai SDK.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../fixtures";
import { KernelClient, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());

jest.setTimeout(240_000);

const KEY = "sk-test-canary-secret-0123456789abcdef";
const kernels: KernelClient[] = [];
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

async function start(dir: string, env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({
    cwd: dir,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, LABTRAIL_NOTEBOOK: "lab.ipynb", LABTRAIL_HEADER_MODE: "off", ...env },
  });
  kernels.push(kernel);
  return kernel;
}

/** Everything the kernel wrote beside the notebook. */
function written(dir: string): string {
  const folder = join(dir, "lab.labtrail");
  const recordings = join(folder, "recordings");
  let text = readFileSync(join(folder, "runs.jsonl"), "utf8");
  try {
    for (const file of readdirSync(recordings)) text += readFileSync(join(recordings, file), "utf8");
  } catch {
    // no recordings
  }
  return text;
}

const everything = (exchange: Exchange) => JSON.stringify(exchange);

test("a key in a thrown error or a drifting record(…) reaches no reply, output, verdict or record", async () => {
  const dir = modelNotebookDir({});
  const kernel = await start(dir);
  const thrown = await kernel.execute('throw new Error("boom " + process.env.OPENAI_API_KEY);', { metadata: { cellId: "t" } });
  expect(thrown.reply.content.evalue).toBe("boom [redacted]");
  expect(thrown.reply.metadata.labtrail.verdict.summary).toContain("boom [redacted]");
  expect(everything(thrown)).not.toContain(KEY);

  const drifting = 'const g = globalThis as any;\ng.n = (g.n ?? 0) + 1;\nrecord({ v: process.env.OPENAI_API_KEY + "-" + g.n });';
  await kernel.execute(drifting, { metadata: { cellId: "d" } });
  const drift = await kernel.execute(drifting, { metadata: { cellId: "d" } });
  expect(drift.reply.metadata.labtrail.verdict.kind).toBe("drifted");
  expect(drift.reply.metadata.labtrail.verdict.changes).toEqual([{ what: "v", before: '"[redacted]-1"', after: '"[redacted]-2"' }]);
  expect(everything(drift)).not.toContain(KEY);
  const printed = await kernel.execute("console.log(process.env.OPENAI_API_KEY); process.env.OPENAI_API_KEY");
  expect(everything(printed)).not.toContain(KEY);
  expect(written(dir)).not.toContain(KEY);
});

test("credentials in OPENAI_BASE_URL reach neither the error nor runs.jsonl", async () => {
  const dir = modelNotebookDir({});
  const withCredentials = server.url.replace("http://", "http://labuser:hunter2-password@");
  const kernel = await start(dir, { OPENAI_BASE_URL: withCredentials });
  const failed = await kernel.execute('await ask("hello")', { metadata: { cellId: "u" } });
  expect(failed.reply.content.status).toBe("error");
  expect(everything(failed)).not.toContain("hunter2-password");
  expect(everything(failed)).not.toContain("labuser:");
  expect(written(dir)).not.toContain("hunter2-password");
});

test("a key echoed by the endpoint reaches no output through embed()'s error, the reasoning display or an evaluate() item", async () => {
  const dir = modelNotebookDir({});
  const kernel = await start(dir);
  server.scriptEmbeddings({ status: 400, error: { message: `invalid input for key ${KEY}` } });
  const embedFailed = await kernel.execute('await embed("hello")', { metadata: { cellId: "e" } });
  expect(embedFailed.reply.content.status).toBe("error");
  expect(embedFailed.reply.content.evalue).toContain("[redacted]");

  server.script({ reasoning: `The caller's key is ${KEY}, so`, content: "ok" });
  const reasoned = await kernel.execute("%%ask\nthink", { metadata: { cellId: "r" } });
  expect(reasoned.reply.content.status).toBe("ok");
  expect(everything(reasoned)).toContain("[redacted]");

  server.script({ status: 400, error: { message: `rejected: ${KEY}` } });
  const evaluated = await kernel.execute('const res = await evaluate("leak", { data: [1], task: () => ask("x") });\nres.items[0].error', {
    metadata: { cellId: "v" },
  });
  expect(evaluated.reply.content.status).toBe("ok");
  expect(everything(evaluated)).toContain("[redacted]");
  for (const exchange of [embedFailed, reasoned, evaluated]) expect(everything(exchange)).not.toContain(KEY);
  await kernel.stop();
  expect(written(dir)).not.toContain(KEY);
});

test("an answer with a placeholder key is recorded byte for byte and a fresh replay reproduces", async () => {
  const dir = modelNotebookDir({});
  const answer = 'const client = new OpenAI({ apiKey: "sk-your-api-key-here" });';
  server.script({ content: answer });
  const cell = 'const a = await ask("show a client");\nrecord({ hasPlaceholder: a.includes("sk-your-api-key-here") });\na';
  const kernel = await start(dir);
  const first = await kernel.execute(cell, { metadata: { cellId: "p" } });
  expect(first.reply.content.status).toBe("ok");
  await kernel.stop();
  const recordings = join(dir, "lab.labtrail", "recordings");
  const [file] = readdirSync(recordings);
  expect(JSON.parse(readFileSync(join(recordings, file), "utf8")).samples[0].response.choices[0].message.content).toBe(answer);

  const replay = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  const again = await replay.execute(cell, { metadata: { cellId: "p" } });
  expect(again.reply.metadata.labtrail.verdict.kind).toBe("reproduced");
});

test("labtrail export keeps a key written into a header out of the draft", () => {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-secrets-export-"));
  const cell = (source: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# Keys\nProblem: does the key leak?" },
      cell(`// Tested: calling with ${KEY}\n// Found: it works with ${KEY}\n// Decision: rotate ${KEY}\n1`),
    ],
  };
  writeFileSync(join(dir, "keys.ipynb"), JSON.stringify(notebook));
  const run = runCli(["export", "keys.ipynb", "-o", "-"], { cwd: dir, env: { OPENAI_API_KEY: KEY } });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain("[redacted]");
  expect(run.stdout).not.toContain(KEY);
});
