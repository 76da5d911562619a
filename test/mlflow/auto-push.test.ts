// `"mlflow": { "autoPush": true }` in the real kernel against a real MLflow server: each cell's record
// reaches MLflow in the background after the cell's reply; with the server down the cell still
// succeeds, the kernel logs one line, and the record goes with the first push that gets through.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../support/kernel-client";
import { freePort, type MlflowServer, MLFLOW_INSTALL_TIMEOUT_MS, prepareMlflow, startMlflowServer } from "../support/mlflow-server";

jest.setTimeout(300_000);

let mlflow: string;
beforeAll(() => {
  mlflow = prepareMlflow();
}, MLFLOW_INSTALL_TIMEOUT_MS);

interface Run {
  info: { run_id: string; run_name: string; status: string };
  data: { tags?: { key: string; value: string }[]; metrics?: { key: string; value: number }[] };
}

/** The cell runs (runs with a record id) in the notebook's experiment, once `count` of them are finished (all their data sent). */
async function cellRunsOnceThere(server: MlflowServer, experiment: string, count: number): Promise<Run[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(experiment)}`);
    if (found.ok) {
      const { experiment: e } = (await found.json()) as { experiment: { experiment_id: string } };
      const search = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ experiment_ids: [e.experiment_id], max_results: 1000 }),
      });
      const runs = (((await search.json()) as { runs?: Run[] }).runs ?? []).filter(
        (run) => run.info.status === "FINISHED" && run.data.tags?.some((t) => t.key === "labtrail.record_id"),
      );
      if (runs.length >= count) return runs;
    }
    if (Date.now() > deadline) throw new Error(`fewer than ${count} cell runs in MLflow after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until the kernel's log matches (the auto-push writes there, in the background). */
async function logMatches(kernel: KernelClient, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(kernel.log)) {
    if (Date.now() > deadline) throw new Error(`the kernel's log never matched ${pattern}:\n${kernel.log}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function notebookFolder(trackingUri: string): string {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-autopush-"));
  writeFileSync(
    join(dir, "labtrail.config.json"),
    JSON.stringify({ header: { mode: "off" }, mlflow: { trackingUri, experiment: "auto-pushed", autoPush: true } }),
  );
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  writeFileSync(
    join(dir, "scores.ipynb"),
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "labtrail", display_name: "TypeScript (labtrail)", language: "typescript" } },
      cells: [cell("one", "// Tested: a score\nrecord({ score: 0.5 });"), cell("two", "// Tested: another\nrecord({ score: 0.75 });")],
    }),
  );
  return dir;
}

const withoutMlflowEnv = { MLFLOW_TRACKING_URI: "", MLFLOW_TRACKING_TOKEN: "" };

test("each record reaches MLflow after its cell's reply; a server that is down costs the cell nothing and loses no record", async () => {
  const port = await freePort();
  const dir = notebookFolder(`http://127.0.0.1:${port}`);
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "scores.ipynb", ...withoutMlflowEnv } });
  let server: MlflowServer | undefined;
  try {
    // Nothing listens yet: the cell succeeds all the same, and the kernel says so once in its log.
    const down = await kernel.executeOk("// Tested: a score\nrecord({ score: 0.5 });", { metadata: { cellId: "one" } });
    expect(down.reply.content.status).toBe("ok");
    await logMatches(kernel, /mlflow auto-push: .*127\.0\.0\.1.*records stay in runs\.jsonl/, 60_000);

    // The server comes up; the next record's push takes the earlier one along.
    server = await startMlflowServer(mlflow, { port });
    await kernel.executeOk("// Tested: another\nrecord({ score: 0.75 });", { metadata: { cellId: "two" } });
    const runs = await cellRunsOnceThere(server, "auto-pushed", 2);
    const scores = runs.map((run) => run.data.metrics?.find((m) => m.key === "score")?.value).sort();
    expect(scores).toEqual([0.5, 0.75]);
    await logMatches(kernel, /mlflow auto-push: \d+ runs? sent \(the server is back\)/, 30_000);

    // A rerun adds its one run, nothing twice.
    await kernel.executeOk("// Tested: a score\nrecord({ score: 0.5 });", { metadata: { cellId: "one" } });
    const after = await cellRunsOnceThere(server, "auto-pushed", 3);
    expect(new Set(after.map((run) => run.info.run_id)).size).toBe(3);
  } finally {
    await kernel.stop();
    await server?.stop();
  }
});

test("autoPush with no tracking server named: one line in the kernel's log, cells run as ever", async () => {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-autopush-"));
  writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify({ header: { mode: "off" }, mlflow: { autoPush: true } }));
  const kernel = await KernelClient.start({ cwd: dir, env: { LABTRAIL_NOTEBOOK: "x.ipynb", ...withoutMlflowEnv } });
  try {
    const run = await kernel.executeOk("1 + 1");
    expect(run.reply.content.status).toBe("ok");
    expect(kernel.log).toContain('"mlflow": { "autoPush": true } has no tracking server to push to');
  } finally {
    await kernel.stop();
  }
});

test("credentials in MLFLOW_TRACKING_URI and the token never reach the kernel's log", async () => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "labtrail-autopush-"));
  writeFileSync(join(dir, "labtrail.config.json"), JSON.stringify({ header: { mode: "off" }, mlflow: { autoPush: true } }));
  writeFileSync(join(dir, "x.ipynb"), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
  const kernel = await KernelClient.start({
    cwd: dir,
    env: {
      LABTRAIL_NOTEBOOK: "x.ipynb",
      MLFLOW_TRACKING_URI: `http://alice:sk-canary-password-1234567890@127.0.0.1:${port}`,
      MLFLOW_TRACKING_TOKEN: "sk-canary-token-1234567890",
    },
  });
  try {
    await kernel.executeOk("record({ score: 1 });");
    await logMatches(kernel, /mlflow auto-push: .*records stay in runs\.jsonl/, 60_000);
    expect(kernel.log).toContain(`each record goes to http://127.0.0.1:${port}`);
    expect(kernel.log).not.toContain("canary");
  } finally {
    await kernel.stop();
  }
});
