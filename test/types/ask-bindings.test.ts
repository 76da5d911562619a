// `%%ask --as NAME` declares a typed const in the cell: over the real kernel protocol, a later cell that
// misuses the binding's type fails to compile with TypeScript's own error code, and nothing runs.
import { KernelClient, type Exchange } from "../support/kernel-client";
import { modelNotebookDir } from "../support/model-notebook";
import { ModelServer } from "../support/model-server";

let server: ModelServer;
let kernel: KernelClient;

beforeAll(async () => {
  server = await ModelServer.start();
  const cwd = modelNotebookDir({
    models: { default: "local", aliases: { local: { model: "test-model", baseURL: server.url, apiKeyEnv: null } } },
  });
  kernel = await KernelClient.start({ cwd });
});
afterAll(async () => {
  await kernel?.stop();
  await server?.close();
});

async function ok(code: string): Promise<Exchange> {
  const exchange = await kernel.execute(code);
  if (exchange.reply.content.status !== "ok") throw new Error(`${code}\n→ ${JSON.stringify(exchange.reply.content)}`);
  return exchange;
}

/** The reply's error value, for a cell that must not compile. */
async function typeError(code: string): Promise<string> {
  const exchange = await kernel.execute(code);
  expect(exchange.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
  return String(exchange.reply.content.evalue);
}

test("--as binds a const string: a number's use, a method it lacks and a reassignment are type errors", async () => {
  server.script({ content: "The function adds two numbers." });
  await ok("%%ask --as summary\nSummarize add().");
  expect(await typeError("const n: number = summary;")).toMatch(/^1:7 - TS2322: Type 'string' is not assignable to type 'number'/);
  expect(await typeError("summary.push(1);")).toMatch(/^1:9 - TS2339: Property 'push' does not exist on type 'string'/);
  expect(await typeError('summary = "other";')).toMatch(/^1:1 - TS2588: Cannot assign to 'summary' because it is a constant/);
  // A failed compile runs nothing: the binding still holds the answer.
  expect(
    (await ok("summary")).iopub.some(
      (m) => m.msg_type === "execute_result" && m.content.data["text/plain"] === "'The function adds two numbers.'",
    ),
  ).toBe(true);
});

test("--as with --schema binds the schema's type: its fields, their types, nothing else", async () => {
  await ok('import { z } from "zod";\nconst Ticket = z.object({ title: z.string(), priority: z.enum(["low", "high"]) });');
  server.script({ content: '{"title":"Login fails","priority":"high"}' });
  await ok("%%ask --schema Ticket --as ticket\nExtract the ticket from: login fails since Monday!");
  await ok('const title: string = ticket.title;\nconst priority: "low" | "high" = ticket.priority;');
  expect(await typeError('const p: "urgent" = ticket.priority;')).toMatch(/^1:7 - TS2322: Type '.+' is not assignable to type '"urgent"'/);
  expect(await typeError("ticket.assignee;")).toMatch(/^1:8 - TS2339: Property 'assignee' does not exist on type/);
  expect(await typeError("const n: number = ticket.title;")).toMatch(/^1:7 - TS2322: Type 'string' is not assignable to type 'number'/);
});
