// The fake model server is driven through the real openai SDK, so what these tests pin down is that
// the SDK the kernel uses accepts its responses and sees its failures the way it would see the API's.
import OpenAI, { type APIError } from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { ModelServer, type ScriptedReply, type StreamQuirks } from "./model-server";

let server: ModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await ModelServer.start();
  client = new OpenAI({ apiKey: "sk-test", baseURL: server.url, maxRetries: 0 });
});

afterAll(() => server.close());

beforeEach(() => server.reset());

/** Waits until `check` holds: the server learns of a client abort a moment after the SDK throws. */
async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("non-streaming: echoes the last user message with word-count usage, and logs the request", async () => {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "hello there" }] },
    ],
  });

  expect(completion.object).toBe("chat.completion");
  expect(completion.id).toBe("chatcmpl-test-1");
  expect(completion.model).toBe("gpt-4o-mini");
  expect(completion.system_fingerprint).toBe("fp_labtrail_test");
  expect(completion.choices[0]!.message).toEqual({ role: "assistant", content: "Echo: hello there", refusal: null });
  expect(completion.choices[0]!.finish_reason).toBe("stop");
  expect(completion.usage).toEqual({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });

  expect(server.requests).toHaveLength(1);
  const [logged] = server.chatRequests();
  expect(logged).toMatchObject({ method: "POST", path: "/v1/chat/completions", aborted: false });
  expect(logged!.headers.authorization).toBe("Bearer sk-test");
  expect(logged!.headers["content-type"]).toContain("application/json");
  expect(logged!.body).toMatchObject({ model: "gpt-4o-mini", messages: [{ role: "system" }, { role: "user" }] });
});

test("streaming: the text arrives over several chunks, with usage when include_usage is set", async () => {
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three four" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let contentChunks = 0;
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta.content) {
      text += choice.delta.content;
      contentChunks++;
    }
    finish ??= choice?.finish_reason ?? null;
    if (chunk.usage) usage = chunk.usage;
  }
  expect(text).toBe("Echo: one two three four");
  expect(contentChunks).toBeGreaterThan(1);
  expect(finish).toBe("stop");
  expect(usage).toEqual({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
});

test("streaming: scripted tool calls and content reassemble through the SDK's stream helper", async () => {
  server.script({ content: "Let me check.", toolCalls: [{ id: "call_1", name: "lookup", arguments: '{"q":"x"}' }] });
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "go" }],
  });
  const final = await stream.finalChatCompletion();
  expect(final.choices[0]!.message.content).toBe("Let me check.");
  expect(final.choices[0]!.message.tool_calls).toEqual([
    { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
  ]);
  expect(final.choices[0]!.finish_reason).toBe("tool_calls");
});

test("json_schema: the default content is a valid instance that the SDK parses", async () => {
  const Item = z.object({ label: z.string(), weight: z.number() });
  const Answer = z.object({
    title: z.string(),
    count: z.number().int(),
    ok: z.boolean(),
    kind: z.enum(["alpha", "beta"]),
    note: z.string().nullable(),
    items: z.array(Item),
    main: Item,
  });
  const completion = await client.chat.completions.parse({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "structured please" }],
    response_format: zodResponseFormat(Answer, "answer", { schemaDefinitions: { Item } }),
  });
  const parsed = completion.choices[0]!.message.parsed;
  expect(parsed).toEqual({
    title: "example",
    count: 1,
    ok: true,
    kind: "alpha",
    note: "example",
    items: [{ label: "example", weight: 1 }],
    main: { label: "example", weight: 1 },
  });
  // The $ref case is really exercised: the shared schema went out as a definition.
  expect(JSON.stringify(server.chatRequests()[0]!.body.response_format)).toContain("$ref");
});

test("a scripted 429 with retry-after is retried by the SDK, then succeeds", async () => {
  server.script({ status: 429, headers: { "retry-after": "0.05" } });
  const retrying = new OpenAI({ apiKey: "sk-test", baseURL: server.url, maxRetries: 1 });
  const completion = await retrying.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "again" }],
  });
  expect(completion.choices[0]!.message.content).toBe("Echo: again");
  const [first, second] = server.chatRequests();
  expect(server.chatRequests()).toHaveLength(2);
  expect(second!.headers["x-stainless-retry-count"]).toBe("1");
  expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(40);
});

