/**
 * The Experiment Log in the right sidebar: opened from the command palette, each code cell with its
 * header and runs (metrics, model calls), click-to-cell and cell-to-row, a new run arriving live with
 * its execute_reply, a run's evaluations (variants side by side and charted, items × scores), and the Recordings
 * section with a confirmed prune of the unused ones.
 */
import { expect, type IJupyterLabPageFixture, test } from "@jupyterlab/galata";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { jsonl, modelCall, runRecord } from "../support/run-records";
import { openNotebook, runCommand, writeFile } from "./notebooks";

const LOG = "#labtrail-experiment-log";
const USED = "a".repeat(64);
const UNUSED = "b".repeat(64);

const CELLS = [
  '// Tested: the model labels a login bug as a bug\n// Found: it does, replayed\nconst label = await ask("Label: login button does nothing");',
  "// Tested: a score is recorded\nrecord({ score: 0.9 });",
  "// Tested: not run yet\n1 + 1",
];

function recording(content: string): string {
  return JSON.stringify({
    v: 1,
    request: { model: "gpt-4o-mini", messages: [{ role: "user", content }] },
    samples: [{ recordedAt: "2026-11-19T08:00:00.000Z", response: { choices: [{ message: { role: "assistant", content: "bug" } }] } }],
  });
}

/** A notebook with a history: two runs of cell 1 (the second replayed), one of cell 2; and two recordings. */
async function seed(page: IJupyterLabPageFixture, folder: string): Promise<void> {
  await page.contents.createDirectory(`${folder}/log.labtrail/recordings`);
  await writeFile(page, `${folder}/log.labtrail/recordings/${USED.slice(0, 16)}.json`, recording("Label: login button does nothing"));
  await writeFile(page, `${folder}/log.labtrail/recordings/${UNUSED.slice(0, 16)}.json`, recording("Label (old prompt): login"));
  // The newest record ends after the recordings were written, as when the runs that made them were recorded.
  const records = [
    runRecord({
      notebook: "log.ipynb",
      cell: "cell-1",
      startedAt: "2026-11-19T08:00:00.000Z",
      calls: [modelCall({ requestHash: UNUSED, answer: "The label is bug" })],
    }),
    runRecord({
      notebook: "log.ipynb",
      cell: "cell-1",
      startedAt: "2026-11-19T08:05:00.000Z",
      durationMs: 420,
      calls: [modelCall({ requestHash: USED, replayed: true, inputTokens: 12, outputTokens: 1, answer: "The label is feature" })],
      verdict: { kind: "drifted", summary: "drifted: model answer 1", changes: [] },
    }),
    runRecord({ notebook: "log.ipynb", cell: "cell-2", startedAt: new Date(Date.now() + 2000).toISOString(), values: { score: 0.8 } }),
  ];
  await writeFile(page, `${folder}/log.labtrail/runs.jsonl`, jsonl(records));
}

const activeCell = (page: IJupyterLabPageFixture) =>
  page.evaluate(() => (window.jupyterapp.shell.currentWidget as NotebookPanel).content.activeCellIndex);

