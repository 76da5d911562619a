// Cells that break the machinery under them rather than failing themselves: a source that overflows
// the compiler's stack, and process.exit(). Over the real protocol, against the real kernel.
import { KernelClient, streamText } from "../support/kernel-client";

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

describe("process.exit() in a cell", () => {
  test("delivers the cell's output and reply, then the kernel exits with the code asked", async () => {
    const kernel = await KernelClient.start();
    try {
      const exchange = await kernel.execute('console.log("before exit"); process.exit(3); console.log("never")');
      expect(streamText(exchange)).toBe("before exit\n");
      expect(exchange.reply.content.status).toBe("ok");
      expect(streamText(exchange, "stderr")).toMatch(/process\.exit\(3\): the kernel exits with code 3/);
      // With the kernel's log, so a native abort (-6) says where it came from.
      expect({ exit: await kernel.exitCode(), log: kernel.log }).toEqual({
        exit: 3,
        log: expect.not.stringMatching(/terminate called|Napi::Error/),
      });
    } finally {
      await kernel.stop();
    }
  });

  test("process.exit() with no code exits with 0", async () => {
    const kernel = await KernelClient.start();
    try {
      const exchange = await kernel.execute('console.log("bye"); process.exit()');
      expect(streamText(exchange)).toBe("bye\n");
      expect(exchange.reply.content.status).toBe("ok");
      // With the kernel's log, so a native abort (-6) says where it came from.
      expect({ exit: await kernel.exitCode(), log: kernel.log }).toEqual({
        exit: 0,
        log: expect.not.stringMatching(/terminate called|Napi::Error/),
      });
    } finally {
      await kernel.stop();
    }
  });
});
