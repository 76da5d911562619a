/**
 * What a team sees in MLflow's own UI after `labtrail push`: a real MLflow server (the venv
 * test/support/mlflow-server.ts installs), the examples pushed with their traces, and MLflow's web app
 * in Chromium showing the experiment's runs, a notebook run's cells nested under it, and a cell run's
 * header, metrics and params. Takes the README's MLflow screenshot on the way.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { MLFLOW_INSTALL_TIMEOUT_MS, type MlflowServer, prepareMlflow, startMlflowServer } from "../support/mlflow-server";
import { cliMain, repoRoot } from "../support/paths";
import { screenshot } from "./notebooks";

let server: MlflowServer;
let experimentId: string;

test.beforeAll(async () => {
  test.setTimeout(MLFLOW_INSTALL_TIMEOUT_MS + 120_000);
  server = await startMlflowServer(prepareMlflow());
  const work = mkdtempSync(join(tmpdir(), "labtrail-mlflow-ui-"));
  for (const entry of ["ticket-extraction.ipynb", "ticket-extraction.labtrail", "ticket-extraction.design.md"]) {
    cpSync(join(repoRoot, "examples", entry), join(work, entry), { recursive: true });
  }
  const env = { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: "" };
  const pushed = spawnSync(process.execPath, [cliMain, "push", "ticket-extraction.ipynb", "--traces", "--json"], {
    cwd: work,
    env,
    encoding: "utf8",
  });
  expect(pushed.status, pushed.stderr).toBe(0);
  experimentId = JSON.parse(pushed.stdout).notebooks[0].experiment.id;
});
test.afterAll(async () => server?.stop());

test.use({ viewport: { width: 1440, height: 900 } });

test("MLflow's UI shows the pushed notebook runs with their cells nested, and a cell run's header, metrics and params", async ({
  page,
}, testInfo) => {
  await page.goto(`${server.url}/#/experiments/${experimentId}/runs`);
  // The two notebook runs of the example (a session and its reproduce), each folding its cell runs.
  const notebookRuns = page.getByRole("gridcell", { name: /ticket-extraction \d{4}-\d\d-\d\d/ });
  await expect(notebookRuns).toHaveCount(2, { timeout: 60_000 });
  await notebookRuns.first().getByRole("button").click();
  const cellRuns = page.getByRole("link", { name: /^#\d+ / });
  await expect(cellRuns.first()).toBeVisible();
  await screenshot(page, testInfo, "mlflow-runs");

  // A cell run: its header as tags, its record() numbers as metrics, the model call's parameters.
  await cellRuns.first().click();
  await expect(page.getByText("labtrail.header.tested").first()).toBeVisible({ timeout: 30_000 });
  await screenshot(page, testInfo, "mlflow-cell-run");
});
