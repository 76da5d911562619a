// Cells that break the machinery under them rather than failing themselves: a source that overflows
// the compiler's stack, and process.exit(). Over the real protocol, against the real kernel.
import { KernelClient } from "../support/kernel-client";

describe("a cell that overflows the compiler's stack", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.start();
  });
  afterAll(async () => {
    await kernel?.stop();
  });

  test("gets one error, and the next cell runs", async () => {
    const before = await kernel.execute("const kept = 41;");
    expect(before.reply.content.status).toBe("ok");
    const deep = `${"(".repeat(3000)}1${")".repeat(3000)}`;
    const failed = await kernel.execute(deep, { timeout: 60 });
    expect(failed.reply.content).toMatchObject({ status: "error", ename: "RangeError" });
    expect(failed.reply.content.evalue).toMatch(/nested too deeply for the TypeScript compiler/);
    expect(failed.iopub.filter((m) => m.msg_type === "error")).toHaveLength(1);
    // The compiler is usable again, and what earlier cells declared is still there.
    const next = await kernel.execute("kept + 1", { timeout: 60 });
    expect(next.reply.content.status).toBe("ok");
    expect(next.iopub.find((m) => m.msg_type === "execute_result")?.content.data["text/plain"]).toBe("42");
  });
});
