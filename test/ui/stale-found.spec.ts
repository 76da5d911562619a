/**
 * A stale Found in JupyterLab: a notebook whose runs.jsonl says the cell's results drifted after its
 * Found was written shows the marker, the badge and the status count, as `labtrail lint` reports it;
 * "Found Still Holds" writes the confirmation into the cell's metadata and all of them clear, in the
 * browser and in `labtrail lint` on the saved notebook.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, test } from "@jupyterlab/galata";
import { codeHash } from "labtrail/core";
import { jsonl, runRecord } from "../support/run-records";
import { cellMetadata, openNotebook, writeFile } from "./notebooks";

const BADGE = ".lt-HeaderMarker-badge";
const STATUS = ".lt-UndocumentedStatus";
const cells = (page: import("@playwright/test").Page) => page.locator(".jp-Notebook .jp-CodeCell");

const root = path.resolve(__dirname, "..", "..");
const serverRoot = path.join(root, "test-results", "ui-root");
const SOURCE = "// Tested: a one-line prompt is enough\n// Found: 6/10 useful\nrecord({ useful: 0.6 });";
const FOUND = "6/10 useful";
const STALE = "Found may be stale: the results drifted after Found was written (run 2)";

function lint(notebookPath: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [path.join(root, "kernel", "dist", "cli", "main.js"), "lint", notebookPath], {
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout };
}

test("a Found written before a drifted run is marked and counted; Found Still Holds clears it, for lint too", async ({ page, tmpPath }) => {
  // Found written after run 1 (run 2's header carries it), and run 2's results drifted from run 1's.
  const records = [
    runRecord({ notebook: "stale.ipynb", cell: "cell-1", codeHash: codeHash(SOURCE), header: {}, values: { useful: 0.6 } }),
    runRecord({
      notebook: "stale.ipynb",
      cell: "cell-1",
      codeHash: codeHash(SOURCE),
      header: { found: FOUND },
      values: { useful: 0.5 },
      verdict: { kind: "drifted", summary: "≠ drifted", changes: [{ what: "useful", before: "0.6", after: "0.5" }] },
    }),
  ];
  await page.contents.createDirectory(`${tmpPath}/stale.labtrail`);
  await writeFile(page, `${tmpPath}/stale.labtrail/runs.jsonl`, jsonl(records));
  await openNotebook(page, `${tmpPath}/stale.ipynb`, [{ source: SOURCE, ran: true }, "const undocumented = 1;"]);

  const staleBadge = cells(page).nth(0).locator(BADGE);
  await expect(staleBadge).toHaveText("Found may be stale");
  await expect(staleBadge).toHaveAttribute("title", STALE);
  // On the Found line (the second), as lint places it.
  await expect(cells(page).nth(0).locator(".cm-line").nth(1).locator(BADGE)).toHaveCount(1);
  await expect(cells(page).nth(0).locator(".lt-HeaderMarker-line")).toHaveAttribute("title", STALE);
  await expect(page.locator(STATUS)).toHaveText("1 cell undocumented, 1 Found may be stale");

  // The status item walks to the stale cell as it does to undocumented ones.
  await page.notebook.selectCells(1);
  await page.locator(STATUS).click();
  await expect(cells(page).nth(0)).toHaveClass(/jp-mod-active/);
  // The active stale cell's toolbar offers the button.
  const toolbarButton = cells(page).nth(0).locator('.jp-cell-toolbar [data-jp-item-name="labtrail-confirm-found"]');
  await expect(toolbarButton).toBeVisible();

  // lint on the saved notebook agrees: stale before the confirmation.
  await page.notebook.save();
  const notebookFile = path.join(serverRoot, tmpPath, "stale.ipynb");
  expect(lint(notebookFile).stdout).toContain(`stale.ipynb:cell 1:2:4: ${STALE}`);

  // Disabled on a cell whose Found is not stale: the undocumented cell's context menu.
  await cells(page).nth(1).locator(".jp-InputArea-editor").click({ button: "right" });
  await expect(page.locator(".lm-Menu-item", { hasText: "Found Still Holds" })).toHaveClass(/lm-mod-disabled/);
  await page.keyboard.press("Escape");

  await cells(page).nth(0).locator(".jp-InputArea-editor").click({ button: "right" });
  const item = page.locator(".lm-Menu-item", { hasText: "Found Still Holds" });
  await expect(item).not.toHaveClass(/lm-mod-disabled/);
  await item.click();

  await expect(staleBadge).toHaveCount(0);
  await expect(cells(page).nth(0).locator(".lt-HeaderMarker-line")).toHaveCount(0);
  await expect(page.locator(STATUS)).toHaveText("1 cell undocumented");
  await expect(toolbarButton).toBeHidden();
  expect(await cellMetadata(page, 0, "labtrail")).toEqual({ foundConfirmed: { found: FOUND, codeHash: codeHash(SOURCE), run: 2 } });

  await page.notebook.save();
  const after = lint(notebookFile);
  expect(after.stdout).not.toContain("Found may be stale");
  expect(after.stdout).toContain("stale.ipynb:cell 2:1:1: missing Tested");
});