test("the Experiment Log: from the palette, each cell's runs, click-to-cell and back, a new run live", async ({
  page,
  tmpPath,
}, testInfo) => {
  await seed(page, tmpPath);
  await openNotebook(page, `${tmpPath}/log.ipynb`, CELLS, { waitForKernel: true });

  // The command palette, as a user opens it.
  await page.keyboard.press("Control+Shift+C");
  await page.locator(".lm-CommandPalette-input").fill("Show Experiment Log");
  await page.keyboard.press("Enter");
  const log = page.locator(LOG);
  await expect(log).toBeVisible();
  await expect(log.locator(".lt-ExperimentLog-title")).toHaveText("Experiment Log: log.ipynb");

  const cell = (index: number) => log.locator(`.lt-LogCell[data-cell-index="${index}"]`);
  await expect(log.locator(".lt-LogCell")).toHaveCount(3);
  await expect(cell(0).locator(".lt-LogCell-header")).toContainText("the model labels a login bug as a bug");
  await expect(cell(0).locator(".lt-LogCell-header .lt-LogVerdict")).toHaveText("≠ drifted");
  await expect(cell(0).locator(".lt-LogRun")).toHaveCount(2);
  // Newest first: the replayed run, its model and tokens.
  await expect(cell(0).locator(".lt-LogRun").first()).toContainText("420 ms");
  await expect(cell(0).locator(".lt-LogRun").first().locator(".lt-LogRun-model")).toHaveText(
    "gpt-4o-mini · 12 in / 1 out tokens · replayed",
  );
  await expect(cell(0).locator(".lt-LogRun").nth(1).locator(".lt-LogRun-model")).toContainText("live");
  await expect(cell(1).locator(".lt-LogRun-metric")).toHaveText("score0.8");
  await expect(cell(1).locator(".lt-LogCell-missing")).toHaveText("no Found line");
  await expect(cell(2).locator(".lt-LogVerdict")).toHaveText("not run");

  // Two runs compared: the model's answer as a word diff, old → new.
  await cell(0).locator('[data-run="1"]').getByRole("button", { name: "Compare" }).click();
  await cell(0).locator('[data-run="2"]').getByRole("button", { name: "Compare" }).click();
  const comparison = cell(0).locator(".lt-LogCompare");
  await expect(comparison.locator("h3")).toHaveText("Run 1 → run 2");
  await expect(comparison.locator(".lt-LogCompare-text", { hasText: "Answer 1" })).toContainText("another request");
  await expect(comparison.locator(".lt-LogDiff del")).toHaveText(["bug"]);
  await expect(comparison.locator(".lt-LogDiff ins")).toHaveText(["feature"]);
  await comparison.getByRole("button", { name: "Close" }).click();
  await expect(comparison).toHaveCount(0);

  // A click on a cell's entry selects that cell in the notebook; the notebook's selection selects the entry.
  await cell(2).locator(".lt-LogCell-header").click();
  await expect.poll(() => activeCell(page)).toBe(2);
  await expect(cell(2)).toHaveClass(/lt-mod-selected/);
  await page.notebook.selectCells(0);
  await expect(cell(0)).toHaveClass(/lt-mod-selected/);
  await expect(cell(2)).not.toHaveClass(/lt-mod-selected/);
  // From the keyboard: ↓ to the next entry (cell 1's newest run), Enter goes to its cell.
  await cell(0).locator(".lt-LogCell-header").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(cell(1).locator(".lt-LogCell-header")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => activeCell(page)).toBe(1);

  // A run appears when its execute_reply arrives.
  await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
    panel.content.model!.cells.get(1).sharedModel.setSource("// Tested: a score is recorded\nrecord({ score: 0.95 });");
  });
  await page.notebook.selectCells(1);
  await runCommand(page, "notebook:run-cell");
  await expect(cell(1).locator(".lt-LogRun")).toHaveCount(2);
  await expect(cell(1).locator(".lt-LogRun").first().locator(".lt-LogRun-metric")).toHaveText("score0.95");
  await expect(cell(1).locator(".lt-LogRun").first().locator(".lt-LogRun-number")).toHaveText("run 4");

  // Its metric over the runs, charted by JupyterLab's Vega-Lite renderer.
  await cell(1).getByRole("button", { name: "Chart metrics over runs" }).click();
  await expect(cell(1).locator(".lt-LogChart .vega-embed")).toBeVisible();
  await expect(cell(1).locator(".lt-LogChart canvas, .lt-LogChart svg").first()).toBeVisible();
  await log.screenshot({ path: testInfo.outputPath("experiment-log.png") });
  // Readable in the dark theme.
  await runCommand(page, "apputils:change-theme", { theme: "JupyterLab Dark" });
  await expect(page.locator("body[data-jp-theme-light='false']")).toHaveCount(1);
  await log.screenshot({ path: testInfo.outputPath("experiment-log-dark.png") });
  await runCommand(page, "apputils:change-theme", { theme: "JupyterLab Light" });
});

