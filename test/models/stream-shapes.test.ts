// Streams as real servers send them, through the real kernel and the real openai SDK against the local
// server playing each shape: deltas without a role (gateways, proxies), Azure's choice-less first
// chunk, a choice without a delta, no usage at all, and reasoning deltas (DeepSeek, vLLM), which stay
// out of the answer and its --as binding, show collapsed above it, and are recorded and replayed.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { displaysOf, type Exchange, KernelClient, messagesOfType } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
const kernels: KernelClient[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => {
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => server.reset());
afterEach(async () => {
  for (const kernel of kernels.splice(0)) await kernel.stop();
});

function notebookDir(): string {
  const dir = modelNotebookDir({
    models: { default: "local", aliases: { local: { model: "test-model", baseURL: server.url, apiKeyEnv: null } } },
  });
  dirs.push(dir);
  return dir;
}

async function start(dir = notebookDir(), env: Record<string, string> = {}): Promise<KernelClient> {
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "lab.ipynb", ...env } });
  kernels.push(kernel);
  return kernel;
}

/** The answer's display as it was last shown: Markdown and plain text. */
function answerShown(exchange: Exchange): { markdown: string; plain: string } {
  const answers = displaysOf(exchange).filter((m) => m.content.data["text/markdown"] !== undefined);
  const last = answers.at(-1)!;
  return { markdown: last.content.data["text/markdown"], plain: last.content.data["text/plain"] };
}

/** The usage line under the answer (%%ask) or the cell's summary line (helpers): it ends "live" or "replayed". */
function usageLine(exchange: Exchange): string | undefined {
  return displaysOf(exchange)
    .map((m) => m.content.data["text/plain"] as string)
    .find((text) => / · (live|replayed)$/.test(text));
}

async function resultOf(kernel: KernelClient, expression: string): Promise<string> {
  return messagesOfType(await kernel.executeOk(expression), "execute_result")[0].content.data["text/plain"];
}

test("deltas without a role (gateways, proxies): the answer arrives, streamed, and --as binds it", async () => {
  const kernel = await start();
  server.script({
    content: "Gateways often leave the role out.",
    quirks: { noRole: true },
    usage: { prompt_tokens: 4, completion_tokens: 6 },
  });
  const exchange = await kernel.executeOk("%%ask --as answer\nHow do gateways stream?");
  expect(answerShown(exchange).markdown).toBe("Gateways often leave the role out.");
  expect(usageLine(exchange)).toMatch(/^local → test-model · 4 in \/ 6 out tokens · .* · live$/);
  expect(await resultOf(kernel, "answer")).toBe("'Gateways often leave the role out.'");
  expect(server.chatRequests()[0].body.stream).toBe(true);
});

test("Azure's first chunk (no choices, prompt_filter_results, empty model): the answer and the model's name arrive", async () => {
  const kernel = await start();
  server.script({ content: "Filtered and fine.", quirks: { azurePromptFilter: true } });
  const exchange = await kernel.executeOk("%%ask --as answer\nAre you filtered?");
  expect(answerShown(exchange).markdown).toBe("Filtered and fine.");
  // The model comes from the chunks that have one, not the prelude's "".
  expect(usageLine(exchange)).toMatch(/^local → test-model · \d+ in \/ \d+ out tokens · /);
  expect(await resultOf(kernel, "answer")).toBe("'Filtered and fine.'");
});

