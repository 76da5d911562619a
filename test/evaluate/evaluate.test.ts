import { displaysOf, type Exchange, messagesOfType, streamText } from "../support/kernel-client";
import { type LoggedRequest, ModelServer } from "../support/model-server";
import { notebookDir, records, startKernel } from "./evaluation-kernels";

let server: ModelServer;
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => server?.close());
beforeEach(() => server.reset());
const start = (dir: string, env: Record<string, string> = {}) => startKernel(dir, server, env);

/** The most requests the server had in flight at once, counting each as in flight for at least `delayMs`. */
function mostAtOnce(requests: readonly LoggedRequest[], delayMs: number): number {
  const starts = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
  return Math.max(...starts.map((at) => starts.filter((other) => other >= at && other < at + delayMs).length));
}

/** What the cell printed as its last stdout line, parsed. */
function printedJson(exchange: Exchange): { summary: Record<string, number>; items: Record<string, unknown>[] } {
  return JSON.parse(streamText(exchange).trim().split("\n").at(-1)!);
}

const promptOf = (body: Record<string, unknown>) => (body.messages as { content: string }[]).at(-1)?.content ?? "";

test("items run concurrently (bounded), progress updates in place, a failing item is kept to itself, the results table is escaped, the run record holds it", async () => {
  const DELAY = 400;
  const dir = notebookDir();
  // Labels by content, slowly; one item's answer is hostile markup.
  const answers: Record<string, string> = {
    a: "bug",
    b: "feature",
    c: "bug",
    d: "<img src=x onerror=alert(1)>",
    e: "bug",
    f: "bug",
    g: "feature",
  };
  const slow = (body: Record<string, unknown>) => ({ content: answers[promptOf(body).slice(-1)] ?? "?", delayMs: DELAY });
  const local = await ModelServer.start({ reply: slow });
  try {
    const kernel = await start(dir, { OPENAI_BASE_URL: local.url });
    const cell = [
      "// Tested: labels of seven titles",
      'const titles = ["a", "b", "c", "d", "e", "f", "g", "x"].map((id) => ({ id, label: id === "b" || id === "g" ? "feature" : "bug" }));',
      'const res = await evaluate("labels", {',
      "  data: titles,",
      '  task: async (t) => { if (t.id === "x") throw new Error(`no title for x (key ${process.env.OPENAI_API_KEY})`); return ask(`Label ${t.id}`); },',
      "  scores: { correct: (output, t) => output === t.label, long: (output) => output.length / 10 },",
      "  concurrency: 4,",
      "});",
      "console.log(JSON.stringify({ summary: res.summary, items: res.items.map((i) => ({ index: i.index, output: i.output, error: i.error, scores: i.scores })) }));",
    ].join("\n");
    const run = await kernel.executeOk(cell, { metadata: { cellId: "labels" }, timeout: 60 });
    const requests = local.chatRequests();
    expect(requests).toHaveLength(7);
    // Overlapping calls, never more than four at once.
    const most = mostAtOnce(requests, DELAY);
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(4);

    const result = printedJson(run);
    expect(result.summary).toMatchObject({ n: 8, runs: 8, errors: 1, calls: 7, replayed: 0, correct: 0.857143 });
    // The failure's message only, and the key in it redacted.
    expect(result.items[7]).toEqual({ index: 7, error: "no title for x (key [redacted])", scores: {} });
    expect(result.items[3]).toMatchObject({ index: 3, output: "<img src=x onerror=alert(1)>", scores: { correct: 0 } });

    // One progress display, updated in place (text/plain beside HTML), ending "finished".
    const shown = displaysOf(run);
    const progressId = shown[0].content.transient.display_id;
    const updates = shown.filter((m) => m.msg_type === "update_display_data" && m.content.transient.display_id === progressId);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.some((m) => /^evaluate "labels": [1-7]\/8 done · /.test(m.content.data["text/plain"]))).toBe(true);
    expect(updates.at(-1)!.content.data["text/plain"]).toMatch(
      /^evaluate "labels": finished · 8\/8 done · 1 error · .* elapsed · tokens \d+ in \/ \d+ out · 7 calls \(0 replayed\)$/,
    );
    expect(updates.at(-1)!.content.data["text/html"]).toContain("<progress");

    // The table: items × scores, the failure marked, the hostile output escaped.
    const table = shown.find((m) => m.msg_type === "display_data" && m.content.data["text/html"]?.includes("labtrail-evaluate-results"))!;
    const html: string = table.content.data["text/html"];
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("✗ no title for x (key [redacted])");
    expect(JSON.stringify(run)).not.toContain("sk-test-evaluate");
    expect(table.content.data["text/plain"]).toMatch(/^labels: correct 0\.857 · long [\d.]+ · n 8 · runs 8 · errors 1/);

    // The record: the summary under the evaluation's name, each item in bounded form, the calls tagged.
    const [record] = records(dir);
    expect(record.status).toBe("ok");
    expect(record.values.labels).toMatchObject({ n: 8, errors: 1, correct: 0.857143 });
    expect(record.evaluations).toHaveLength(1);
    expect(record.evaluations![0]).toMatchObject({ name: "labels", variant: null, scores: ["correct", "long"], runs: 8 });
    expect(record.evaluations![0].items[7]).toEqual({
      index: 7,
      trial: 1,
      output: null,
      outputHash: null,
      scores: {},
      error: "no title for x (key [redacted])",
    });
    expect(record.calls.map((c) => c.item?.item).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  } finally {
    await local.close();
  }
});