test("the Experiment Log's recordings: what each holds, the unused marked, a prune that asks first", async ({ page, tmpPath }) => {
  await seed(page, tmpPath);
  await openNotebook(page, `${tmpPath}/log.ipynb`, CELLS);
  await runCommand(page, "labtrail:open-experiment-log");
  const log = page.locator(LOG);
  await log.locator(".jp-AccordionPanel-title", { hasText: "Recordings" }).click();

  const rows = log.locator(".lt-LogRecording");
  await expect(rows).toHaveCount(2);
  const used = log.locator(`.lt-LogRecording[data-name="${USED.slice(0, 16)}.json"]`);
  const unused = log.locator(`.lt-LogRecording[data-name="${UNUSED.slice(0, 16)}.json"]`);
  await expect(used).toContainText("gpt-4o-mini");
  await expect(used).toContainText("Label: login button does nothing");
  await expect(used).toContainText("cell 1");
  await expect(used).toContainText("1 sample");
  await expect(used).not.toHaveClass(/lt-mod-unused/);
  await expect(unused).toHaveClass(/lt-mod-unused/);
  await expect(unused).toContainText("unused");

  const files = () =>
    page.evaluate(async (folder) => {
      const model = await window.jupyterapp.serviceManager.contents.get(folder, { content: true });
      return (model.content as { name: string }[]).map((entry) => entry.name).sort();
    }, `${tmpPath}/log.labtrail/recordings`);

  // The prune button in the section's title bar asks first; Cancel deletes nothing.
  const prune = log.locator(".jp-AccordionPanel-toolbar button");
  await prune.click();
  const dialog = page.locator(".jp-Dialog");
  await expect(dialog).toContainText("Delete 1 recording");
  await expect(dialog).toContainText(`${UNUSED.slice(0, 16)}.json`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await files()).toEqual([`${UNUSED.slice(0, 16)}.json`, `${USED.slice(0, 16)}.json`].sort());

  await prune.click();
  await page.locator(".jp-Dialog").getByRole("button", { name: "Delete" }).click();
  await expect(rows).toHaveCount(1);
  expect(await files()).toEqual([`${USED.slice(0, 16)}.json`]);

  // The log follows the notebook in front.
  await openNotebook(page, `${tmpPath}/other.ipynb`, ["// Tested: another notebook\n2 + 2"]);
  await expect(log.locator(".lt-ExperimentLog-title")).toHaveText("Experiment Log: other.ipynb");
  await expect(log.locator(".lt-LogCell")).toHaveCount(1);
  await expect(log.locator(".lt-LogCell .lt-LogVerdict")).toHaveText("not run");
  await expect(log.locator(".lt-Log-empty", { hasText: "Nothing is recorded" })).toBeVisible();
});

