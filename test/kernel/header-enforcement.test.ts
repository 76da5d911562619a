// The kernel enforces the header contract in any frontend: block refuses undocumented cells with one
// error that says how to fix it; warn runs them with one short notice. Real kernel, real protocol.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient, messagesOfType, streamText } from "../support/kernel-client";

const undocumented = '(globalThis as any).ranUndocumented = true;\nconsole.log("ran")';
const documented = '// Tested: a documented cell runs\nconsole.log("documented ran")';

describe("block mode from labtrail.config.json", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    const project = mkdtempSync(join(tmpdir(), "labtrail-block-"));
    writeFileSync(join(project, "labtrail.config.json"), JSON.stringify({ header: { mode: "block" } }));
    kernel = await KernelClient.start({ cwd: project, env: { LABTRAIL_HEADER_MODE: "" } });
  });
  afterAll(() => kernel?.stop());

  test("an undocumented cell does not run and the error carries the template to paste", async () => {
    const exchange = await kernel.execute(undocumented);
    expect(exchange.reply.content.status).toBe("error");
    const [error] = messagesOfType(exchange, "error");
    expect(error.content.ename).toBe("MissingHeader");
    expect(error.content.evalue).toMatch(/did not run this cell.*Tested/);
    expect(error.content.traceback.join("\n")).toContain("// Tested:");
    expect(streamText(exchange)).toBe("");
    const probe = await kernel.execute("// Tested: probe\ntypeof (globalThis as any).ranUndocumented");
    expect(messagesOfType(probe, "execute_result")[0].content.data["text/plain"]).toBe("'undefined'");
  });

  test("a documented cell runs", async () => {
    const exchange = await kernel.execute(documented);
    expect(exchange.reply.content.status).toBe("ok");
    expect(streamText(exchange)).toBe("documented ran\n");
  });
});

describe("warn mode", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.start({ env: { LABTRAIL_HEADER_MODE: "warn" } });
  });
  afterAll(() => kernel?.stop());

  test("an undocumented cell runs after one short notice", async () => {
    const exchange = await kernel.execute(undocumented);
    expect(exchange.reply.content.status).toBe("ok");
    expect(streamText(exchange)).toBe("ran\n");
    const notice = streamText(exchange, "stderr").trimEnd().split("\n");
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/^labtrail: .*Tested/);
  });

  test("a documented cell runs without a notice", async () => {
    const exchange = await kernel.execute(documented);
    expect(streamText(exchange, "stderr")).toBe("");
  });
});

test("the environment overrides the config file's mode", async () => {
  const project = mkdtempSync(join(tmpdir(), "labtrail-override-"));
  writeFileSync(join(project, "labtrail.config.json"), JSON.stringify({ header: { mode: "block" } }));
  const kernel = await KernelClient.start({ cwd: project, env: { LABTRAIL_HEADER_MODE: "warn" } });
  try {
    expect((await kernel.execute(undocumented)).reply.content.status).toBe("ok");
  } finally {
    await kernel.stop();
  }
});