test("a per-alias limit in labtrail.config.json holds concurrency below the evaluation's; a 429 storm slows it, fails nothing", async () => {
  const DELAY = 300;
  const local = await ModelServer.start({ reply: () => ({ content: "ok", delayMs: DELAY }) });
  try {
    const kernel = await start(notebookDir({ concurrency: 2 }), { OPENAI_BASE_URL: local.url });
    const cell =
      'const r = await evaluate("limited", { data: [1, 2, 3, 4, 5, 6], task: (n) => ask(`n ${n}`), concurrency: 6 });\nr.summary.errors';
    const run = await kernel.executeOk(cell, { timeout: 60 });
    expect(messagesOfType(run, "execute_result")[0].content.data["text/plain"]).toBe("0");
    expect(local.chatRequests()).toHaveLength(6);
    expect(mostAtOnce(local.chatRequests(), DELAY)).toBeLessThanOrEqual(2);
    expect(mostAtOnce(local.chatRequests(), DELAY)).toBe(2);

    // Rate limited: the first four requests get 429 with Retry-After; the SDK waits and retries each.
    local.reset();
    local.script(...Array.from({ length: 4 }, () => ({ status: 429, headers: { "retry-after-ms": "50" } })));
    const storm = await kernel.executeOk(
      'const s = await evaluate("storm", { data: [1, 2, 3, 4], task: (n) => ask(`s ${n}`), concurrency: 4 });\n[s.summary.errors, s.summary.calls]',
      { timeout: 60 },
    );
    expect(messagesOfType(storm, "execute_result")[0].content.data["text/plain"]).toBe("[ 0, 4 ]");
    expect(local.chatRequests()).toHaveLength(8);
  } finally {
    await local.close();
  }
});

test("interrupt stops the evaluation: in-flight calls are aborted, no item is started after, the cell says so", async () => {
  const local = await ModelServer.start({ reply: () => ({ content: "slow", delayMs: 30_000 }) });
  try {
    const kernel = await start(notebookDir(), { OPENAI_BASE_URL: local.url });
    const id = await kernel.sendExecute(
      'await evaluate("slow", { data: Array.from({ length: 20 }, (_, i) => i), task: (n) => ask(`n ${n}`, { maxRetries: 0 }), concurrency: 3 })',
    );
    const deadline = Date.now() + 20_000;
    while (local.chatRequests().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const interruptedAt = Date.now();
    await kernel.interruptBySignal();
    const [result] = await kernel.collect([id], 15);
    expect(Date.now() - interruptedAt).toBeLessThan(8000);
    expect(result.reply.content.status).toBe("error");
    await new Promise((r) => setTimeout(r, 300));
    expect(local.chatRequests()).toHaveLength(3);
    expect(local.chatRequests().every((r) => r.aborted)).toBe(true);
    // The kernel carries on.
    const after = await kernel.executeOk("1 + 1");
    expect(messagesOfType(after, "execute_result")[0].content.data["text/plain"]).toBe("2");
  } finally {
    await local.close();
  }
});

test("the helpers are in every cell without an import, a cell may declare the same names, and a result renders as its table", async () => {
  const kernel = await start(notebookDir());
  // A notebook that already has a `judge` of its own keeps it.
  const shadow = await kernel.executeOk("function judge(a: number) { return a * 2; }\njudge(2)");
  expect(messagesOfType(shadow, "execute_result")[0].content.data["text/plain"]).toBe("4");
  const scorers = await kernel.executeOk(
    'const s = [includes("a")("cat", {}), numericWithin(0.5)("about 3.2", { expected: 3 }), matches(/^\\d+$/)(42, null), exact()({ a: 1 }, { expected: { a: 1 } })];\nconsole.log(JSON.stringify(s));\nconst r = await evaluate("plain", { data: [1, 2], task: (n) => n * 2, scores: { big: (o) => o > 2 } });\nr',
  );
  expect(streamText(scorers).trim()).toBe("[true,true,true,true]");
  const result = messagesOfType(scorers, "execute_result")[0].content.data;
  expect(result["text/html"]).toContain("labtrail-evaluate-results");
  expect(result["text/plain"]).toMatch(/^plain: big 0\.5 · n 2 · runs 2 · errors 0 · calls 0/);

  // Data from an async iterable; one clear error for a name used twice in a cell, or a bad option.
  const streamed = await kernel.executeOk(
    'async function* items() { yield "a"; yield "bb"; }\n(await evaluate("streamed", { data: items(), task: (t) => t.length })).items.map((i) => i.output)',
  );
  expect(messagesOfType(streamed, "execute_result")[0].content.data["text/plain"]).toBe("[ 1, 2 ]");
  const twice = await kernel.execute(
    'await evaluate("x", { data: [1], task: (n) => n });\nawait evaluate("x", { data: [1], task: (n) => n });',
  );
  expect(twice.reply.content).toMatchObject({ status: "error", ename: "TypeError" });
  expect(twice.reply.content.evalue).toContain('"x" is already a name in this cell\'s record');
  const bad = await kernel.execute('await evaluate("y", { data: [1], task: (n) => n, concurrency: 0 })');
  expect(bad.reply.content.evalue).toContain("concurrency must be a whole number, 1 or more (got 0)");
});