test("the Experiment Log's evaluations: variants side by side, each variant's items × scores, failures marked", async ({
  page,
  tmpPath,
}, testInfo) => {
  const summary = (correct: number, errors: number) => ({
    correct,
    n: 2,
    runs: 2,
    errors,
    calls: 2,
    replayed: 2,
    tokensIn: 20,
    tokensOut: 2,
    p50Ms: 3,
    p90Ms: 4,
  });
  const record = runRecord({
    notebook: "evals.ipynb",
    cell: "cell-1",
    startedAt: "2026-11-19T08:00:00.000Z",
    values: { labels: { bare: summary(0.5, 0), constrained: summary(1, 1) } },
    evaluations: [
      {
        name: "labels",
        variant: "bare",
        scores: ["correct"],
        summary: summary(0.5, 0),
        items: [
          { index: 0, trial: 1, output: "bug", outputHash: "h0", scores: { correct: 1 } },
          { index: 1, trial: 1, output: "a feature, I think", outputHash: "h1", scores: { correct: 0 } },
        ],
        runs: 2,
      },
      {
        name: "labels",
        variant: "constrained",
        scores: ["correct"],
        summary: summary(1, 1),
        items: [
          { index: 0, trial: 1, output: "bug", outputHash: "h0", scores: { correct: 1 } },
          {
            index: 1,
            trial: 1,
            output: null,
            outputHash: null,
            scores: {},
            error: '<img src=x onerror="window.__labtrailPwned=1"> timed out',
          },
        ],
        runs: 2,
      },
    ],
  });
  await page.contents.createDirectory(`${tmpPath}/evals.labtrail`);
  await writeFile(page, `${tmpPath}/evals.labtrail/runs.jsonl`, jsonl([record]));
  await openNotebook(page, `${tmpPath}/evals.ipynb`, [
    '// Tested: the constrained prompt labels as well as the bare one\nawait evaluate("labels", {});',
  ]);
  await runCommand(page, "labtrail:open-experiment-log");
  const cell = page.locator(`${LOG} .lt-LogCell[data-cell-index="0"]`);

  await cell.getByRole("button", { name: "Show evaluation “labels” (run 1)" }).click();
  const evaluation = cell.locator('.lt-LogEvaluation[data-evaluation="labels"]');
  // The summaries side by side, as the cell's own output draws them.
  const summaries = evaluation.locator(".lt-LogEvaluation-summary table");
  await expect(summaries.locator("thead th")).toHaveText(["", "bare", "constrained"]);
  await expect(summaries.locator("tbody tr", { hasText: "correct" }).locator("td")).toHaveText(["0.5", "1"]);
  await expect(summaries.locator("tbody tr", { hasText: "errors" }).locator("td")).toHaveText(["0", "1"]);
  // Their score means charted by JupyterLab's own Vega-Lite renderer.
  await expect(evaluation.locator(".lt-LogEvaluation-chart .vega-embed").locator("svg, canvas").first()).toBeVisible();

  // Each variant's items × scores, behind its own disclosure; the failed item with its message, as text.
  const constrained = evaluation.locator('.lt-LogEvaluation-items[data-variant="constrained"]');
  await expect(constrained.locator("summary")).toContainText("constrained: items × scores");
  await expect(constrained.locator(".lt-LogEvaluation-failures")).toHaveText("1 failed");
  await constrained.locator("summary").click();
  const rows = constrained.locator(".lt-LogEvaluation-table tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(constrained.locator(".lt-LogEvaluation-table thead th")).toHaveText(["#", "output", "correct"]);
  await expect(rows.nth(1)).toContainText('✗ <img src=x onerror="window.__labtrailPwned=1"> timed out');
  const bare = evaluation.locator('.lt-LogEvaluation-items[data-variant="bare"]');
  await bare.locator("summary").click();
  await expect(bare.locator(".lt-LogEvaluation-table tbody tr").nth(1).locator("td")).toHaveText(["1", "a feature, I think", "0"]);
  expect(await page.evaluate(() => window.__labtrailPwned)).toBeUndefined();
  await page.locator(LOG).screenshot({ path: testInfo.outputPath("experiment-log-evaluations.png") });
  // Readable in the dark theme.
  await runCommand(page, "apputils:change-theme", { theme: "JupyterLab Dark" });
  await expect(page.locator("body[data-jp-theme-light='false']")).toHaveCount(1);
  await page.locator(LOG).screenshot({ path: testInfo.outputPath("experiment-log-evaluations-dark.png") });
  await runCommand(page, "apputils:change-theme", { theme: "JupyterLab Light" });

  await cell.getByRole("button", { name: "Hide evaluations" }).click();
  await expect(evaluation).toHaveCount(0);
});
