// Replay integrity under misuse: recordings swapped, truncated or not completions; two kernels on one
// notebook; concurrent calls; many calls at once. Real kernel, real protocol, real openai SDK.
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KernelClient, streamText, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

jest.setTimeout(240_000);

let server: ModelServer;
beforeAll(async () => {
  // Answers by prompt, so which answer belongs to which request is visible.
  server = await ModelServer.start({
    reply: (body) => {
      const messages = body.messages as { content: string }[];
      return { content: `answer to ${messages[messages.length - 1].content}` };
    },
  });
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());

const kernels: KernelClient[] = [];
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

async function start(dir: string, env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({
    cwd: dir,
    env: {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "sk-test-integrity-0123456789",
      LABTRAIL_NOTEBOOK: "lab.ipynb",
      LABTRAIL_HEADER_MODE: "off",
      ...env,
    },
  });
  kernels.push(kernel);
  return kernel;
}

const recordingsOf = (dir: string) => join(dir, "lab.labtrail", "recordings");
const errorOf = (exchange: Exchange) => String(exchange.reply.content.evalue ?? "");
const verdictOf = (exchange: Exchange) => exchange.reply.metadata.labtrail.verdict;

/** Records one answer per prompt; returns the recording file of each prompt. */
async function recordPrompts(dir: string, prompts: string[]): Promise<Record<string, string>> {
  const kernel = await start(dir);
  const files: Record<string, string> = {};
  for (const prompt of prompts) {
    const before = new Set(readdirSafe(recordingsOf(dir)));
    const run = await kernel.execute(`await ask(${JSON.stringify(prompt)})`);
    expect(run.reply.content.status).toBe("ok");
    files[prompt] = join(recordingsOf(dir), readdirSafe(recordingsOf(dir)).find((f) => !before.has(f))!);
  }
  await kernel.stop();
  return files;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
}

test("swapped, truncated and non-completion recordings are one clear error naming the file, never a wrong answer", async () => {
  const dir = modelNotebookDir({});
  const files = await recordPrompts(dir, ["alpha question", "beta question", "gamma question"]);
  const alpha = files["alpha question"];
  const beta = files["beta question"];
  const gamma = files["gamma question"];
  renameSync(alpha, `${alpha}.tmp`);
  renameSync(beta, alpha);
  renameSync(`${alpha}.tmp`, beta);
  const recording = JSON.parse(readFileSync(gamma, "utf8"));
  writeFileSync(gamma, JSON.stringify({ ...recording, samples: [{ recordedAt: "x", response: { hello: "world" } }] }));

  const replay = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  const swapped = await replay.execute('await ask("alpha question")');
  expect(swapped.reply.content.status).toBe("error");
  expect(errorOf(swapped)).toContain(`the recording ${alpha} holds another request`);
  expect(errorOf(swapped)).toContain('prompt "beta question"');
  expect(JSON.stringify(swapped)).not.toContain("answer to beta question");

  const notCompletion = await replay.execute('await ask("gamma question")');
  expect(errorOf(notCompletion)).toContain(`sample 1 of the recording ${gamma} is not a chat completion`);

  writeFileSync(beta, readFileSync(beta, "utf8").slice(0, 40));
  const truncated = await replay.execute('await ask("beta question")');
  expect(errorOf(truncated)).toContain(`the recording ${beta} is corrupt`);
  expect(server.chatRequests()).toHaveLength(3);

  // Record mode records such a call again, with a warning, and then it replays.
  const record = await start(dir, { LABTRAIL_REPLAY_MODE: "record" });
  const rerecorded = await record.execute('await ask("alpha question")');
  expect(rerecorded.reply.content.status).toBe("ok");
  expect(streamText(rerecorded, "stderr")).toContain("holds another request");
  expect(JSON.stringify(rerecorded)).toContain("answer to alpha question");
});

test("two kernels on one notebook keep each other's samples", async () => {
  const dir = modelNotebookDir({});
  const cell = (n: number) =>
    `const out = [];\nfor (let i = 0; i < ${n}; i++) out.push(await ask("sample me", { temperature: 1 }));\nout.length`;
  const a = await start(dir);
  const b = await start(dir);
  expect((await b.execute(cell(1))).reply.content.status).toBe("ok");
  expect((await a.execute(cell(3))).reply.content.status).toBe("ok");
  // B's second sample: it must not write back its stale one-sample copy over A's three.
  expect((await b.execute(cell(2))).reply.content.status).toBe("ok");
  const [file] = readdirSafe(recordingsOf(dir));
  expect(JSON.parse(readFileSync(join(recordingsOf(dir), file), "utf8")).samples).toHaveLength(3);

  const replay = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  expect((await replay.execute(cell(3))).reply.content.status).toBe("ok");
});

test("concurrent calls are compared in call order: the first replay of a live run reproduces, with no listener warning", async () => {
  const dir = modelNotebookDir({});
  // Eleven calls at once, the first ones slowest, so they finish in reverse order.
  const delays = Array.from({ length: 11 }, (_, i) => (11 - i) * 40);
  server.script(...delays.map((delayMs, i) => ({ content: `sample ${i + 1}`, delayMs })));
  const cell = [
    "// Tested: concurrent samples",
    'const answers = await Promise.all(Array.from({ length: 11 }, () => ask("pick a word", { temperature: 1 })));',
    "record({ answers });",
  ].join("\n");
  const live = await start(dir);
  const first = await live.execute(cell, { metadata: { cellId: "c" } });
  expect(first.reply.content.status).toBe("ok");
  expect(JSON.stringify(first)).not.toContain("MaxListenersExceededWarning");
  await live.stop();

  const replay = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  const again = await replay.execute(cell, { metadata: { cellId: "c" } });
  expect(verdictOf(again).kind).toBe("reproduced");
});
