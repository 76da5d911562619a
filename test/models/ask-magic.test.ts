// The %%ask magic and %models, over the real kernel protocol, through the real openai SDK, against the
// local OpenAI-compatible server.
import { displaysOf, KernelClient, messagesOfType, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

const KEY = "sk-test-ask-magic-0123456789abcdef";
let server: ModelServer;
let kernel: KernelClient;

beforeAll(async () => {
  server = await ModelServer.start();
  const cwd = modelNotebookDir({
    models: {
      default: "fast",
      aliases: {
        fast: { model: "gpt-4o-mini", params: { temperature: 0.3, top_p: 0.9 } },
        local: { model: "test-model", baseURL: server.url, apiKeyEnv: null },
        gateway: { model: "gpt-4o", apiKeyEnv: "LABTRAIL_TEST_GATEWAY_KEY" },
      },
    },
  });
  kernel = await KernelClient.start({ cwd, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, LABTRAIL_TEST_GATEWAY_KEY: "" } });
});
afterAll(async () => {
  await kernel?.stop();
  await server?.close();
});
beforeEach(() => server.reset());

const ok = (code: string): Promise<Exchange> => kernel.executeOk(code);
const displays = displaysOf;

describe("%%ask", () => {
  test("streams the answer into one display, renders it as Markdown, then one usage line", async () => {
    const answer = "**Short**: the function adds `a` and `b` and returns the sum of both numbers.";
    server.script({ content: answer, chunkDelayMs: 60, usage: { prompt_tokens: 17, completion_tokens: 14 } });
    const exchange = await ok("// Tested: a one-sentence summary\n%%ask\nSummarize add() in one sentence.");

    const shown = displays(exchange);
    const answerId = shown[0].content.transient.display_id;
    const updates = shown.filter((m) => m.msg_type === "update_display_data" && m.content.transient.display_id === answerId);
    // More than one update: the text arrived piece by piece, not all at the end.
    expect(updates.length).toBeGreaterThan(2);
    const texts = updates.map((m) => m.content.data["text/markdown"] as string);
    expect(texts.some((t) => t.length > 0 && t.length < answer.length && answer.startsWith(t))).toBe(true);
    expect(texts.at(-1)).toBe(answer);

    const usage = shown.at(-1)!;
    expect(usage.msg_type).toBe("display_data");
    expect(usage.content.data["text/plain"]).toMatch(/^fast → gpt-4o-mini · 17 in \/ 14 out tokens · (\d+ ms|\d+\.\d s) · live$/);
    // No execute_result: the answer is the display, not a duplicate value.
    expect(messagesOfType(exchange, "execute_result")).toHaveLength(0);

    const [request] = server.chatRequests();
    expect(request.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: true,
      temperature: 0.3,
      top_p: 0.9,
      messages: [{ role: "user", content: "Summarize add() in one sentence." }],
    });
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  test("flags set the request; the body is a template literal where only ${…} is code", async () => {
    await ok('const source = "function add(a: number, b: number) { return { sum: a + b }; }";');
    await ok(
      [
        "%%ask gpt-4o --temperature 0 --max-tokens 200 --seed 7 --system 'Answer tersely.' --param top_p=0.5 --param 'stop=[\"END\"]'",
        "Summarize this function in one sentence:",
        "${source}",
        "Braces {like these} and `backticks` and \\n stay text; ${[1, 2].length} is code.",
      ].join("\n"),
    );
    const [request] = server.chatRequests();
    expect(request.body).toMatchObject({ model: "gpt-4o", temperature: 0, max_tokens: 200, seed: 7, top_p: 0.5, stop: ["END"] });
    expect(request.body.messages).toEqual([
      { role: "system", content: "Answer tersely." },
      {
        role: "user",
        content:
          "Summarize this function in one sentence:\nfunction add(a: number, b: number) { return { sum: a + b }; }\nBraces {like these} and `backticks` and \\n stay text; 2 is code.",
      },
    ]);
  });

  test("--as binds a typed const that later cells use; misuse is a type error", async () => {
    server.script({ content: "The function adds two numbers." });
    await ok("%%ask --as summary\nSummarize add().");
    const length = await ok("summary.toUpperCase()");
    expect(messagesOfType(length, "execute_result")[0].content.data["text/plain"]).toBe("'THE FUNCTION ADDS TWO NUMBERS.'");
    const misuse = await kernel.execute("const n: number = summary;");
    expect(misuse.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
    expect(misuse.reply.content.evalue).toContain("Type 'string' is not assignable to type 'number'");
  });

  test("--schema makes it structured: the value is parsed, typed and shown as JSON", async () => {
    await ok('import { z } from "zod";\nconst Ticket = z.object({ title: z.string(), priority: z.enum(["low", "high"]) });');
    server.script({ content: '{"title":"Login fails","priority":"high"}' });
    const exchange = await ok("%%ask local --schema Ticket --as ticket\nExtract the ticket from: login fails since Monday!");
    const [request] = server.chatRequests();
    expect(request.body.model).toBe("test-model");
    expect(request.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "result", strict: true } });
    expect(request.body.response_format.json_schema.schema.properties.priority.enum).toEqual(["low", "high"]);
    // An alias with apiKeyEnv null sends no real key.
    expect(request.headers.authorization).not.toContain(KEY);
    const final = displays(exchange).filter((m) => m.content.data["text/markdown"]?.startsWith("```json"));
    expect(final.at(-1)!.content.data["text/markdown"]).toBe('```json\n{\n  "title": "Login fails",\n  "priority": "high"\n}\n```');

    expect(messagesOfType(await ok("ticket.priority"), "execute_result")[0].content.data["text/plain"]).toBe("'high'");
    const misuse = await kernel.execute('const p: "urgent" = ticket.priority;');
    expect(misuse.reply.content.ename).toBe("TypeScriptError");
  });

  test("an unknown magic or a bad flag is one clear error that lists what exists, and nothing is sent", async () => {
    const unknown = await kernel.execute("// Tested: x\n%%aks fast\nhello");
    expect(unknown.reply.content).toMatchObject({ status: "error", ename: "MagicError" });
    expect(unknown.reply.content.evalue).toBe("unknown magic %%aks; the magics are %%ask, %models, %replay:");
    expect(unknown.reply.content.traceback.join("\n")).toContain("%models  list the configured models");

    const flag = await kernel.execute("%%ask --temprature 0\nhello");
    expect(flag.reply.content.evalue).toBe(
      "%%ask: unknown option --temprature; options: --model, --temperature, --max-tokens, --seed, --system, --reasoning-effort, --as, --schema, --param",
    );
    const line = await kernel.execute("%model");
    expect(line.reply.content.evalue).toContain("unknown magic %model; the magics are %%ask, %models, %replay");
    const empty = await kernel.execute("%%ask fast\n\n");
    expect(empty.reply.content.evalue).toContain("the prompt is empty");
    expect(server.chatRequests()).toHaveLength(0);
  });
});

