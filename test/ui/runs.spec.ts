/**
 * Running cells on the real labtrail kernel: block mode (frontend and kernel follow the same
 * labtrail.config.json) and run verdicts on cells, kept in the cell metadata.
 */
import { expect, test } from "@jupyterlab/galata";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { cellMetadata, cellSource, openNotebook, runCommand, writeFile } from "./notebooks";

const cells = (page: import("@playwright/test").Page) => page.locator(".jp-Notebook .jp-CodeCell");
const VERDICT = ".lt-VerdictBadge";

async function runCell(page: import("@jupyterlab/galata").IJupyterLabPageFixture, index: number): Promise<void> {
  await page.notebook.selectCells(index);
  await runCommand(page, "notebook:run-cell");
}

test("block mode: an undocumented cell is not run, and the notification inserts the header", async ({ page, tmpPath }) => {
  await writeFile(page, `${tmpPath}/labtrail.config.json`, JSON.stringify({ header: { mode: "block" } }));
  await openNotebook(page, `${tmpPath}/block.ipynb`, ['globalThis.ranBlocked = true;\n"ran"'], { waitForKernel: true });

  await runCell(page, 0);
  const toast = page.locator(".Toastify__toast", { hasText: "did not run this cell" });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText("missing Tested");
  // Not executed: no execution count, no output, and the kernel never saw it.
  await expect(cells(page).nth(0).locator(".jp-InputPrompt")).toHaveText(/\[\s*\]:/);
  await expect(cells(page).nth(0).locator(".jp-OutputArea-output")).toHaveCount(0);

  await toast.getByRole("button", { name: "Insert header" }).click();
  await page.keyboard.type("block mode lets a documented cell run");
  await expect.poll(() => cellSource(page, 0)).toMatch(/^\/\/ Tested: block mode lets a documented cell run\n/);

  await page.keyboard.press("Escape");
  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(".jp-OutputArea-output")).toContainText("ran");
  await expect(cells(page).nth(0).locator(".jp-InputPrompt")).toHaveText(/\[1\]:/);
});

test("run verdicts: new, then reproduced or drifted, with what changed, kept in the cell metadata", async ({ page, tmpPath }, testInfo) => {
  await openNotebook(
    page,
    `${tmpPath}/verdicts.ipynb`,
    [
      "// Tested: a stable metric reproduces\n// Found: it does\nrecord({ score: 0.9 });",
      '// Tested: a counter drifts\n// Found: it does\nconst g = globalThis as any;\ng.n = (g.n ?? 0) + 1;\nrecord({ runs: g.n, note: `<img src=x onerror="window.__labtrailPwned=${g.n}">` });',
    ],
    { waitForKernel: true },
  );

  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("new");
  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("✓ reproduced");
  expect(await cellMetadata(page, 0, "labtrail")).toEqual({ verdict: "reproduced" });

  await runCell(page, 1);
  await expect(cells(page).nth(1).locator(VERDICT)).toHaveText("new");
  await runCell(page, 1);
  const drifted = cells(page).nth(1).locator(VERDICT);
  await expect(drifted).toHaveText("≠ drifted");
  await expect(drifted).toHaveAttribute("title", /runs: 1 → 2/);
  // The recorded value holds HTML: it stays text in the tooltip and the badge.
  await expect(drifted).toHaveAttribute("title", /note: "<img src=x onerror=\\"window.__labtrailPwned=1\\">" → /);
  expect(await drifted.evaluate((node) => node.children.length)).toBe(0);
  expect(await page.evaluate(() => window.__labtrailPwned)).toBeUndefined();
  const stored = (await cellMetadata(page, 1, "labtrail")) as { verdict: string; changes: { what: string }[] };
  expect(stored.verdict).toBe("drifted");
  expect(stored.changes.map((c) => c.what)).toEqual(expect.arrayContaining(["runs", "note"]));
  await page.screenshot({ path: testInfo.outputPath("run-verdicts.png") });

  // The verdict travels with the notebook: saved into the file's cell metadata.
  await page.notebook.save();
  const saved = await page.evaluate(async (p) => {
    const model = await window.jupyterapp.serviceManager.contents.get(p, { content: true });
    return model.content.cells.map((c: { metadata: { labtrail?: { verdict?: string } } }) => c.metadata.labtrail?.verdict ?? null);
  }, `${tmpPath}/verdicts.ipynb`);
  expect(saved).toEqual(["reproduced", "drifted"]);

  // The badge lets clicks through to the input prompt under it, which carries the tooltip.
  const box = (await drifted.boundingBox())!;
  const under = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest(".jp-InputPrompt")?.getAttribute("title") ?? null,
    [box.x + box.width / 2, box.y + box.height / 2] as const,
  );
  expect(under).toMatch(/runs: 1 → 2/);

  // After a restart, a Run All that stops at the first cell's error leaves the second cell unrun
  // (`[ ]:`): it shows no verdict from the earlier kernel.
  await page.evaluate(async () => {
    const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
    panel.content.model!.cells.get(0).sharedModel.setSource('// Tested: a failure stops Run All\nthrow new Error("stop");');
    await panel.sessionContext.restartKernel();
    await panel.sessionContext.session!.kernel!.info;
  });
  await runCommand(page, "notebook:run-all-cells");
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("✗ failed");
  await expect(cells(page).nth(1).locator(".jp-InputPrompt")).toHaveText("[ ]:");
  await expect(cells(page).nth(1).locator(VERDICT)).toHaveCount(0);
  await expect(cells(page).nth(1).locator(".jp-InputPrompt")).not.toHaveAttribute("title", /.+/);
});
