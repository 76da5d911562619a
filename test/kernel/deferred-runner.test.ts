// When the kernel warms up (deferred-runner.ts): not before its sockets are up and it has had no request
// for a moment, or at once when a request needs the runner; never twice. The clock is Jest's: these
// are the rules, not timings. The real kernel's cells, completions and interrupts go through it in
// every other kernel test.
import type { CellRunner } from "../../kernel/src/kernel/execution/cell-runner";
import { DeferredRunner, WARM_UP_AFTER_IDLE_MS } from "../../kernel/src/kernel/execution/deferred-runner";
import type { ExecutionScope } from "../../kernel/src/kernel/execution/execution-scope";

function deferred() {
  const events: string[] = [];
  const runner = {
    run: async (name: string) => {
      events.push(`run ${name}`);
      return { ok: true, hasValue: false };
    },
    complete: () => ({ start: 0, end: 0, candidates: ["ask"], items: [] }),
    exitRequested: null,
  } as unknown as CellRunner;
  const deferredRunner = new DeferredRunner({
    create: () => {
      events.push("create");
      return runner;
    },
    warmUp: async (created) => {
      await created.run("<helpers>", "", {} as ExecutionScope);
    },
  });
  return { events, deferredRunner };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("warms up once idle after start, and each request starts the wait again", async () => {
  const { events, deferredRunner } = deferred();
  await jest.advanceTimersByTimeAsync(WARM_UP_AFTER_IDLE_MS * 10);
  expect(events).toEqual([]); // the sockets are not up yet: nothing is armed
  deferredRunner.warmUpWhenIdle();
  await jest.advanceTimersByTimeAsync(WARM_UP_AFTER_IDLE_MS - 1);
  deferredRunner.poke(); // kernel_info_request
  await jest.advanceTimersByTimeAsync(WARM_UP_AFTER_IDLE_MS - 1);
  expect(events).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  expect(events).toEqual(["create", "run <helpers>"]);
  deferredRunner.poke();
  await jest.advanceTimersByTimeAsync(WARM_UP_AFTER_IDLE_MS * 2);
  expect(events).toEqual(["create", "run <helpers>"]);
});

test("a request that needs the runner warms it up at once, and runs after the warm-up", async () => {
  const { events, deferredRunner } = deferred();
  deferredRunner.warmUpWhenIdle();
  const completion = deferredRunner.complete("as", 2);
  const run = deferredRunner.run("In[1]", "1", {} as ExecutionScope);
  await expect(completion).resolves.toMatchObject({ candidates: ["ask"] });
  await run;
  expect(events).toEqual(["create", "run <helpers>", "run In[1]"]);
  await jest.advanceTimersByTimeAsync(WARM_UP_AFTER_IDLE_MS * 2);
  expect(events).toHaveLength(3);
});

test("before the warm-up there is nothing to forget or interrupt, and the runner is not made for it", () => {
  const { events, deferredRunner } = deferred();
  deferredRunner.forget(["a"]);
  deferredRunner.interrupt();
  expect(deferredRunner.exitRequested).toBeNull();
  expect(deferredRunner.describe(new TypeError("boom"))).toMatchObject({ ename: "TypeError", evalue: "boom" });
  expect(events).toEqual([]);
});
