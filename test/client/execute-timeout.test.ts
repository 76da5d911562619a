// The client's per-cell timeout against the real kernel: it limits how long the cell runs, counted
// from the kernel starting it (execute_input), on the same clock as the run time it reports.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelProcess } from "../../kernel/src/client";
import { kernelMain, requireSetup } from "../support/paths";

let kernel: KernelProcess;

beforeAll(async () => {
  requireSetup();
  const cwd = mkdtempSync(join(tmpdir(), "labtrail-timeout-"));
  kernel = await KernelProcess.start({ cwd, kernelMain, env: { ...process.env, LABTRAIL_HEADER_MODE: "off" } });
});
afterAll(async () => {
  await kernel?.shutdown();
});

test("a queued cell's timeout counts from when the kernel starts it, and its run time is never below the timeout", async () => {
  // The busy cell waits in the kernel's queue behind the first one, as the first cell of a notebook
  // waits while the kernel finishes starting: that wait is not the cell's run.
  const first = kernel.execute("const until = Date.now() + 700; while (Date.now() < until) {}");
  const busy = kernel.execute("while (true) {}", { timeoutMs: 1000 });
  expect((await first).reply.status).toBe("ok");
  const result = await busy;
  expect(result.timedOut).toBe(true);
  expect(result.reply.status).toBe("error");
  expect(result.runMs).toBeGreaterThanOrEqual(1000);
  // By the kernel's own clock, too, the cell ran at least the timeout before it was interrupted.
  expect(result.finishedAt.getTime() - result.startedAt.getTime()).toBeGreaterThanOrEqual(1000);
});
