/**
 * For `npm run bench` only (not a test): how long a new notebook's kernel takes to be ready in a real
 * JupyterLab, from `notebook:create-new` until the kernel is connected, idle and has answered
 * kernel_info — for the labtrail kernel and ipykernel, alternated, in one browser. Writes the samples
 * as JSON to $LABTRAIL_BENCH_LAB_OUT.
 */
import { writeFileSync } from "node:fs";
import { test } from "@jupyterlab/galata";

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