test("a scripted error surfaces as the SDK's typed error, with the OpenAI error shape", async () => {
  server.script({ status: 503, echoAuthorization: true });
  const err = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.InternalServerError);
  expect((err as APIError).status).toBe(503);
  expect((err as APIError).message).toContain("The engine is currently overloaded. (received Authorization: Bearer sk-test)");
});

test("an unknown model is a NotFoundError with code model_not_found", async () => {
  const err = await client.chat.completions
    .create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  expect((err as APIError).code).toBe("model_not_found");
  expect((err as APIError).message).toContain("The model `no-such-model` does not exist");
});

test("models.list lists the configured models", async () => {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  expect(ids).toEqual([
    "gpt-4o-mini",
    "gpt-4o",
    "test-model",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "text-embedding-ada-002",
  ]);
});

test("with the apiKey option, a wrong key is an AuthenticationError and the right one works", async () => {
  const guarded = await ModelServer.start({ apiKey: "sk-right" });
  try {
    const wrong = new OpenAI({ apiKey: "sk-wrong", baseURL: guarded.url, maxRetries: 0 });
    const err = await wrong.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as APIError).code).toBe("invalid_api_key");

    const right = new OpenAI({ apiKey: "sk-right", baseURL: guarded.url, maxRetries: 0 });
    const ok = await right.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "y" }] });
    expect(ok.choices[0]!.message.content).toBe("Echo: y");
  } finally {
    await guarded.close();
  }
});

test("disconnectAfterChunks cuts the stream mid-way: the SDK's iteration throws after partial text", async () => {
  server.script({ content: "alpha beta gamma delta epsilon", disconnectAfterChunks: 2 });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "x" }],
    stream: true,
  });
  let text = "";
  const iterate = async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  };
  await expect(iterate()).rejects.toThrow();
  expect(text).toBe("alpha beta ");
  expect(server.chatRequests()[0]!.aborted).toBe(false); // the server cut it, not the client
});

test("delayMs past the SDK timeout: the SDK times out and the logged request is marked aborted", async () => {
  server.script({ delayMs: 5_000 });
  const started = Date.now();
  const err = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "slow" }] }, { timeout: 100 })
    .catch((e: unknown) => e);
  // Outside jest this is APIConnectionTimeoutError; under jest the SDK cannot recognise the AbortError
  // (a DOMException from another realm), so only the base class is asserted.
  expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
  await until(() => server.chatRequests()[0]?.aborted === true);
  expect(Date.now() - started).toBeLessThan(2_000);
});

test("rawBody sends malformed JSON verbatim and the SDK fails to parse it", async () => {
  server.script({ rawBody: '{"id": "chatcmpl-broken", "choices": [' });
  await expect(client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })).rejects.toThrow(/JSON/); // a SyntaxError, but from another realm than jest's
});

test("hangUp drops the connection: the SDK reports a connection error", async () => {
  server.script({ hangUp: true });
  await expect(client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
    OpenAI.APIConnectionError,
  );
});

test("close() does not wait for in-flight delayed requests or keep-alive sockets", async () => {
  const other = await ModelServer.start();
  const otherClient = new OpenAI({ apiKey: "sk-test", baseURL: other.url, maxRetries: 0 });
  await otherClient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "warm" }] });
  other.script({ delayMs: 30_000 });
  const pending = otherClient.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "stuck" }] })
    .catch((e: unknown) => e);
  await until(() => other.chatRequests().length === 2);
  const started = Date.now();
  await other.close();
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
});

