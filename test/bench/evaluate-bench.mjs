#!/usr/bin/env node
// evaluate()'s own overhead per item over replayed calls, in process (the kernel's modules from
// kernel/dist, no Jupyter in between): `items` items are recorded once from the bench's model server,
// then, in alternating rounds, the same replayed calls are made (a) by a bare pool of 4 workers, each
// call in its item's context so it finds its recording, and (b) by evaluate() with a score, concurrency
// 4. Overhead per item = (b − a) / items, the median over the rounds; (b) alone, per item and whole, is the
// replayed evaluation end to end (progress display, scores, summary, results table, record). The goal
// is under 0.2 ms per item at 1,000 items. A measurement, not a test: nothing fails on a slow figure.
//
// evaluateKernelBench runs the same evaluation end to end in fresh labtrail kernels (replay mode).
//
// Usage: node test/bench/evaluate-bench.mjs [--items N] [--rounds N] [--sessions N] [--no-kernel]   (after `npx tsc -b kernel`)
// From run.mjs: `const { evaluateBench, evaluateKernelBench } = await import("./evaluate-bench.mjs");`
//   `const rows = [...(await evaluateBench({ items: 1000 })).rows, ...(await evaluateKernelBench({ items: 1000 })).rows];`
// Each row is { name, value, unit, note }; `figures` holds the raw numbers.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startModelServer } from "./model-server.mjs";

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, "kernel", "dist", path));

