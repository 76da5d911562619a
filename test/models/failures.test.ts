// How model calls fail, end to end: a cell calls ask/chat/structured or runs %%ask in the real kernel,
// over the real Jupyter protocol, through the real openai SDK, against the local model server scripted
// to fail. Each failure must surface as ONE clear error (ename ModelCallError / StructuredOutputError,
// an evalue that says what happened and names the thing to fix), never leak the API key, and leave the
// kernel healthy for the next cell.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { freePorts } from "../../kernel/src/client/ports";
import { KernelClient, messagesOfType, streamText, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

// The key the kernel holds: unique per run, so finding it anywhere it should not be is unambiguous.
const CANARY = `sk-labtrail-canary-${randomBytes(12).toString("hex")}`;

let server: ModelServer;
let kernel: KernelClient;
/** A second kernel whose OPENAI_API_KEY is empty. */
let keyless: KernelClient;
let closedPort: number;
let notebookDir: string;

beforeAll(async () => {
  // The server checks the key, so a wrong key gets a real 401 rather than a scripted one.
  server = await ModelServer.start({ apiKey: CANARY });
  // A port nothing listens on: free a moment ago, released.
  [closedPort] = await freePorts(1);
  // The notebook's folder: the config, and node_modules so that cells can `import { z } from "zod"`.
  // It lives outside the repo so no other labtrail.config.json is found walking up.
  notebookDir = modelNotebookDir({
    models: {
      // Not an alias: the default endpoint (OPENAI_BASE_URL) and OPENAI_API_KEY.
      default: "test-model",
      aliases: {
        local: { model: "test-model", baseURL: server.url, maxRetries: 0 },
        other: { model: "test-model", baseURL: server.url, apiKeyEnv: "OTHER_KEY" },
        wrongkey: { model: "test-model", baseURL: server.url, apiKeyEnv: "WRONG_KEY" },
        closed: { model: "test-model", baseURL: `http://127.0.0.1:${closedPort}/v1` },
      },
      timeoutMs: 10_000,
      maxRetries: 2,
    },
  });
  const env = { OPENAI_BASE_URL: server.url, OTHER_KEY: "", WRONG_KEY: "not-the-right-key" };
  [kernel, keyless] = await Promise.all([
    KernelClient.start({ cwd: notebookDir, env: { ...env, OPENAI_API_KEY: CANARY } }),
    KernelClient.start({ cwd: notebookDir, env: { ...env, OPENAI_API_KEY: "" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([kernel?.stop(), keyless?.stop()]);
  await server?.close();
  // rm removes the node_modules link itself, never what it points to.
  if (notebookDir) rmSync(notebookDir, { recursive: true, force: true });
});

beforeEach(() => server.reset());

/** Runs a cell that must fail with one model error; returns its evalue after checking the shape. */
async function expectFailure(code: string, ename = "ModelCallError", on = kernel, timeout = 20): Promise<string> {
  const exchange = await on.execute(code, { timeout });
  const { content } = exchange.reply;
  expect(content).toMatchObject({ status: "error", ename });
  // Exactly one error broadcast, agreeing with the reply.
  const errors = messagesOfType(exchange, "error");
  expect(errors).toHaveLength(1);
  expect(errors[0].content).toMatchObject({ ename, evalue: content.evalue });
  expect(content.traceback.join("\n")).toContain(content.evalue.split("\n")[0]);
  await expectHealthy(on);
  return content.evalue as string;
}

/** The kernel still runs cells after the failure. */
async function expectHealthy(on = kernel): Promise<void> {
  const next = await on.execute("1 + 1");
  expect(next.reply.content.status).toBe("ok");
  expect(messagesOfType(next, "execute_result")[0].content.data["text/plain"]).toBe("2");
}

/** `text` as a literal inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Waits until `check` holds: the server learns of a client abort a moment after the client leaves. */
async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("keys", () => {
  test("OPENAI_API_KEY empty: names the variable, and nothing is sent", async () => {
    const evalue = await expectFailure('await ask("hi")', "ModelCallError", keyless);
    expect(evalue).toContain("no API key: OPENAI_API_KEY is not set");
    expect(evalue).toContain('model "test-model"');
    expect(evalue).toContain("%models");
    expect(server.chatRequests()).toHaveLength(0);
  });

  test("an alias's apiKeyEnv unset: names that variable and the alias, and nothing is sent", async () => {
    const evalue = await expectFailure('await ask("hi", { model: "other" })');
    expect(evalue).toContain("OTHER_KEY is not set");
    expect(evalue).toContain('the alias "other"');
    expect(evalue).not.toContain("OPENAI_API_KEY");
    expect(server.chatRequests()).toHaveLength(0);
  });

  test("a wrong key (401 from the server's own check): names the variable, not retried", async () => {
    const evalue = await expectFailure('await ask("hi", { model: "wrongkey" })');
    expect(evalue).toBe(`${server.url} rejected the API key from WRONG_KEY (401): Incorrect API key provided.`);
    expect(server.chatRequests()).toHaveLength(1);
    expect(server.chatRequests()[0].headers.authorization).toBe("Bearer not-the-right-key");
  });

  test("403: says the key may not use that model", async () => {
    server.script({ status: 403 });
    const evalue = await expectFailure('await ask("hi")');
    expect(evalue).toBe(
      `the API key from OPENAI_API_KEY may not use test-model at ${server.url} (403): You are not allowed to sample from this model.`,
    );
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("unknown model", () => {
  test("404: names the model and lists the configured aliases", async () => {
    const evalue = await expectFailure('await ask("hi", { model: "gpt-9-imaginary" })');
    expect(evalue).toContain(`model "gpt-9-imaginary" was not found at ${server.url} (404)`);
    expect(evalue).toContain("configured aliases: local, other, wrongkey, closed");
    expect(evalue).toContain("%models");
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("rate limits and server errors", () => {
  test("429 with retry-after: 1 is retried after about a second, and the cell succeeds", async () => {
    server.script({ status: 429, headers: { "retry-after": "1" } });
    const exchange = await kernel.execute('await ask("patience")');
    expect(exchange.reply.content.status).toBe("ok");
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe("'Echo: patience'");
    const [first, second] = server.chatRequests();
    expect(server.chatRequests()).toHaveLength(2);
    // The SDK's own backoff would be ~0.5 s; ≥ 0.9 s shows the header was honoured.
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(900);
  });

  test("429 on every attempt: one error naming the rate limit and the attempts", async () => {
    const limited = { status: 429, headers: { "retry-after-ms": "10" } };
    server.script(limited, limited);
    const evalue = await expectFailure('await ask("hi", { maxRetries: 1 })');
    expect(evalue).toBe(`rate limited by ${server.url} (429) after 2 attempts; it asked to wait 10 ms: Rate limit reached for requests.`);
    expect(server.chatRequests()).toHaveLength(2);
  });

  test("429 without retries: says none were configured and what the server asked for", async () => {
    server.script({ status: 429, headers: { "retry-after": "7" } });
    const evalue = await expectFailure('await ask("hi", { maxRetries: 0 })');
    expect(evalue).toBe(
      `rate limited by ${server.url} (429) (no retries configured); it asked to wait 7 s: Rate limit reached for requests.`,
    );
    expect(server.chatRequests()).toHaveLength(1);
  });

  test("500 then 503 are retried, and the third attempt's answer is the cell's", async () => {
    const quick = { "retry-after-ms": "10" };
    server.script({ status: 500, headers: quick }, { status: 503, headers: quick }, { content: "third time lucky" });
    const exchange = await kernel.execute('await ask("hi")');
    expect(exchange.reply.content.status).toBe("ok");
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe("'third time lucky'");
    expect(server.chatRequests()).toHaveLength(3);
  });

  test("5xx on every attempt: one error with the status, the server's message and the attempts", async () => {
    const quick = { "retry-after-ms": "10" };
    server.script({ status: 500, headers: quick }, { status: 503, headers: quick });
    const evalue = await expectFailure('await ask("hi", { maxRetries: 1 })');
    expect(evalue).toBe(`${server.url} failed with 503 after 2 attempts: The engine is currently overloaded.`);
    expect(server.chatRequests()).toHaveLength(2);
  });
});

describe("what the error carries", () => {
  test("the SDK's error is its cause and the endpoint's x-request-id its requestId; the message is unchanged", async () => {
    server.script({ status: 503 });
    const code = [
      'const caught: any = await ask("hi", { maxRetries: 0 }).then(() => null, (e) => e);',
      "console.log(JSON.stringify({ name: caught.name, kind: caught.kind, status: caught.status, requestId: caught.requestId, message: caught.message,",
      "  cause: caught.cause?.constructor?.name, causeStatus: caught.cause?.status, causeRequestId: caught.cause?.requestID }))",
    ].join("\n");
    const exchange = await kernel.execute(code);
    expect(exchange.reply.content.status).toBe("ok");
    const shown = JSON.parse(streamText(exchange, "stdout"));
    const [request] = server.chatRequests();
    expect(request.requestId).toMatch(/^req_\d+$/);
    expect(shown).toEqual({
      name: "ModelCallError",
      kind: "server-error",
      status: 503,
      requestId: request.requestId,
      message: `${server.url} failed with 503: The engine is currently overloaded.`,
      cause: "InternalServerError",
      causeStatus: 503,
      causeRequestId: request.requestId,
    });
  });

  test("a failure without a response keeps its cause and has no requestId", async () => {
    const exchange = await kernel.execute(
      'const refused: any = await ask("hi", { model: "closed", maxRetries: 0 }).then(() => null, (e) => e);\n' +
        "[refused.cause?.constructor?.name, refused.requestId === undefined].join(' ')",
    );
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe("'APIConnectionError true'");
  });
});

describe("no answer", () => {
  test("a reply slower than timeoutMs: says it timed out and within how long; the request is abandoned", async () => {
    server.script({ delayMs: 5000 });
    const started = Date.now();
    const evalue = await expectFailure('await ask("hi", { timeoutMs: 300, maxRetries: 0 })');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(server.chatRequests()).toHaveLength(1);
    await until(() => server.chatRequests()[0].aborted);
    expect(evalue).toMatch(new RegExp(`^no answer from ${escapeRegExp(server.url)} within `));
    expect(evalue).toContain('raise "timeoutMs"');
    // The limit that applied is the call's 300 ms, not the config's 10 s.
    expect(evalue).toContain("within 0.3 s;");
  });

  test("nothing listening at the alias's baseURL: connection refused, naming the URL", async () => {
    const evalue = await expectFailure('await ask("hi", { model: "closed", maxRetries: 0 })');
    expect(evalue).toBe(
      `cannot connect to http://127.0.0.1:${closedPort}/v1: connection refused — is the server running, and is the base URL right?`,
    );
  });

  test("the connection dropped without a response: says it cannot reach the endpoint, and why", async () => {
    server.script({ hangUp: true });
    const evalue = await expectFailure('await ask("hi", { maxRetries: 0 })');
    expect(evalue).toMatch(new RegExp(`^cannot reach ${escapeRegExp(server.url)}: .*(socket|closed|terminated|reset)`, "i"));
    expect(server.chatRequests()).toHaveLength(1);
  });

  test("a stream cut mid-way (%%ask): says it broke off, and the partial answer stays displayed", async () => {
    server.script({ content: "one two three four five six", disconnectAfterChunks: 3 });
    const exchange = await kernel.execute("%%ask local\ncount to six", { timeout: 20 });
    expect(exchange.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
    const evalue: string = exchange.reply.content.evalue;
    expect(evalue).toMatch(new RegExp(`^the answer's stream from ${server.url} broke off after 14 characters: `));
    expect(messagesOfType(exchange, "error")).toHaveLength(1);
    // The view opened ("waiting…") and was last updated with the words that arrived, not replaced.
    const shown = [...messagesOfType(exchange, "display_data"), ...messagesOfType(exchange, "update_display_data")];
    expect(messagesOfType(exchange, "display_data")[0].content.data["text/markdown"]).toContain("waiting for local");
    expect(shown.at(-1)!.content.data["text/markdown"]).toBe("one two three ");
    expect(server.chatRequests()).toHaveLength(1);
    await expectHealthy();
  });
});

describe("answers that are not usable", () => {
  test("a 200 whose body is not a completion: says so and why", async () => {
    server.script({ rawBody: "<html>502 Bad Gateway</html>" });
    const evalue = await expectFailure('await ask("hi", { maxRetries: 0 })');
    expect(evalue).toMatch(new RegExp(`^${escapeRegExp(server.url)} sent a response that is not a chat completion: .*JSON`));
  });

  test("a 400 for a passed-through parameter (chat): the endpoint's own message, naming the parameter", async () => {
    server.script({ status: 400, error: { message: "Unrecognized request argument supplied: frobnicate" } });
    const evalue = await expectFailure('await chat([{ role: "user", content: "hi" }], { frobnicate: true })');
    expect(evalue).toBe(`${server.url} rejected the request (400): Unrecognized request argument supplied: frobnicate`);
    // It was sent as given: the error is the endpoint's verdict, not a local guess.
    expect(server.chatRequests()[0].body.frobnicate).toBe(true);
  });

  test("a refusal: says the model refused, with its words", async () => {
    server.script({ refusal: "I can't help with that." });
    const evalue = await expectFailure('await ask("hi")');
    expect(evalue).toBe("the model refused: I can't help with that.");
  });

  test('finish_reason "length": says it was cut off at max_tokens', async () => {
    server.script({ content: "a b c", finishReason: "length" });
    const evalue = await expectFailure('await ask("hi", { maxTokens: 3 })');
    expect(evalue).toBe(
      'the answer was cut off at max_tokens 3 after 5 characters (finish_reason "length"); raise maxTokens (--max-tokens in %%ask)',
    );
  });

  test('finish_reason "content_filter": says the content filter stopped it', async () => {
    server.script({ content: "", finishReason: "content_filter" });
    const evalue = await expectFailure('await ask("hi")');
    expect(evalue).toBe(`the endpoint's content filter stopped the answer after 0 characters (finish_reason "content_filter")`);
  });

  test("structured output that is not JSON: StructuredOutputError showing the raw output", async () => {
    server.script({ content: "{not json" });
    const evalue = await expectFailure(
      'import { z } from "zod";\nawait structured(z.object({ n: z.number() }), "a number")',
      "StructuredOutputError",
    );
    expect(evalue).toMatch(/^the model's output is not valid JSON \(.+\); raw output:\n\{not json$/);
  });

  test("structured output that does not match the schema: lists each issue's path, shows the raw output", async () => {
    const raw = JSON.stringify({ n: "five", tags: ["ok", 7] });
    server.script({ content: raw });
    const evalue = await expectFailure(
      'import { z } from "zod";\nawait structured(z.object({ n: z.number(), tags: z.array(z.string()) }), "a number", { schemaName: "counted" })',
      "StructuredOutputError",
    );
    const lines = evalue.split("\n");
    expect(lines[0]).toBe('the model\'s output does not match the schema "counted":');
    expect(lines[1]).toMatch(/^ {2}- n: .*expected number/i);
    expect(lines[2]).toMatch(/^ {2}- tags\.1: .*expected string/i);
    expect(lines.slice(3)).toEqual(["raw output:", raw]);
  });
});

describe("traceback", () => {
  test("points at the cell's line, not at labtrail's own modules", async () => {
    server.script({ status: 403 });
    const exchange = await kernel.execute('const prompt = "hi";\nawait ask(prompt)');
    const { evalue, traceback } = exchange.reply.content;
    expect(traceback[0]).toBe(`ModelCallError: ${evalue}`);
    const frames: string[] = traceback.slice(1);
    // The user's code is line 2 of this cell; the model layer's frames say nothing to the user.
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/^ {4}at (async )?(.+ \()?In\[\d+\]:2:\d+\)?$/);
  });
});

describe("interrupt", () => {
  test("interrupting a cell waiting on a model ends it at once and aborts the request", async () => {
    server.script({ delayMs: 30_000 });
    const id = await kernel.sendExecute('await ask("slow", { maxRetries: 0 })');
    await until(() => server.chatRequests().length === 1, 10_000);
    const interruptedAt = Date.now();
    await kernel.interruptBySignal();
    // A 10 s collect: an interrupt that did not end the call would only end with the 30 s delay.
    const [result] = await kernel.collect([id], 10);
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect(result.reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
    expect(messagesOfType(result, "error")).toHaveLength(1);
    await until(() => server.chatRequests()[0].aborted);
    expect(server.chatRequests()).toHaveLength(1);
    await expectHealthy();
  });
});

describe("secrets", () => {
  test("a key echoed back by the endpoint reaches no output, reply or log; %models shows only that it is set", async () => {
    const exchanges: Exchange[] = [];
    const run = async (code: string) => {
      const exchange = await kernel.execute(code, { timeout: 20 });
      exchanges.push(exchange);
      return exchange;
    };
    server.script({ status: 401, echoAuthorization: true }, { status: 500, echoAuthorization: true }, { content: `{"n": "${CANARY}"}` });
    const unauthorized = await run('await ask("hi")');
    const failed = await run('await ask("hi", { maxRetries: 0 })');
    const structuredFail = await run('import { z } from "zod";\nawait structured(z.object({ n: z.number() }), "a number")');
    const models = await run("%models");

    // The test could fail: the server did get the key, and did send it back.
    expect(server.chatRequests()).toHaveLength(3);
    for (const request of server.chatRequests()) expect(request.headers.authorization).toBe(`Bearer ${CANARY}`);

    expect(unauthorized.reply.content.evalue).toBe(
      `${server.url} rejected the API key from OPENAI_API_KEY (401): Incorrect API key provided. (received Authorization: Bearer [redacted])`,
    );
    expect(failed.reply.content.evalue).toBe(
      `${server.url} failed with 500: The server had an error while processing your request. (received Authorization: Bearer [redacted])`,
    );
    expect(structuredFail.reply.content).toMatchObject({ ename: "StructuredOutputError" });
    expect(structuredFail.reply.content.evalue).toContain('raw output:\n{"n": "[redacted]"}');
    const table = messagesOfType(models, "display_data")[0].content.data["text/plain"];
    expect(table).toMatch(/OPENAI_API_KEY \(set\)/);
    expect(table).toMatch(/OTHER_KEY \(NOT SET\)/);

    // Nowhere: not in any message of any of these cells, nor in the kernel's log.
    const secretPart = CANARY.slice("sk-".length);
    for (const exchange of exchanges) {
      const text = JSON.stringify(exchange);
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(secretPart);
    }
    expect(kernel.log).not.toContain(secretPart);
    await expectHealthy();
  });
});
