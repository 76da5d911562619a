/**
 * For `npm run bench` only (not a test): how long a new notebook's kernel takes to be ready in a real
 * JupyterLab, from `notebook:create-new` until the kernel is connected, idle and has answered
 * kernel_info — for the labtrail kernel and ipykernel, alternated, in one browser. Writes the samples
 * as JSON to $LABTRAIL_BENCH_LAB_OUT. Then how long the Experiment Log takes to open on a notebook with
 * 10,000 run records (to $LABTRAIL_BENCH_LOG_OUT).
 */
import { writeFileSync } from "node:fs";
import { test } from "@jupyterlab/galata";
import { jsonl, modelCall, runRecord } from "../support/run-records";
import { openNotebook, writeFile } from "../ui/notebooks";

const REPS = Number(process.env.LABTRAIL_BENCH_LAB_REPS ?? 6);
const KERNELS = ["python3", "labtrail"] as const;

test("kernel readiness after notebook:create-new", async ({ page, tmpPath }) => {
  test.setTimeout(60_000 + REPS * 30_000);
  const samples: Record<string, { total: number; session: number; connected: number; idle: number }[]> = { python3: [], labtrail: [] };
  for (let rep = -1; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? KERNELS : [...KERNELS].reverse();
    for (const kernelName of order) {
      const sample = await page.evaluate(
        async ({ kernelName, cwd }) => {
          const app = window.jupyterapp;
          const t0 = performance.now();
          const panel = (await app.commands.execute("notebook:create-new", {
            kernelName,
            cwd,
          })) as import("@jupyterlab/notebook").NotebookPanel;
          const context = panel.sessionContext;
          await context.ready;
          const session = performance.now() - t0;
          const kernel = context.session!.kernel!;
          const when = (ok: () => boolean) =>
            new Promise<number>((resolve) => {
              const check = (): void => {
                if (ok()) resolve(performance.now() - t0);
                else setTimeout(check, 5);
              };
              check();
            });
          const connected = await when(() => kernel.connectionStatus === "connected");
          await kernel.info;
          const idle = await when(() => kernel.status === "idle");
          const total = performance.now() - t0;
          await context.shutdown();
          panel.dispose();
          return { total, session, connected, idle };
        },
        { kernelName, cwd: tmpPath },
      );
      if (rep >= 0) samples[kernelName].push(sample);
      console.log(`${kernelName}: ${JSON.stringify(sample)}`);
    }
  }
  if (process.env.LABTRAIL_BENCH_LAB_OUT) writeFileSync(process.env.LABTRAIL_BENCH_LAB_OUT, JSON.stringify(samples));
});

const LOG_RECORDS = 10_000;
const LOG_CELLS = 20;

test("the Experiment Log opening on a history of 10,000 run records", async ({ page, tmpPath }) => {
  test.setTimeout(60_000 + REPS * 60_000);
  const cells = Array.from({ length: LOG_CELLS }, (_, i) => `// Tested: cell ${i + 1} of a long history\n// Found: it holds\n${i} + 1`);
  const history = jsonl(
    Array.from({ length: LOG_RECORDS }, (_, i) =>
      runRecord({
        notebook: "history.ipynb",
        cell: `cell-${(i % LOG_CELLS) + 1}`,
        startedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        values: { score: (i % 100) / 100 },
        calls: [modelCall({ requestHash: `${i}`.padStart(64, "0") })],
      }),
    ),
  );
  const perCell = `${LOG_RECORDS / LOG_CELLS} runs`;
  const opened: number[] = [];
  for (let rep = -1; rep < Math.min(REPS, 4); rep++) {
    // A notebook of its own each time, so that nothing of the last one is cached.
    const name = `history-${rep + 1}`;
    await page.contents.createDirectory(`${tmpPath}/${name}.labtrail`);
    await writeFile(
      page,
      `${tmpPath}/${name}.labtrail/runs.jsonl`,
      history.replaceAll('"notebook":"history.ipynb"', `"notebook":"${name}.ipynb"`),
    );
    await openNotebook(page, `${tmpPath}/${name}.ipynb`, cells, { waitForKernel: true });
    const ms = await page.evaluate(
      async ({ count, perCell }) => {
        const t0 = performance.now();
        await window.jupyterapp.commands.execute("labtrail:open-experiment-log");
        await new Promise<void>((resolve) => {
          const check = (): void => {
            const rows = document.querySelectorAll("#labtrail-experiment-log .lt-LogCell");
            if (rows.length === count && rows[0].querySelector(".lt-LogCell-count")?.textContent === perCell) resolve();
            else requestAnimationFrame(check);
          };
          check();
        });
        return performance.now() - t0;
      },
      { count: LOG_CELLS, perCell },
    );
    console.log(`experiment log, ${LOG_RECORDS} records: ${ms.toFixed(0)} ms`);
    if (rep >= 0) opened.push(ms);
    await page.evaluate(() => (window.jupyterapp.shell as unknown as { collapseRight(): void }).collapseRight());
    await page.notebook.close(true);
  }
  if (process.env.LABTRAIL_BENCH_LOG_OUT) writeFileSync(process.env.LABTRAIL_BENCH_LOG_OUT, JSON.stringify(opened));
});