test("a reply function answers by the request's content when nothing is scripted; a scripted reply still wins", async () => {
  const byContent = await ModelServer.start({
    reply: (body) => {
      const messages = body.messages as { content: string }[];
      return { content: `answer to ${messages[messages.length - 1].content}` };
    },
  });
  const own = new OpenAI({ apiKey: "sk-test", baseURL: byContent.url, maxRetries: 0 });
  try {
    const ask = async (text: string) =>
      (await own.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] })).choices[0].message.content;
    expect(await ask("b")).toBe("answer to b");
    expect(await ask("a")).toBe("answer to a");
    byContent.script({ content: "scripted" });
    expect(await ask("c")).toBe("scripted");
    expect(await ask("c")).toBe("answer to c");
  } finally {
    await byContent.close();
  }
});

/** A chunk as the server sent it, quirks included (not as the SDK's types promise it). */
interface RawChunk {
  id: string;
  model: string;
  choices: { delta?: Record<string, unknown>; finish_reason: string | null }[];
  usage?: unknown;
  prompt_filter_results?: unknown;
}

/** The chunks of a streamed answer as the server sent them (the SDK's Stream, no accumulator). */
async function rawChunks(model: string, quirks: StreamQuirks, extra: ScriptedReply = {}): Promise<RawChunk[]> {
  server.script({ content: "two words", chunkDelayMs: 0, quirks, ...extra });
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "x" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks: RawChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk as unknown as RawChunk);
  return chunks;
}

test("stream quirks: each shape is sent as the servers that have it send it", async () => {
  const plain = await rawChunks("gpt-4o", {});
  expect(plain[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
  expect(plain.at(-1)?.usage).toMatchObject({ completion_tokens: 2 });

  const noRole = await rawChunks("gpt-4o", { noRole: true });
  expect(noRole.some((c) => c.choices.some((choice) => "role" in (choice.delta ?? {})))).toBe(false);
  expect(noRole[0].choices[0].delta).toEqual({ content: "two " });

  const azure = await rawChunks("gpt-4o", { azurePromptFilter: true });
  expect(azure[0]).toMatchObject({ id: "", model: "", choices: [], prompt_filter_results: [{ prompt_index: 0 }] });

  const noDelta = await rawChunks("gpt-4o", { finishWithoutDelta: true });
  const finish = noDelta.find((c) => c.choices[0]?.finish_reason === "stop");
  expect(finish?.choices[0]).not.toHaveProperty("delta");

  const noUsage = await rawChunks("gpt-4o", { noUsage: true });
  expect(noUsage.every((c) => c.usage === undefined)).toBe(true);
  const unstreamed = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] });
  expect(unstreamed.usage).toBeDefined();
  server.script({ quirks: { noUsage: true } });
  const without = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] });
  expect(without.usage).toBeUndefined();

  const reasoning = await rawChunks("gpt-4o", {}, { reasoning: "hmm ok" });
  expect(reasoning.slice(1, 3).map((c) => c.choices[0].delta)).toEqual([
    { reasoning_content: "hmm ", content: null },
    { reasoning_content: "ok", content: null },
  ]);
});

test("server-wide quirks apply to every reply, and a reply's own quirks win key by key", async () => {
  const gateway = await ModelServer.start({ quirks: { noRole: true, noUsage: true } });
  try {
    const sdk = new OpenAI({ apiKey: "sk-test", baseURL: gateway.url, maxRetries: 0 });
    gateway.script({ quirks: { noUsage: false } });
    const stream = await sdk.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "x" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: RawChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as RawChunk);
    expect(chunks.some((c) => c.choices.some((choice) => choice.delta?.role))).toBe(false);
    expect(chunks.at(-1)?.usage).toBeDefined();
  } finally {
    await gateway.close();
  }
});

