// Cells import the model-call errors from "labtrail" and branch on them with instanceof — also against
// a second copy of the package — and read a call's usage through ask's onUsage. Real kernel, real
// protocol, the real openai SDK against the local model server.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, messagesOfType, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";
import { repoRoot } from "../support/paths";

let server: ModelServer;
let kernel: KernelClient;

beforeAll(async () => {
  server = await ModelServer.start();
  const cwd = modelNotebookDir({ models: { default: "gpt-4o" } });
  kernel = await KernelClient.start({ cwd, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test-errors-0123456789" } });
});
afterAll(async () => {
  await kernel?.stop();
  await server?.close();
});
beforeEach(() => server.reset());

async function result(code: string): Promise<string> {
  const exchange: Exchange = await kernel.execute(code);
  if (exchange.reply.content.status !== "ok") throw new Error(`${code}\n→ ${JSON.stringify(exchange.reply.content)}`);
  return messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"];
}

test("a structured answer that does not parse is a StructuredOutputError and a ModelCallError", async () => {
  server.script({ content: "{not json" });
  const text = await result(
    [
      'import { z } from "zod";',
      'import { ModelCallError, StructuredOutputError } from "labtrail";',
      "let seen = 'nothing thrown';",
      'try { await structured(z.object({ n: z.number() }), "a number"); }',
      "catch (e) { if (e instanceof StructuredOutputError) seen = `structured ${e instanceof ModelCallError} ${e.kind} ${e.raw}`; }",
      "seen",
    ].join("\n"),
  );
  expect(text).toBe("'structured true invalid-output {not json'");
});

test("an endpoint's refusal is a ModelCallError, not a StructuredOutputError, with its status", async () => {
  const text = await result(
    [
      'import { ModelCallError, StructuredOutputError } from "labtrail";',
      'const e = await ask("hi", { model: "no-such-model", maxRetries: 0 }).then(() => null, (e: unknown) => e);',
      "[e instanceof ModelCallError, e instanceof StructuredOutputError, e instanceof ModelCallError && e.kind, e instanceof ModelCallError && e.status].join(' ')",
    ].join("\n"),
  );
  expect(text).toBe("'true false not-found 404'");
});

test("instanceof holds across two copies of the error classes, and a user's subclass matches only its own", async () => {
  const copyDir = mkdtempSync(join(tmpdir(), "labtrail-second-copy-"));
  const copy = join(copyDir, "model-errors.js");
  copyFileSync(join(repoRoot, "kernel", "dist", "api", "model-errors.js"), copy);
  const text = await result(
    [
      'import * as labtrail from "labtrail";',
      `const other: typeof labtrail = require(${JSON.stringify(copy)});`,
      "const theirs = new other.StructuredOutputError('bad', '{', []);",
      "const ours = new labtrail.ModelCallError('timeout', 'slow');",
      "class MyError extends labtrail.ModelCallError {}",
      "[other.ModelCallError !== labtrail.ModelCallError, theirs instanceof labtrail.StructuredOutputError, theirs instanceof labtrail.ModelCallError,",
      " ours instanceof other.ModelCallError, ours instanceof other.StructuredOutputError, ours instanceof MyError, new MyError('timeout', 'x') instanceof MyError,",
      " new Error('plain') instanceof labtrail.ModelCallError].join(' ')",
    ].join("\n"),
  );
  expect(text).toBe("'true true true true false false true false'");
});

test("ask's onUsage is told the call's usage, and onUsage is not sent to the API", async () => {
  server.script({ content: "Paris.", usage: { prompt_tokens: 11, completion_tokens: 3 } });
  const text = await result(
    [
      'import type { CallUsage } from "labtrail";',
      "const usages: CallUsage[] = [];",
      'const answer: string = await ask("Capital of France?", { onUsage: (u) => usages.push(u) });',
      "JSON.stringify({ answer, usages: usages.map(({ latencyMs, ...rest }) => ({ ...rest, timed: latencyMs >= 0 })) })",
    ].join("\n"),
  );
  expect(JSON.parse(text.slice(1, -1))).toEqual({
    answer: "Paris.",
    usages: [{ model: "gpt-4o", inputTokens: 11, outputTokens: 3, replayed: false, timed: true }],
  });
  expect(Object.keys(server.chatRequests()[0].body)).not.toContain("onUsage");
});

test("a misused onUsage is a type error in the cell", async () => {
  const exchange = await kernel.execute('await ask("x", { onUsage: (u) => u.tokens })');
  expect(exchange.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
  expect(exchange.reply.content.evalue).toMatch(/tokens/);
});
