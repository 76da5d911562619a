// Which evaluation item a model call belongs to. evaluate() runs each item's task (and its scorers) in
// an async context that names the evaluation, the item and the trial; a call made there is recorded and
// replayed under that name, so concurrent items replay the same way whatever order they finish in.
import { AsyncLocalStorage } from "node:async_hooks";
import { ModelCallError } from "../api/model-errors";
import type { CallItem } from "../core";
import type { ModelCallSummary } from "../records/model-call";

/** An item's place in an evaluation: what its model calls are keyed by. */
export type ItemTag = CallItem;

/** One item run as the model layer sees it: its tag, and who wants to hear of its calls. */
export interface ItemContext {
  tag: ItemTag;
  /** Told of every call made for the item, once it has answered. */
  onCall?(summary: ModelCallSummary): void;
}

const items = new AsyncLocalStorage<ItemContext>();

/** Runs `fn` (and everything it schedules) as part of one evaluation item. */
export function runInItem<T>(context: ItemContext, fn: () => T): T {
  return items.run(context, fn);
}

/** The item the running code belongs to, if any. */
export function currentItem(): ItemContext | undefined {
  return items.getStore();
}

/** The key a request is recorded under inside an item: the request plus the item's tag. */
export const ITEM_KEY = "labtrail.item";

export function itemKeyed(key: Record<string, unknown>, tag: ItemTag | undefined): Record<string, unknown> {
  return tag ? { ...key, [ITEM_KEY]: { evaluation: tag.evaluation, item: tag.item, trial: tag.trial } } : key;
}

/**
 * At most `limit` live calls at once per alias (`concurrency` in labtrail.config.json); waiting calls
 * start in the order they asked, and one whose cell is interrupted while waiting leaves the queue.
 */
export class ConcurrencyLimits {
  private readonly gates = new Map<string, { active: number; waiting: (() => void)[] }>();

  async run<T>(name: string | undefined, limit: number | undefined, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (!name || !limit) return fn();
    let gate = this.gates.get(name);
    if (!gate) {
      gate = { active: 0, waiting: [] };
      this.gates.set(name, gate);
    }
    if (gate.active < limit) gate.active++;
    else {
      // The slot is handed over by the call that frees it (see finally), so none slips in between.
      const g = gate;
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener("abort", stop);
          resolve();
        };
        const stop = () => {
          const at = g.waiting.indexOf(go);
          if (at >= 0) g.waiting.splice(at, 1);
          reject(
            new ModelCallError(
              "interrupted",
              `the call was interrupted while it waited for one of the ${limit} requests "${name}" allows at once`,
            ),
          );
        };
        if (signal?.aborted) return stop();
        signal?.addEventListener("abort", stop, { once: true });
        g.waiting.push(go);
      });
    }
    try {
      return await fn();
    } finally {
      const next = gate.waiting.shift();
      if (next) next();
      else gate.active--;
    }
  }
}
