// A notebook outside any project (a copy in a bare folder) still imports zod and openai's types, from
// labtrail's own copy, and structured() takes the schema a cell built with it; a project with its own
// copy keeps it. Real kernel, real protocol, the local model server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, messagesOfType, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";

let server: ModelServer;
const folders: string[] = [];
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => {
  await server?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function bareFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-bare-"));
  folders.push(dir);
  return dir;
}

const result = (exchange: Exchange) => messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"];

test("a bare folder: zod and openai's types come from labtrail, and structured() takes the cell's schema", async () => {
  const kernel = await KernelClient.start({
    cwd: bareFolder(),
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test-bare-0123456789" },
  });
  try {
    await kernel.executeOk('import { z } from "zod";\nconst Label = z.object({ label: z.enum(["bug", "docs"]) });');
    server.script({ content: '{"label":"bug"}' });
    expect(result(await kernel.executeOk('const l = await structured(Label, "Login button does nothing");\nl.label'))).toBe("'bug'");
    const typed = await kernel.executeOk(
      'import type OpenAI from "openai";\nconst kind: OpenAI.ChatCompletion["object"] = "chat.completion";\nkind',
    );
    expect(result(typed)).toBe("'chat.completion'");
    const wrong = await kernel.execute('import type OpenAI from "openai";\nconst k: OpenAI.ChatCompletion["object"] = "completion";');
    expect(wrong.reply.content.evalue).toMatch(/TS2322/);
    expect(kernel.log).toMatch(
      /cells import zod and openai from labtrail's own copy: the notebook's project has none \(npm install zod openai there/,
    );
  } finally {
    await kernel.stop();
  }
});

test("a project with its own zod keeps it, for types and at run time", async () => {
  const dir = bareFolder();
  const zod = join(dir, "node_modules", "zod");
  mkdirSync(zod, { recursive: true });
  writeFileSync(join(zod, "package.json"), JSON.stringify({ name: "zod", version: "0.0.1", main: "index.js", types: "index.d.ts" }));
  writeFileSync(join(zod, "index.js"), 'exports.whose = "the project\'s";\n');
  writeFileSync(join(zod, "index.d.ts"), "export declare const whose: string;\n");
  const kernel = await KernelClient.start({ cwd: dir });
  try {
    expect(result(await kernel.executeOk('import { whose } from "zod";\nwhose'))).toBe(`"the project's"`);
    expect(kernel.log).toMatch(/cells import openai from labtrail's own copy/);
  } finally {
    await kernel.stop();
  }
});
