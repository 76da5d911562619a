// An invalid config value never falls back to the defaults: a typo in a replay mode meant to keep the
// network off would otherwise make a live call. The kernel starts, says the error once, and every model
// call fails with it until the config is fixed; `lint` and `reproduce` report it as one line, exit 2.
// Real kernel over the real protocol, real openai SDK against the local model server, the built CLI.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../fixtures";
import { KernelClient, messagesOfType, streamText } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

let server: ModelServer;
beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => server?.close());

const ASK = '// Tested: a call\nawait ask("hello")';

test("a LABTRAIL_REPLAY_MODE typo stops model calls instead of calling live with the defaults", async () => {
  const dir = modelNotebookDir({ replay: { mode: "replay" } });
  const kernel = await KernelClient.start({
    cwd: dir,
    env: {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "sk-test-config",
      LABTRAIL_NOTEBOOK: "lab.ipynb",
      LABTRAIL_REPLAY_MODE: "replay-only",
    },
  });
  try {
    const first = await kernel.execute("// Tested: one\n1 + 1");
    expect(first.reply.content.status).toBe("ok");
    expect(streamText(first, "stderr")).toMatch(
      /^labtrail: the project config is invalid, so model calls are stopped .*LABTRAIL_REPLAY_MODE.*"replay-only"/,
    );
    // Said once: the next cell runs without it.
    const second = await kernel.execute("// Tested: two\n2 + 2");
    expect(streamText(second, "stderr")).toBe("");

    const call = await kernel.execute(ASK);
    expect(call.reply.content.status).toBe("error");
    expect(call.reply.content.evalue).toMatch(/config is invalid.*LABTRAIL_REPLAY_MODE/);
    expect(server.chatRequests()).toHaveLength(0);

    const models = await kernel.execute("%models");
    expect(messagesOfType(models, "display_data")[0].content.data["text/plain"]).toMatch(/config is invalid.*LABTRAIL_REPLAY_MODE/);
  } finally {
    await kernel.stop();
  }
});

test("an invalid header mode in the file is said, not silently turned into warn, and stops model calls", async () => {
  const dir = modelNotebookDir({ header: { mode: "strict" } });
  const kernel = await KernelClient.start({
    cwd: dir,
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-test-config", LABTRAIL_HEADER_MODE: "", LABTRAIL_REPLAY_MODE: "" },
  });
  try {
    const first = await kernel.execute(ASK);
    expect(streamText(first, "stderr")).toMatch(/config is invalid.*header\.mode.*headers are checked in warn mode/);
    expect(first.reply.content.status).toBe("error");
    expect(server.chatRequests()).toHaveLength(0);
  } finally {
    await kernel.stop();
  }
});

test("lint and reproduce report an invalid config as one line and exit 2", () => {
  const dir = modelNotebookDir({ replay: { mode: "replay-only" } });
  const notebook = join(dir, "lab.ipynb");
  writeFileSync(
    notebook,
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, execution_count: null, outputs: [], source: ["1"] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  for (const args of [
    ["lint", notebook],
    ["reproduce", notebook],
  ]) {
    const run = runCli(args, { cwd: dir, env: { LABTRAIL_HEADER_MODE: "off" } });
    expect(run.status).toBe(2);
    // One line says it (lint adds its usual count of unreadable notebooks).
    expect(run.stderr.split("\n").filter((line) => /replay\.mode: expected/.test(line))).toHaveLength(1);
  }
});
