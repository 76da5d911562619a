// The kernel tells frontends the settings they must agree with (labtrail's object in the
// kernel_info_reply): header mode and required keys from the same config the header gate uses, and
// the replay mode in force now. Real kernel, real protocol; the reply is checked with the core's schema
// the JupyterLab extension parses it with.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labtrailKernelInfoSchema } from "../../kernel/src/core";
import { KernelClient, messagesOfType, streamText } from "../support/kernel-client";
import { repoRoot } from "../support/paths";

const version: string = require(join(repoRoot, "kernel", "package.json")).version;

async function labtrailInfo(kernel: KernelClient): Promise<unknown> {
  const { reply } = await kernel.request("kernel_info_request", {});
  expect(reply.content.status).toBe("ok");
  return labtrailKernelInfoSchema.parse(reply.content.labtrail);
}

describe("LABTRAIL_HEADER_MODE=block, then %replay", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.start({ env: { LABTRAIL_HEADER_MODE: "block", LABTRAIL_REPLAY_MODE: "" } });
  });
  afterAll(() => kernel?.stop());

  test("reports block mode, the default keys, the default replay mode and the package version", async () => {
    expect(await labtrailInfo(kernel)).toEqual({ version, header: { mode: "block", required: ["tested", "found"] }, replay: "record" });
  });

  test("reports the replay mode %replay set, on the control channel too", async () => {
    const exchange = await kernel.execute("// Tested: switching to replay-only\n%replay replay");
    expect(exchange.reply.content.status).toBe("ok");
    expect(messagesOfType(exchange, "display_data")[0].content.data["text/plain"]).toMatch(/^replay mode: replay;/);
    expect(await labtrailInfo(kernel)).toMatchObject({ header: { mode: "block" }, replay: "replay" });
    const { reply } = await kernel.request("kernel_info_request", {}, { channel: "control" });
    expect(reply.content.labtrail.replay).toBe("replay");
  });
});

test("reports the required keys and replay mode of the labtrail.config.json beside the notebook", async () => {
  const project = mkdtempSync(join(tmpdir(), "labtrail-info-"));
  writeFileSync(
    join(project, "labtrail.config.json"),
    JSON.stringify({ header: { required: ["tested", "Found", "decision"] }, replay: { mode: "off" } }),
  );
  const kernel = await KernelClient.start({ cwd: project, env: { LABTRAIL_HEADER_MODE: "", LABTRAIL_REPLAY_MODE: "" } });
  try {
    expect(await labtrailInfo(kernel)).toEqual({
      version,
      header: { mode: "warn", required: ["tested", "found", "decision"] },
      replay: "off",
    });
  } finally {
    await kernel.stop();
  }
});

test("with a broken config, reports what the gate does: warn with the default keys", async () => {
  const project = mkdtempSync(join(tmpdir(), "labtrail-info-broken-"));
  writeFileSync(join(project, "labtrail.config.json"), JSON.stringify({ header: { mode: "strict" } }));
  const kernel = await KernelClient.start({ cwd: project, env: { LABTRAIL_HEADER_MODE: "", LABTRAIL_REPLAY_MODE: "" } });
  try {
    expect(await labtrailInfo(kernel)).toMatchObject({ header: { mode: "warn", required: ["tested", "found"] } });
    // And the gate does warn: an undocumented cell runs, with the config notice first.
    const exchange = await kernel.execute("1 + 1");
    expect(exchange.reply.content.status).toBe("ok");
    expect(streamText(exchange, "stderr")).toMatch(/^labtrail: the project config is invalid, so model calls are stopped .*header\.mode/);
  } finally {
    await kernel.stop();
  }
});
