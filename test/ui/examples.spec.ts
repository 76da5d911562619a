/**
 * The examples as a newcomer meets them after `npm start`: each notebook, with its committed run
 * records and recordings, reruns in JupyterLab offline (no key, no endpoint) and every code cell comes
 * back "reproduced". The tour test takes the README's screenshots on the way; with
 * LABTRAIL_DOCS_SCREENSHOTS=1 they are also written to docs/screenshots/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test } from "@jupyterlab/galata";
import type { IJupyterLabPageFixture } from "@jupyterlab/galata";
import { cellSource, readFile, runCommand, screenshot } from "./notebooks";

const examples = path.resolve(__dirname, "..", "..", "examples");
const EXAMPLES = ["summaries", "ticket-extraction", "label-temperature"];

/** Uploads an example and its records folder into the test's folder and opens it. */
async function openExample(page: IJupyterLabPageFixture, tmpPath: string, name: string): Promise<void> {
  await page.contents.uploadFile(path.join(examples, `${name}.ipynb`), `${tmpPath}/${name}.ipynb`);
  await page.contents.uploadDirectory(path.join(examples, `${name}.labtrail`), `${tmpPath}/${name}.labtrail`);
  const config = path.join(examples, "labtrail.config.json");
  if (fs.existsSync(config)) await page.contents.uploadFile(config, `${tmpPath}/labtrail.config.json`);
  expect(await page.notebook.openByPath(`${tmpPath}/${name}.ipynb`)).toBe(true);
  await page.notebook.activate(`${name}.ipynb`);
  await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toHaveCount(1, { timeout: 60_000 });
}

test.use({ viewport: { width: 1280, height: 800 } });

for (const name of EXAMPLES) {
  test(`${name}: every cell reruns offline and is reproduced`, async ({ page, tmpPath }) => {
    await openExample(page, tmpPath, name);
    await runCommand(page, "notebook:run-all-cells");
    const codeCells = page.locator(".jp-Notebook .jp-CodeCell");
    const count = await codeCells.count();
    for (let i = 0; i < count; i++) {
      await expect(codeCells.nth(i).locator(".lt-VerdictBadge")).toHaveText("✓ reproduced", { timeout: 60_000 });
    }
    await expect(page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).toHaveCount(0);
    await expect(page.locator(".lt-UndocumentedStatus")).toHaveText("All cells documented");
  });
}

test("tour: markers, insert-header, a replayed %%ask, verdicts and the exported draft", async ({ page, tmpPath }, testInfo) => {
  await openExample(page, tmpPath, "summaries");

  // A new cell without a header is marked, and the status bar counts it.
  await page.notebook.selectCells(1);
  await runCommand(page, "notebook:insert-cell-below");
  await page.notebook.enterCellEditingMode(2);
  await page.keyboard.type('const idea = "try a shorter prompt";');
  await expect(page.locator(".jp-CodeCell.jp-mod-active .lt-HeaderMarker-badge")).toHaveText("needs Tested");
  await expect(page.locator(".lt-UndocumentedStatus")).toHaveText("1 cell undocumented");
  await screenshot(page, testInfo, "tour-markers");

  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Alt+h");
  await page.keyboard.type("a shorter prompt is as good");
  await expect.poll(async () => (await cellSource(page, 2)).startsWith("// Tested: a shorter prompt is as good")).toBe(true);
  await screenshot(page, testInfo, "tour-insert-header");
  await page.keyboard.press("Escape");
  await runCommand(page, "notebook:delete-cell");
  await expect(page.locator(".lt-UndocumentedStatus")).toHaveText("All cells documented");

  // Run everything: answers come from the recordings, each cell says it reproduced.
  await runCommand(page, "notebook:run-all-cells");
  // The second code cell is the bare %%ask prompt: its answer (streamed live, replayed here) and usage line.
  const ask = page.locator(".jp-Notebook .jp-CodeCell").nth(1);
  await expect(ask.locator(".lt-VerdictBadge")).toHaveText("✓ reproduced", { timeout: 60_000 });
  await ask.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "tour-ask");
  await page.locator(".jp-Notebook .jp-CodeCell").last().scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "tour-verdicts");

  // The Experiment Log beside it: each cell's runs, newest first, with the reruns just made.
  await runCommand(page, "labtrail:open-experiment-log");
  const log = page.locator("#labtrail-experiment-log");
  await expect(log.locator(".lt-LogCell").first().locator(".lt-LogVerdict").first()).toHaveText("✓ reproduced");
  await page.notebook.selectCells(1);
  await screenshot(page, testInfo, "tour-experiment-log");
  await runCommand(page, "application:toggle-right-area");

  // Export the draft and look at it rendered.
  const result = (await runCommand(page, "labtrail:export-design-doc")) as { path: string } | null;
  expect(result?.path).toBe(`${tmpPath}/summaries.design.md`);
  expect(await readFile(page, `${tmpPath}/summaries.design.md`)).toContain("## Key decisions");
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute("docmanager:open", { path: p, factory: "Markdown Preview" });
  }, `${tmpPath}/summaries.design.md`);
  await expect(page.locator(".jp-RenderedMarkdown h1", { hasText: "design doc draft" })).toBeVisible();
  await screenshot(page, testInfo, "tour-draft");
});
