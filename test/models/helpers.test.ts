// ask / chat / structured in cells, with no import, over the real kernel protocol and the real openai
// SDK against the local OpenAI-compatible server.
import { KernelClient, messagesOfType, streamText, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
let kernel: KernelClient;

beforeAll(async () => {
  server = await ModelServer.start();
  const cwd = modelNotebookDir({ models: { default: "smart", aliases: { smart: { model: "gpt-4o", params: { temperature: 0.5 } } } } });
  kernel = await KernelClient.start({ cwd, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test-helpers-0123456789" } });
});
afterAll(async () => {
  await kernel?.stop();
  await server?.close();
});
beforeEach(() => server.reset());

async function value(code: string): Promise<{ text: string; exchange: Exchange }> {
  const exchange = await kernel.execute(code);
  if (exchange.reply.content.status !== "ok") throw new Error(`${code}\n→ ${JSON.stringify(exchange.reply.content)}`);
  return { text: messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"], exchange };
}

test("ask: named options are translated, the rest pass through, call options beat the alias's", async () => {
  server.script({ content: "Paris." });
  const { text, exchange } = await value(
    'await ask("Capital of France?", { temperature: 0, maxTokens: 20, seed: 42, system: "One word.", top_p: 0.1, logit_bias: { "50256": -100 } })',
  );
  expect(text).toBe("'Paris.'");
  const [request] = server.chatRequests();
  expect(request.body).toEqual({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "One word." },
      { role: "user", content: "Capital of France?" },
    ],
    temperature: 0,
    max_tokens: 20,
    seed: 42,
    top_p: 0.1,
    logit_bias: { "50256": -100 },
  });
  // Helper calls are summarised in one line at the end of the cell.
  const usage = messagesOfType(exchange, "display_data").map((m) => m.content.data["text/plain"]);
  expect(usage).toHaveLength(1);
  expect(usage[0]).toMatch(/^smart → gpt-4o · \d+ in \/ \d+ out tokens · /);
});

test("several calls in one cell get one summary line; a model id that is not an alias goes to the default endpoint", async () => {
  const { text, exchange } = await value(
    'const answers = await Promise.all(["a", "b"].map((x) => ask(x))); const other = await ask("c", { model: "gpt-4o-mini" }); [...answers, other].join("|")',
  );
  expect(text).toBe("'Echo: a|Echo: b|Echo: c'");
  expect(
    server
      .chatRequests()
      .map((r) => r.body.model)
      .sort(),
  ).toEqual(["gpt-4o", "gpt-4o", "gpt-4o-mini"]);
  const lines = messagesOfType(exchange, "display_data").map((m) => m.content.data["text/plain"]);
  expect(lines).toEqual([
    expect.stringMatching(/^3 model calls · smart → gpt-4o ×2, gpt-4o-mini · \d+ in \/ \d+ out tokens · .* total · all live$/),
  ]);
});

test("chat: returns the assistant message with its tool calls, ready to continue the conversation", async () => {
  server.script({ toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"city":"Paris"}' }] }, { content: "It is sunny." });
  await value(
    `
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const messages: ChatMessage[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await chat(messages, { tools });
    messages.push(first, { role: "tool", tool_call_id: first.tool_calls![0].id, content: "sunny" });
    const second = await chat(messages, { tools });`.replace("ChatMessage[]", 'import("labtrail").ChatMessage[]'),
  );
  const { exchange } = await value("console.log(JSON.stringify([first.tool_calls, second.content]))");
  expect(JSON.parse(streamText(exchange))).toEqual([
    [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"city":"Paris"}' } }],
    "It is sunny.",
  ]);
  const second = server.chatRequests()[1].body;
  expect(second.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "tool"]);
  expect(second.tools[0].function.name).toBe("lookup");
});

test("structured: a zod object schema types and validates the result", async () => {
  await value('import { z } from "zod";\nconst Label = z.object({ label: z.enum(["bug", "feature", "docs"]), confidence: z.number() });');
  server.script({ content: '{"label":"bug","confidence":0.9}' });
  const { text } = await value('const l = await structured(Label, "Login button does nothing", { schemaName: "label" }); l.label');
  expect(text).toBe("'bug'");
  const [request] = server.chatRequests();
  expect(request.body.response_format.json_schema).toMatchObject({
    name: "label",
    strict: true,
    schema: { type: "object", required: ["label", "confidence"] },
  });
  const misuse = await kernel.execute("const c: string = l.confidence;");
  expect(misuse.reply.content.ename).toBe("TypeScriptError");
  // Messages work as the input too.
  server.script({ content: '{"label":"docs","confidence":0.5}' });
  expect((await value('(await structured(Label, [{ role: "user", content: "Typo in README" }])).label')).text).toBe("'docs'");
});

test("calls reuse the endpoint's client, and a key changed in the kernel's environment is used from the next call", async () => {
  await value('await ask("one")');
  await value('await ask("two")');
  await value('process.env.OPENAI_API_KEY = "sk-test-helpers-rotated-9876543210"; await ask("three")');
  expect(server.chatRequests().map((r) => r.headers.authorization)).toEqual([
    "Bearer sk-test-helpers-0123456789",
    "Bearer sk-test-helpers-0123456789",
    "Bearer sk-test-helpers-rotated-9876543210",
  ]);
  await value('process.env.OPENAI_API_KEY = "sk-test-helpers-0123456789"');
});

test('the helpers\' types are importable from "labtrail"', async () => {
  const { text } = await value(
    'import type { ModelOptions, AssistantMessage } from "labtrail";\nconst o: ModelOptions = { temperature: 0, maxTokens: 5 };\nObject.keys(o).length',
  );
  expect(text).toBe("2");
  const wrong = await kernel.execute('import type { ModelOptions } from "labtrail";\nconst bad: ModelOptions = { temperature: "hot" };');
  expect(wrong.reply.content.ename).toBe("TypeScriptError");
});

test.each([
  ['ask("")', "ask(): the prompt is empty"],
  ['ask("x", { temperature: 5 })', "ask(): options.temperature must be between 0 and 2, got 5"],
  ['ask("x", { stream: true })', "ask(): options.stream is set by labtrail; leave it out"],
  ["chat([])", "chat(): messages: expected at least one message"],
  ['structured({ _output: 1 } as any, "x")', "structured(): the schema must be a zod object schema, z.object({ … })"],
  ['structured(z.string(), "x")', "structured(): the schema must be a zod object schema, z.object({ … })"],
])("bad input %s is a clear error before anything is sent", async (call, message) => {
  const exchange = await kernel.execute(`import { z } from "zod";\nawait ${call}`);
  expect(exchange.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
  expect(exchange.reply.content.evalue).toContain(message);
  expect(server.chatRequests()).toHaveLength(0);
});
