// A model call a cell starts but does not await belongs to that cell: the cell's record holds it
// whether it was replayed at once or answered live while the next cell ran, and the next cell's
// record and verdict never count it. Real kernel, real protocol, real SDK.
import { KernelClient } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

jest.setTimeout(240_000);

let server: ModelServer;
beforeAll(async () => {
  // The un-awaited question answers slowly, so it finishes while the next cell runs.
  server = await ModelServer.start({
    reply: (body) => {
      const messages = body.messages as { content: string }[];
      const prompt = messages[messages.length - 1].content;
      return { content: `answer to ${prompt}`, delayMs: prompt === "slow question" ? 600 : 0 };
    },
  });
});
afterAll(async () => server?.close());

async function runTwice(dir: string) {
  const kernel = await KernelClient.start({
    cwd: dir,
    env: {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "sk-test-attribution-0123456789",
      LABTRAIL_NOTEBOOK: "lab.ipynb",
      LABTRAIL_HEADER_MODE: "off",
    },
  });
  try {
    const first = await kernel.execute('void ask("slow question");\n"started"', { metadata: { cellId: "starts" } });
    const second = await kernel.execute("await new Promise((resolve) => setTimeout(resolve, 1500));\n1 + 1", {
      metadata: { cellId: "waits" },
    });
    return { first, second };
  } finally {
    await kernel.stop();
  }
}

it("does not count an un-awaited call of one cell in the next cell", async () => {
  const dir = modelNotebookDir();
  await runTwice(dir);
  const { first, second } = await runTwice(dir);
  expect(first.reply.content.status).toBe("ok");
  // Live the first time (answered while the next cell ran), replayed at once the second: one call
  // in the cell that made it, both times.
  expect(first.reply.metadata.labtrail.verdict.kind).toBe("reproduced");
  expect(second.reply.metadata.labtrail.verdict.kind).toBe("reproduced");
  expect(second.reply.metadata.labtrail.verdict.summary).not.toMatch(/model calls/);
});
