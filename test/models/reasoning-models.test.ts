// Reasoning models (o-series, gpt-5 family, on OpenAI or behind a deployment of any name) through the
// real kernel and the real openai SDK, against the local server answering with OpenAI's own 400s: the
// token limit is spelt as each endpoint takes it (by model id, by the alias, or learned from the 400
// and retried once), the recording key does not depend on the spelling, a refused temperature is one
// clear error, and reasoningEffort goes out as reasoning_effort.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Exchange, KernelClient, messagesOfType } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
const kernels: KernelClient[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await ModelServer.start({
    models: ["o3-mini", "gpt-4o-mini", "prod-reasoner", "eu-reasoner"],
    // Deployments whose names say nothing: the kernel cannot tell them from their ids.
    reasoningModels: ["prod-reasoner", "eu-reasoner"],
  });
});
afterAll(async () => {
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

function config(overrides: Record<string, object> = {}): object {
  const local = { baseURL: server.url, apiKeyEnv: null };
  return {
    models: {
      default: "reasoner",
      aliases: {
        reasoner: { model: "o3-mini", ...local },
        deployment: { model: "prod-reasoner", ...local },
        declared: { model: "eu-reasoner", tokenLimitParam: "max_completion_tokens", ...local },
        chatty: { model: "gpt-4o-mini", ...local },
        ...overrides,
      },
    },
  };
}

async function start(dir?: string, env: Record<string, string> = {}): Promise<{ kernel: KernelClient; dir: string }> {
  const cwd = dir ?? modelNotebookDir(config());
  if (!dir) dirs.push(cwd);
  const kernel = await KernelClient.start({ cwd, env: { LABTRAIL_NOTEBOOK: "lab.ipynb", ...env } });
  kernels.push(kernel);
  return { kernel, dir: cwd };
}

const result = (exchange: Exchange): string => messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"];
const tokenLimits = () =>
  server.chatRequests().map((r) => ({ max_tokens: r.body.max_tokens, max_completion_tokens: r.body.max_completion_tokens }));

test("a reasoning model id gets max_completion_tokens, from ask() and from %%ask --max-tokens", async () => {
  const { kernel } = await start();
  expect(result(await kernel.executeOk('await ask("hi", { maxTokens: 50 })'))).toBe("'Echo: hi'");
  await kernel.executeOk("%%ask --max-tokens 60\nhello");
  expect(tokenLimits()).toEqual([
    { max_tokens: undefined, max_completion_tokens: 50 },
    { max_tokens: undefined, max_completion_tokens: 60 },
  ]);
  // Other models keep max_tokens.
  server.reset();
  await kernel.executeOk('await ask("hi", { model: "chatty", maxTokens: 5 })');
  expect(tokenLimits()).toEqual([{ max_tokens: 5, max_completion_tokens: undefined }]);
});

test("a deployment that refuses max_tokens by name: retried once with max_completion_tokens, then sent so from the start", async () => {
  const { kernel } = await start();
  const first = await kernel.executeOk('await ask("first", { model: "deployment", maxTokens: 40 })');
  expect(result(first)).toBe("'Echo: first'");
  await kernel.executeOk("%%ask deployment --max-tokens 41\nsecond");
  expect(tokenLimits()).toEqual([
    { max_tokens: 40, max_completion_tokens: undefined },
    { max_tokens: undefined, max_completion_tokens: 40 },
    { max_tokens: undefined, max_completion_tokens: 41 },
  ]);
  // A call without a token limit is not retried for it: the 400 it may get is about something else.
  server.reset();
  await kernel.executeOk('await ask("no limit", { model: "deployment" })');
  expect(server.chatRequests()).toHaveLength(1);
});

test("an alias's tokenLimitParam is used from the first call", async () => {
  const { kernel } = await start();
  await kernel.executeOk('await ask("hi", { model: "declared", maxTokens: 7 })');
  expect(tokenLimits()).toEqual([{ max_tokens: undefined, max_completion_tokens: 7 }]);
});

test("the recording key does not depend on the spelling sent: recorded as one, replayed under a config that sends the other", async () => {
  const { kernel, dir } = await start();
  await kernel.executeOk('// Tested: x\nawait ask("Count to three", { maxTokens: 30 })');
  expect(tokenLimits()).toEqual([{ max_tokens: undefined, max_completion_tokens: 30 }]);
  const folder = join(dir, "lab.labtrail", "recordings");
  const [file] = readdirSync(folder);
  // The key holds the request as the cell wrote it, as recordings made before reasoning models did.
  expect(JSON.parse(readFileSync(join(folder, file), "utf8")).request).toMatchObject({ model: "o3-mini", max_tokens: 30 });
  await kernel.stop();

  writeFileSync(
    join(dir, "labtrail.config.json"),
    JSON.stringify(config({ reasoner: { model: "o3-mini", baseURL: server.url, apiKeyEnv: null, tokenLimitParam: "max_tokens" } })),
  );
  server.reset();
  const { kernel: replaying } = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  expect(result(await replaying.executeOk('// Tested: x\nawait ask("Count to three", { maxTokens: 30 })'))).toBe("'Echo: Count to three'");
  expect(server.chatRequests()).toHaveLength(0);
});

test("a temperature the reasoning model refuses: one clear error naming it, the model and what to do; sent once", async () => {
  const { kernel } = await start();
  const exchange = await kernel.execute('const prompt = "hi";\nawait ask(prompt, { temperature: 0 })');
  const { ename, evalue, traceback } = exchange.reply.content;
  expect(ename).toBe("ModelCallError");
  expect(evalue).toBe(
    `model "o3-mini" at ${server.url} does not accept temperature (400): Unsupported value: 'temperature' does not support 0 with this model. ` +
      `Only the default (1) value is supported; leave out temperature (options.temperature, --temperature in %%ask, or the "params" of the alias "reasoner"); the model takes only its default value`,
  );
  expect(messagesOfType(exchange, "error")).toHaveLength(1);
  // The cell's line only: nothing from inside labtrail or the SDK.
  for (const frame of traceback.slice(1)) expect(frame).toMatch(/^ {4}at (async )?(.+ \()?In\[\d+\]:2:\d+\)?$/);
  expect(server.chatRequests()).toHaveLength(1);

  const kind = await kernel.executeOk(
    'import { ModelCallError } from "labtrail";\nawait ask("hi", { temperature: 0.5 }).then(() => "none", (e) => e instanceof ModelCallError && e.kind)',
  );
  expect(result(kind)).toBe("'unsupported-parameter'");
});

test("reasoningEffort and --reasoning-effort go out as reasoning_effort and are part of the recording key", async () => {
  const { kernel, dir } = await start();
  await kernel.executeOk('await ask("Think", { reasoningEffort: "low" })');
  await kernel.executeOk("%%ask --reasoning-effort high\nThink");
  expect(server.chatRequests().map((r) => r.body.reasoning_effort)).toEqual(["low", "high"]);
  // Same prompt, two efforts: two recordings; the same effort again replays.
  expect(readdirSync(join(dir, "lab.labtrail", "recordings"))).toHaveLength(2);
  await kernel.executeOk('await ask("Think", { reasoningEffort: "low" })');
  expect(server.chatRequests()).toHaveLength(2);

  const refused = await kernel.execute('await ask("Think", { model: "chatty", reasoningEffort: "low" })');
  expect(refused.reply.content.evalue).toBe(
    `model "gpt-4o-mini" at ${server.url} does not accept reasoning_effort (400): Unsupported parameter: 'reasoning_effort' is not supported with this model; ` +
      `leave out reasoningEffort (options.reasoningEffort, --reasoning-effort in %%ask, or the "params" of the alias "chatty")`,
  );
});
