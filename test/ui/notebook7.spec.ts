/**
 * Jupyter Notebook 7 on the same server as JupyterLab (installed beside it in .venv): the extension's
 * key flows there. Galata's page fixtures are JupyterLab's, so this is plain Playwright against
 * Notebook 7's /tree and /notebooks/<path> pages: no plugin fails to activate, a header marker on an
 * undocumented cell and the count in the notebook's toolbar (Notebook 7 has no status bar), Insert
 * Experiment Header, a run's verdict badge, and the Experiment Log in the right side panel.
 */
import { expect, type APIRequestContext, type Page, test } from "@playwright/test";
import { jsonl, runRecord } from "../support/run-records";
import { notebookJson } from "./notebooks";

const LOG = "#labtrail-experiment-log";
const cells = (page: Page) => page.locator(".jp-Notebook .jp-CodeCell");

/** Writes a file through the contents API (the test server has no token and no XSRF check). */
async function put(request: APIRequestContext, path: string, body: object): Promise<void> {
  const response = await request.put(`/api/contents/${path}`, { data: body });
  expect(response.ok(), `PUT ${path}: ${response.status()}`).toBe(true);
}

const folder = (name: string) => ({ type: "directory", name });
const textFile = (content: string) => ({ type: "file", format: "text", content });

test("Notebook 7: plugins activate; markers, the toolbar count, Insert Experiment Header, a verdict, the Experiment Log", async ({
  page,
  request,
}, testInfo) => {
  const dir = `nb7-${testInfo.testId.slice(0, 8)}-${Date.now()}`;
  await put(request, dir, folder(dir));
  await put(request, `${dir}/nb7.labtrail`, folder("nb7.labtrail"));
  await put(
    request,
    `${dir}/nb7.labtrail/runs.jsonl`,
    textFile(jsonl([runRecord({ notebook: "nb7.ipynb", cell: "cell-1", startedAt: "2026-11-19T08:00:00.000Z", durationMs: 420 })])),
  );
  await put(request, `${dir}/nb7.ipynb`, {
    type: "notebook",
    format: "json",
    content: JSON.parse(
      notebookJson(["// Tested: Notebook 7 runs a documented cell\n// Found: it does\n1 + 1", "const undocumented = 2;"]),
    ),
  });

  const activationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /labtrail/.test(message.text())) activationErrors.push(message.text());
  });

  // The tree page lists the notebook; opening it goes to /notebooks/<path>.
  await page.goto(`/tree/${dir}`);
  await expect(page.locator(".jp-DirListing-item", { hasText: "nb7.ipynb" })).toBeVisible();
  await page.goto(`/notebooks/${dir}/nb7.ipynb`);
  await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toHaveCount(1, { timeout: 60_000 });

  const labtrailPlugins = await page.evaluate(() => {
    const app = window.jupyterapp;
    return app
      .listPlugins()
      .filter((id) => id.startsWith("labtrail-jupyterlab:"))
      .map((id) => [id, app.isPluginActivated(id)] as const);
  });
  expect(labtrailPlugins.length).toBeGreaterThan(10);
  expect(labtrailPlugins.filter(([, active]) => !active)).toEqual([]);
  expect(activationErrors).toEqual([]);

  // The undocumented cell is marked, and the documented one's Found, whose code changed since the
  // seeded run record (read through the contents API here too); the toolbar counts both.
  await expect(cells(page).nth(1).locator(".lt-HeaderMarker-badge")).toHaveText("needs Tested");
  await expect(cells(page).nth(0).locator(".lt-HeaderMarker-badge")).toHaveText("Found may be stale");
  const status = page.locator(".jp-NotebookPanel-toolbar .lt-UndocumentedStatus");
  await expect(status).toHaveText("1 cell undocumented, 1 Found may be stale");

  // Insert Experiment Header on it, from the keyboard.
  await cells(page).nth(1).locator(".jp-InputArea-editor").click();
  await page.keyboard.press("Control+Alt+H");
  await expect(cells(page).nth(1).locator(".cm-content")).toContainText("// Tested: <what this cell tries>");
  await page.keyboard.type("Notebook 7 inserts the header");
  await expect(cells(page).nth(1).locator(".cm-content")).toContainText("// Tested: Notebook 7 inserts the header");
  await expect(cells(page).nth(1).locator(".lt-HeaderMarker-badge")).toHaveCount(0);
  await expect(status).toHaveText("1 Found may be stale");
  await page.keyboard.press("Escape");

  // Run the documented cell: its verdict against the seeded record (the code differs: "changed").
  await cells(page).nth(0).locator(".jp-InputPrompt").click();
  await page.keyboard.press("Control+Enter");
  await expect(cells(page).nth(0).locator(".jp-OutputArea-output")).toContainText("2");
  await expect(cells(page).nth(0).locator(".lt-VerdictBadge")).toBeVisible();
  const verdict = (await cells(page).nth(0).locator(".lt-VerdictBadge").textContent()) ?? "";

  // The Experiment Log opens in Notebook 7's right side panel, with the new run beside the seeded one.
  await page.evaluate(() => window.jupyterapp.commands.execute("labtrail:open-experiment-log"));
  const log = page.locator(LOG);
  await expect(log).toBeVisible();
  await expect(log.locator(".lt-ExperimentLog-title")).toHaveText("Experiment Log: nb7.ipynb");
  const first = log.locator('.lt-LogCell[data-cell-index="0"]');
  await expect(first.locator(".lt-LogRun")).toHaveCount(2);
  await expect(first.locator(".lt-LogCell-header .lt-LogVerdict")).toHaveText(verdict);
  await expect(first.locator(".lt-LogRun").last()).toContainText("420 ms");
  await page.screenshot({ path: testInfo.outputPath("notebook7-experiment-log.png") });
});