test("a finish chunk whose choice has no delta: its finish_reason still counts", async () => {
  const kernel = await start();
  server.script({ content: "Complete answer.", quirks: { finishWithoutDelta: true } });
  expect(answerShown(await kernel.executeOk("%%ask\nFinish without a delta")).markdown).toBe("Complete answer.");
  server.script({ content: "cut short", finishReason: "length", quirks: { finishWithoutDelta: true } });
  const cut = await kernel.execute("%%ask --max-tokens 2\nFinish at the limit");
  expect(cut.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
  expect(cut.reply.content.evalue).toMatch(/^the answer was cut off at max_tokens 2 after 9 characters \(finish_reason "length"\)/);
});

test("no usage at all, streamed or not: the line says tokens are not reported, and nothing breaks", async () => {
  const kernel = await start();
  server.script({ content: "No usage here.", quirks: { noUsage: true } });
  const streamed = await kernel.executeOk("%%ask\nStream without usage");
  expect(answerShown(streamed).markdown).toBe("No usage here.");
  expect(usageLine(streamed)).toMatch(/^local → test-model · tokens not reported · .* · live$/);

  server.script({ content: "Still none.", quirks: { noUsage: true } });
  const helper = await kernel.executeOk('await ask("Ask without usage", { onUsage: (u) => console.log(JSON.stringify(u)) })');
  expect(usageLine(helper)).toMatch(/^local → test-model · tokens not reported · .* · live$/);
  expect(messagesOfType(helper, "execute_result")[0].content.data["text/plain"]).toBe("'Still none.'");
});

const REASONING = "The user wants a number. Two plus two is four.";

test("reasoning deltas stay out of the answer and its binding, show collapsed above it, and are recorded and replayed", async () => {
  const dir = notebookDir();
  const kernel = await start(dir);
  server.script({ reasoning: REASONING, content: "4", chunkDelayMs: 30 });
  const live = await kernel.executeOk("%%ask --as sum\nWhat is 2 + 2?");
  // While only the reasoning had arrived it was shown open; the final rendering has it collapsed.
  const updates = displaysOf(live).map((m) => m.content.data["text/markdown"] as string | undefined);
  expect(updates.some((text) => text?.startsWith("<details open><summary>reasoning</summary>"))).toBe(true);
  const final = answerShown(live);
  expect(final.markdown).toBe(`<details><summary>reasoning</summary>\n\n${REASONING}\n\n</details>\n\n4`);
  expect(final.plain).toBe("4");
  expect(await resultOf(kernel, "sum")).toBe("'4'");

  const [file] = readdirSync(join(dir, "lab.labtrail", "recordings"));
  const recording = JSON.parse(readFileSync(join(dir, "lab.labtrail", "recordings", file), "utf8"));
  expect(recording.samples[0].response.choices[0].message).toMatchObject({ role: "assistant", content: "4", reasoning_content: REASONING });
  await kernel.stop();

  const replaying = await start(dir, { LABTRAIL_REPLAY_MODE: "replay" });
  const replayed = await replaying.executeOk("%%ask --as sum\nWhat is 2 + 2?");
  expect(answerShown(replayed)).toEqual(final);
  expect(usageLine(replayed)).toMatch(/ · replayed$/);
  expect(await resultOf(replaying, "sum")).toBe("'4'");
  expect(server.chatRequests()).toHaveLength(1);
});

test("reasoning under `reasoning` (newer vLLM, OpenRouter), unstreamed: ask() returns only the answer", async () => {
  const kernel = await start();
  server.script({ reasoning: "Short thought.", reasoningField: "reasoning", content: "Answer only." });
  expect(await resultOf(kernel, 'await ask("Think, then answer")')).toBe("'Answer only.'");
});

test("a gateway doing all of it at once: Azure's prelude, no role, reasoning, no delta at the end, no usage", async () => {
  const kernel = await start();
  server.script({
    reasoning: "Thinking it over.",
    content: "All quirks handled.",
    quirks: { azurePromptFilter: true, noRole: true, finishWithoutDelta: true, noUsage: true },
  });
  const exchange = await kernel.executeOk("%%ask --as answer\nEverything at once");
  expect(answerShown(exchange).markdown).toBe(
    "<details><summary>reasoning</summary>\n\nThinking it over.\n\n</details>\n\nAll quirks handled.",
  );
  expect(usageLine(exchange)).toMatch(/^local → test-model · tokens not reported · /);
  expect(await resultOf(kernel, "answer")).toBe("'All quirks handled.'");
});
