// Queueing, aborting, interrupting, output attribution and shutdown, over the real protocol.
import { KernelClient, messagesOfType, streamText } from "../support/kernel-client";

let kernel: KernelClient;

beforeAll(async () => {
  kernel = await KernelClient.start();
});
afterAll(async () => {
  await kernel?.stop();
});

describe("stop_on_error", () => {
  async function runAll(stopOnError: boolean) {
    const ids = [];
    // The first cell waits a little so that, as with "Run All", the others are queued behind it.
    for (const code of [
      'await new Promise((r) => setTimeout(r, 400)); console.log("first")',
      'throw new Error("second fails")',
      'console.log("third")',
      'console.log("fourth")',
    ]) {
      ids.push(await kernel.sendExecute(code, { stop_on_error: stopOnError }));
    }
    return kernel.collect(ids);
  }

  test("false: every cell after a failure still runs", async () => {
    const results = await runAll(false);
    expect(results.map((r) => r.reply.content.status)).toEqual(["ok", "error", "ok", "ok"]);
    expect(streamText(results[3])).toBe("fourth\n");
  });

  test("true: the queued cells are aborted, and the next request after that runs", async () => {
    const results = await runAll(true);
    expect(results.map((r) => r.reply.content.status)).toEqual(["ok", "error", "aborted", "aborted"]);
    expect(streamText(results[2])).toBe("");
    // Nothing lingers: a request sent right after the aborted ones executes (no time window).
    const after = await kernel.execute('"still alive"');
    expect(after.reply.content.status).toBe("ok");
  });
});

describe("interrupt", () => {
  const cases = [
    ["a busy loop", "while (true) {}"],
    ["a never-resolving await", "await new Promise(() => {});"],
  ] as const;

  for (const [what, code] of cases) {
    test(`SIGINT stops ${what}`, async () => {
      const id = await kernel.sendExecute(code);
      await new Promise((r) => setTimeout(r, 500));
      await kernel.interruptBySignal();
      const [result] = await kernel.collect([id], 10);
      expect(result.reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
      expect((await kernel.execute("1 + 1")).reply.content.status).toBe("ok");
    });

    test(`interrupt_request on the control channel stops ${what}`, async () => {
      const id = await kernel.sendExecute(code);
      await new Promise((r) => setTimeout(r, 500));
      const interrupt = await kernel.request("interrupt_request", {}, { channel: "control", timeout: 10 });
      expect(interrupt.reply.msg_type).toBe("interrupt_reply");
      expect(interrupt.reply.content.status).toBe("ok");
      const [result] = await kernel.collect([id], 10);
      expect(result.reply.content).toMatchObject({ status: "error", ename: "Interrupted" });
      expect((await kernel.execute("2 + 2")).reply.content.status).toBe("ok");
    });
  }
});

describe("output", () => {
  test("a cell printing 10,000 lines delivers all of them, coalesced, and its reply", async () => {
    const exchange = await kernel.execute("for (let i = 0; i < 10000; i++) console.log(`line ${i}`);", { timeout: 60 });
    expect(exchange.reply.content.status).toBe("ok");
    const lines = streamText(exchange).trimEnd().split("\n");
    expect(lines).toHaveLength(10_000);
    expect(lines[0]).toBe("line 0");
    expect(lines[9999]).toBe("line 9999");
    const streams = messagesOfType(exchange, "stream");
    expect(streams.length).toBeLessThan(100);
  });

  test("output from a timer after its cell finished stays with that cell", async () => {
    const first = await kernel.sendExecute('setTimeout(() => console.log("late from the first cell"), 300); "scheduled"');
    const [scheduled] = await kernel.collect([first]);
    expect(streamText(scheduled)).toBe("");
    const second = await kernel.execute('await new Promise((r) => setTimeout(r, 800)); console.log("second cell")');
    expect(streamText(second)).toBe("second cell\n");
    const late = await kernel.drain(0.5);
    const text = (late[first] ?? [])
      .filter((m) => m.msg_type === "stream")
      .map((m) => m.content.text)
      .join("");
    expect(text).toBe("late from the first cell\n");
  });

  test("an error thrown by a callback after the cell finished goes to that cell, and the kernel lives on", async () => {
    const id = await kernel.sendExecute('setTimeout(() => { throw new Error("from a timer"); }, 100); 1');
    await kernel.collect([id]);
    const late = await kernel.drain(0.6);
    const stderr = (late[id] ?? [])
      .filter((m) => m.msg_type === "stream" && m.content.name === "stderr")
      .map((m) => m.content.text)
      .join("");
    expect(stderr).toContain("Error: from a timer");
    expect((await kernel.execute("3")).reply.content.status).toBe("ok");
  });
});

describe("shutdown", () => {
  test("shutdown_request gets a shutdown_reply and the kernel exits", async () => {
    const own = await KernelClient.start();
    try {
      const { reply } = await own.request("shutdown_request", { restart: false }, { channel: "control" });
      expect(reply.msg_type).toBe("shutdown_reply");
      expect(reply.content).toEqual({ status: "ok", restart: false });
      expect(await own.waitForExit()).toBe(true);
    } finally {
      await own.stop();
    }
  });
});