test("reasoning model ids refuse max_tokens and temperature ≠ 1 as OpenAI does; other models refuse reasoning_effort", async () => {
  const reasoning = await ModelServer.start({
    models: ["o3-mini", "gpt-5-mini", "gpt-4o", "prod-reasoner"],
    reasoningModels: ["prod-reasoner"],
  });
  try {
    const sdk = new OpenAI({ apiKey: "sk-test", baseURL: reasoning.url, maxRetries: 0 });
    const refusal = (body: Record<string, unknown>) =>
      sdk.chat.completions.create({ messages: [{ role: "user", content: "x" }], ...body } as never).then(
        () => undefined,
        (error: APIError) => ({ status: error.status, message: error.message, param: error.param, code: error.code }),
      );
    for (const model of ["o3-mini", "prod-reasoner"]) {
      expect(await refusal({ model, max_tokens: 5 })).toEqual({
        status: 400,
        message: "400 Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: "max_tokens",
        code: "unsupported_parameter",
      });
      expect(await refusal({ model, max_completion_tokens: 5, temperature: 1 })).toBeUndefined();
    }
    expect(await refusal({ model: "gpt-5-mini", temperature: 0 })).toMatchObject({
      status: 400,
      message: "400 Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
      param: "temperature",
      code: "unsupported_value",
    });
    expect(await refusal({ model: "gpt-4o", reasoning_effort: "low" })).toMatchObject({ status: 400, param: "reasoning_effort" });
    expect(await refusal({ model: "gpt-4o", max_tokens: 5, max_completion_tokens: 5, temperature: 0 })).toBeUndefined();
  } finally {
    await reasoning.close();
  }
});

test("embeddings: one unit vector per text, in order, the same for the same text, as floats or base64 (the SDK's default)", async () => {
  const floats = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: ["alpha", "beta", "alpha"],
    dimensions: 8,
    encoding_format: "float",
  });
  expect(floats).toMatchObject({ object: "list", model: "text-embedding-3-small", usage: { prompt_tokens: 3, total_tokens: 3 } });
  expect(floats.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
    ["embedding", 0, 8],
    ["embedding", 1, 8],
    ["embedding", 2, 8],
  ]);
  const [alpha, beta, again] = floats.data.map((d) => d.embedding);
  expect(again).toEqual(alpha);
  expect(beta).not.toEqual(alpha);
  expect(Math.hypot(...alpha)).toBeCloseTo(1, 6);
  // The SDK asks for base64 unless told otherwise and decodes it: the same float32 numbers.
  const decoded = await client.embeddings.create({ model: "text-embedding-3-small", input: "alpha", dimensions: 8 });
  expect(server.embeddingRequests()[1].body.encoding_format).toBe("base64");
  expect(decoded.data[0].embedding).toEqual(alpha);
  expect((await client.embeddings.create({ model: "text-embedding-3-large", input: "alpha" })).data[0].embedding).toHaveLength(3072);
  expect(server.embeddingRequests()).toHaveLength(3);
});

test("embeddings fail as OpenAI's do: unknown model 404, bad input and refused dimensions 400, a bad key 401, scripted failures", async () => {
  const failure = (body: Record<string, unknown>, sdk: OpenAI = client) =>
    sdk.embeddings.create({ encoding_format: "float", ...body } as never).then(
      () => undefined,
      (error: APIError) => ({ status: error.status, message: error.message, param: error.param }),
    );
  expect(await failure({ model: "gpt-4o-mini", input: "x" })).toMatchObject({
    status: 404,
    message: expect.stringContaining("gpt-4o-mini"),
  });
  expect(await failure({ model: "text-embedding-3-small", input: [] })).toMatchObject({ status: 400, param: "input" });
  expect(await failure({ model: "text-embedding-3-small", input: ["a", ""] })).toMatchObject({ status: 400, param: "input" });
  expect(await failure({ model: "text-embedding-ada-002", input: "x", dimensions: 8 })).toEqual({
    status: 400,
    message: "400 This model does not support specifying dimensions.",
    param: "dimensions",
  });
  expect(await failure({ model: "text-embedding-3-small", input: "x", dimensions: 9999 })).toMatchObject({
    status: 400,
    param: "dimensions",
  });
  server.scriptEmbeddings({ status: 503 });
  expect(await failure({ model: "text-embedding-3-small", input: "x" })).toMatchObject({ status: 503 });
  const keyed = await ModelServer.start({ apiKey: "sk-test-right" });
  try {
    const wrong = new OpenAI({ apiKey: "sk-test-wrong", baseURL: keyed.url, maxRetries: 0 });
    expect(await failure({ model: "text-embedding-3-small", input: "x" }, wrong)).toMatchObject({ status: 401 });
  } finally {
    await keyed.close();
  }
});
