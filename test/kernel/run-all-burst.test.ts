// Run All as JupyterLab sends it: every execute_request written at once, stop_on_error set. A failure
// that is over before the kernel's main thread has been handed the rest must still abort them all
// (ipykernel: error, aborted, aborted, aborted), and nothing may linger for the next request.
import { KernelClient, streamText } from "../support/kernel-client";

const followers = ['console.log("second")', "1 + 1", 'console.log("fourth")'];

async function runAllBurst(kernel: KernelClient, first: string, header = "") {
  const cells = [first, ...followers].map((code) => ({ code: header + code }));
  return kernel.collect(await kernel.sendExecuteBurst(cells));
}

describe("a fast failure aborts the burst queued behind it", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.start();
  });
  afterAll(() => kernel?.stop());

  const failures = [
    ["a thrown error", 'throw new Error("x")', "Error"],
    ["a type error", 'const n: number = "not a number";', "TypeScriptError"],
  ] as const;

  for (const [what, code, expectedName] of failures) {
    test(what, async () => {
      const results = await runAllBurst(kernel, code);
      expect(results.map((r) => r.reply.content.status)).toEqual(["error", "aborted", "aborted", "aborted"]);
      expect(results[0].reply.content.ename).toBe(expectedName);
      expect(results.slice(1).map((r) => streamText(r))).toEqual(["", "", ""]);
      const after = await kernel.execute('"runs after the abort"');
      expect(after.reply.content.status).toBe("ok");
    });
  }

  test("a request sent after the error's reply runs, even right after it", async () => {
    const [failed] = await kernel.collect(await kernel.sendExecuteBurst([{ code: 'throw new Error("x")' }]));
    expect(failed.reply.content.status).toBe("error");
    const results = await kernel.collect(await kernel.sendExecuteBurst(followers.map((code) => ({ code }))));
    expect(results.map((r) => r.reply.content.status)).toEqual(["ok", "ok", "ok"]);
    expect(streamText(results[2])).toBe("fourth\n");
  });

  test("without stop_on_error the burst runs on", async () => {
    const cells = ['throw new Error("x")', ...followers].map((code) => ({ code, options: { stop_on_error: false } }));
    const results = await kernel.collect(await kernel.sendExecuteBurst(cells));
    expect(results.map((r) => r.reply.content.status)).toEqual(["error", "ok", "ok", "ok"]);
  });
});

describe("a header blocked in block mode aborts the burst", () => {
  let kernel: KernelClient;
  beforeAll(async () => {
    kernel = await KernelClient.start({ env: { LABTRAIL_HEADER_MODE: "block" } });
  });
  afterAll(() => kernel?.stop());

  test("the undocumented first cell is refused and the documented ones behind it are aborted", async () => {
    const cells = ["1 + 1", ...followers.map((code) => `// Tested: runs when documented\n${code}`)].map((code) => ({ code }));
    const results = await kernel.collect(await kernel.sendExecuteBurst(cells));
    expect(results.map((r) => r.reply.content.status)).toEqual(["error", "aborted", "aborted", "aborted"]);
    expect(results[0].reply.content.ename).toBe("MissingHeader");
    const after = await kernel.execute("// Tested: runs after the abort\n1 + 1");
    expect(after.reply.content.status).toBe("ok");
  });
});