/** A cell as the model calls and evaluate() see it: no output anywhere, calls and values kept. */
function benchScope() {
  const controller = new AbortController();
  const samples = new Map();
  return {
    signal: controller.signal,
    display: () => {},
    modelCalls: [],
    values: {},
    evaluations: [],
    nextSample(hash) {
      const next = (samples.get(hash) ?? 0) + 1;
      samples.set(hash, next);
      return next;
    },
    warn: (text) => process.stderr.write(`${text}\n`),
    callStarted: () => () => {},
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs the benchmark; resolves to its rows (name, value, unit, note) and the raw figures per round.
 * Options: items (default 1000), rounds (default 7).
 */
export async function evaluateBench({ items = 1000, rounds = 7 } = {}) {
  const { ModelCalls } = dist("models/model-calls");
  const { runInItem } = dist("models/item-scope");
  const { Evaluations } = dist("evaluation/evaluations");
  const { Recordings } = dist("records/recordings");
  const { defaultConfig } = dist("config");
  const { configuredRedactor } = dist("core");

  const server = await startModelServer();
  const folder = mkdtempSync(join(tmpdir(), "labtrail-evaluate-bench-"));
  try {
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-bench-not-a-key" };
    const models = defaultConfig().models;
    const redactor = configuredRedactor(models, env);
    let scope = benchScope();
    let mode = "record";
    const recordings = new Recordings(folder, redactor);
    const calls = new ModelCalls({ models, env, redactor, scope: () => scope, replay: { mode: () => mode, recordings: () => recordings } });
    const evaluations = new Evaluations({ scope: () => scope, redactor, structured: (...args) => calls.structured(...args) });
    const data = Array.from({ length: items }, (_, i) => ({ id: i, prompt: `Label item ${i}` }));
    const task = (item) => calls.ask(item.prompt, { model: "gpt-4o-mini", temperature: 0 }, { stream: false });
    const scores = { long: (output) => output.length > 100 };

    // Recorded once, live, through evaluate() itself (the keys are the evaluation's name, item and trial).
    const recordedAt = performance.now();
    await evaluations.evaluate("bench", { data, task, scores, concurrency: 8 });
    const recordMs = performance.now() - recordedAt;
    mode = "replay";

    /** The same replayed calls without evaluate(): a pool of 4, each call in its item's context. */
    const bare = async () => {
      let next = 0;
      const worker = async () => {
        while (next < data.length) {
          const index = next++;
          const output = await runInItem({ tag: { evaluation: "bench", item: index, trial: 1 } }, () => task(data[index]));
          scores.long(output, data[index]);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
    };
    const evaluated = async () => {
      const result = await evaluations.evaluate("bench", { data, task, scores, concurrency: 4 });
      if (result.summary.replayed !== items) throw new Error(`evaluate-bench: ${result.summary.replayed} of ${items} calls replayed`);
    };
    const timed = async (fn) => {
      scope = benchScope();
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    // Warm-up, untimed: the recordings read into memory, the code paths compiled.
    await timed(bare);
    await timed(evaluated);
    const bareMs = [];
    const evaluateMs = [];
    for (let round = 0; round < rounds; round++) {
      // ABBA, so drift of the machine falls on both alike.
      if (round % 2 === 0) {
        bareMs.push(await timed(bare));
        evaluateMs.push(await timed(evaluated));
      } else {
        evaluateMs.push(await timed(evaluated));
        bareMs.push(await timed(bare));
      }
    }
    const overheads = bareMs.map((ms, i) => (evaluateMs[i] - ms) / items);
    const overheadPerItem = median(overheads);
    const rows = [
      {
        name: `evaluate() overhead per item, ${items} items replayed`,
        value: Number(overheadPerItem.toFixed(4)),
        unit: "ms",
        note: "goal < 0.2 ms; median over rounds of (evaluate − bare pool) / items",
      },
      { name: `evaluate() end to end, ${items} items replayed`, value: Number(median(evaluateMs).toFixed(1)), unit: "ms", note: "median" },
      {
        name: `bare pool of the same replayed calls, ${items} items`,
        value: Number(median(bareMs).toFixed(1)),
        unit: "ms",
        note: "median",
      },
      { name: `evaluate() recording ${items} items live (local server)`, value: Number(recordMs.toFixed(1)), unit: "ms", note: "once" },
    ];
    return { rows, figures: { items, rounds, bareMs, evaluateMs, overheadPerItemMs: overheads, recordMs } };
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The same evaluation end to end through a real labtrail kernel (started by the labtrail client, as
 * `labtrail reproduce` starts one): `items` items recorded live once, then `sessions` fresh kernels in
 * replay mode run the cell, its progress display, table, run record and verdict included. Resolves to
 * rows: the cell's run time per session (median) and per item.
 */
export async function evaluateKernelBench({ items = 1000, sessions = 3 } = {}) {
  const { KernelProcess } = dist("client");
  const server = await startModelServer();
  const folder = mkdtempSync(join(tmpdir(), "labtrail-evaluate-kernel-bench-"));
  const cell = [
    "// Tested: evaluate() over replayed calls",
    `const data = Array.from({ length: ${items} }, (_, i) => ({ id: i, prompt: \`Label item \${i}\` }));`,
    'const res = await evaluate("bench", { data, task: (t) => ask(t.prompt, { model: "gpt-4o-mini", temperature: 0 }), scores: { long: (o) => o.length > 100 } });',
    "res.summary.long",
  ].join("\n");
  const run = async (mode) => {
    const env = {
      ...process.env,
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: "sk-bench-not-a-key",
      LABTRAIL_NOTEBOOK: "bench.ipynb",
      LABTRAIL_REPLAY_MODE: mode,
      LABTRAIL_HEADER_MODE: "off",
    };
    const kernel = await KernelProcess.start({ cwd: folder, env });
    try {
      const result = await kernel.execute(cell, { cellId: "bench" });
      if (result.reply.status !== "ok") throw new Error(`evaluate-bench: the cell failed: ${JSON.stringify(result.reply).slice(0, 400)}`);
      return result;
    } finally {
      await kernel.shutdown();
    }
  };
  try {
    const recorded = await run("record");
    const runMs = [];
    for (let session = 0; session < sessions; session++) {
      const result = await run("replay");
      const verdict = result.replyMetadata.labtrail?.verdict?.kind;
      if (verdict !== "reproduced")
        throw new Error(`evaluate-bench: the replay is not reproduced: ${result.replyMetadata.labtrail?.verdict?.summary}`);
      runMs.push(result.runMs);
    }
    const ms = median(runMs);
    return {
      rows: [
        {
          name: `evaluate() cell in a kernel, ${items} items replayed`,
          value: Number(ms.toFixed(1)),
          unit: "ms",
          note: `median of ${sessions} fresh kernels; verdict reproduced`,
        },
        {
          name: `evaluate() cell in a kernel, per item replayed`,
          value: Number((ms / items).toFixed(4)),
          unit: "ms",
          note: "the cell's run time / items",
        },
        {
          name: `evaluate() cell in a kernel, ${items} items recorded live`,
          value: Number(recorded.runMs.toFixed(1)),
          unit: "ms",
          note: "once, local server",
        },
      ],
      figures: { items, sessions, runMs, recordMs: recorded.runMs },
    };
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const { rows } = await evaluateBench({ items: arg("items", 1000), rounds: arg("rounds", 7) });
  if (!process.argv.includes("--no-kernel"))
    rows.push(...(await evaluateKernelBench({ items: arg("items", 1000), sessions: arg("sessions", 3) })).rows);
  for (const row of rows) console.log(`${row.name.padEnd(58)} ${String(row.value).padStart(10)} ${row.unit}   ${row.note}`);
}
