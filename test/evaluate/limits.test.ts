// The per-alias limit on live requests (labtrail.config.json `concurrency`), on its own: at most `limit`
// at once, waiting calls start in order, and one interrupted while it waits leaves the queue.
import { ModelCallError } from "../../kernel/src/api/model-errors";
import { ConcurrencyLimits } from "../../kernel/src/models/item-scope";

test("at most `limit` calls run at once per alias, in the order they asked; an interrupted waiter leaves the queue", async () => {
  const limits = new ConcurrencyLimits();
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const call = (n: number, signal?: AbortSignal) =>
    limits.run("fast", 2, signal, async () => {
      started.push(n);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return n;
    });
  const interrupted = new AbortController();
  const calls = [call(1), call(2), call(3, interrupted.signal), call(4)];
  // Another alias, or none, is not held back.
  await expect(limits.run("other", 1, undefined, async () => "free")).resolves.toBe("free");
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([1, 2]);
  interrupted.abort();
  await expect(calls[2]).rejects.toBeInstanceOf(ModelCallError);
  releases.shift()!();
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual([1, 2, 4]);
  while (releases.length) releases.shift()!();
  expect(await Promise.all([calls[0], calls[1], calls[3]])).toEqual([1, 2, 4]);
  expect(most).toBe(2);
});