describe("%models", () => {
  test("lists the default and every alias with its endpoint and whether its key variable is set, never the key", async () => {
    const exchange = await ok("// Tested: which models are configured\n%models");
    const [shown] = messagesOfType(exchange, "display_data");
    const text: string = shown.content.data["text/plain"];
    const rows = text.split("\n");
    expect(rows[0]).toMatch(/^name\s+model\s+endpoint\s+key$/);
    expect(rows[1]).toMatch(new RegExp(`^fast \\(default\\)\\s+gpt-4o-mini\\s+${server.url}\\s+OPENAI_API_KEY \\(set\\)$`));
    expect(rows[2]).toMatch(/^local\s+test-model\s+\S+\s+none needed$/);
    expect(rows[3]).toMatch(/^gateway\s+gpt-4o\s+\S+\s+LABTRAIL_TEST_GATEWAY_KEY \(NOT SET\)$/);
    expect(shown.content.data["text/markdown"]).toContain("| fast (default) | gpt-4o-mini |");
    expect(rows.at(-1)).toMatch(/^Models from \S+labtrail\.config\.json\. Any other model id goes to /);
    expect(JSON.stringify(exchange)).not.toContain(KEY);
  });

  test("a line magic runs before the code that follows it in the same cell", async () => {
    const exchange = await ok("%models\nconst after = 40 + 2;\nafter");
    expect(messagesOfType(exchange, "display_data")).toHaveLength(1);
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe("42");
  });
});