test("Notebook 7: block mode keeps an undocumented cell from running; Export Design Doc Draft writes the draft and opens it", async ({
  page,
  request,
}, testInfo) => {
  const dir = `nb7-${testInfo.testId.slice(0, 8)}-${Date.now()}`;
  await put(request, dir, folder(dir));
  await put(request, `${dir}/labtrail.config.json`, textFile(JSON.stringify({ header: { mode: "block" } })));
  await put(request, `${dir}/block.ipynb`, {
    type: "notebook",
    format: "json",
    content: JSON.parse(
      notebookJson([
        'globalThis.ranBlocked = true;\n"ran"',
        "// Tested: Notebook 7 exports the draft\n// Found: it does\nrecord({ ok: 1 });",
      ]),
    ),
  });
  await page.goto(`/notebooks/${dir}/block.ipynb`);
  await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toHaveCount(1, { timeout: 60_000 });

  await cells(page).nth(0).locator(".jp-InputPrompt").click();
  await page.keyboard.press("Control+Enter");
  const toast = page.locator(".Toastify__toast", { hasText: "did not run this cell" });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText("missing Tested");
  await expect(cells(page).nth(0).locator(".jp-OutputArea-output")).toHaveCount(0);

  await cells(page).nth(1).locator(".jp-InputPrompt").click();
  await page.keyboard.press("Control+Enter");
  await expect(cells(page).nth(1).locator(".lt-VerdictBadge")).toHaveText("new");

  // The toolbar button writes <notebook>.design.md; Notebook 7 (no Markdown Preview) opens it in its
  // editor, in a tab of its own.
  const opened = page.context().waitForEvent("page", { timeout: 15_000 });
  await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="labtrail-export-design-doc"] button').click();
  const draftPage = await opened;
  await expect.poll(() => draftPage.url()).toContain(`${dir}/block.design.md`);
  const draft = await request.get(`/api/contents/${dir}/block.design.md?content=1&type=file&format=text`);
  expect(draft.ok()).toBe(true);
  const { content } = (await draft.json()) as { content: string };
  expect(content).toContain("Notebook 7 exports the draft");
  expect(content).toContain("## Evidence");
  await draftPage.close();
});
