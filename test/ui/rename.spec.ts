/**
 * A notebook renamed or moved in JupyterLab keeps one history: the rerun replays its recorded model
 * answer (no request reaches the model server) and is reproduced, and the export of the renamed
 * notebook sees its records. And block mode follows the kernel: a config change and a kernel restart,
 * no page reload.
 */
import { expect, type IJupyterLabPageFixture, test } from "@jupyterlab/galata";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { ModelServer } from "../support/model-server";
import { jsonl, runRecord } from "../support/run-records";
import { notebookJson, openNotebook, readFile, runCommand, writeFile } from "./notebooks";

let server: ModelServer;
test.beforeAll(async () => {
  server = await ModelServer.start();
});
test.afterAll(async () => server?.close());

const cells = (page: IJupyterLabPageFixture) => page.locator(".jp-Notebook .jp-CodeCell");
const VERDICT = ".lt-VerdictBadge";

async function runCell(page: IJupyterLabPageFixture, index: number): Promise<void> {
  await page.notebook.selectCells(index);
  await runCommand(page, "notebook:run-cell");
}

/** The path the open notebook's session has now (it follows a rename once the server has it). */
function sessionPath(page: IJupyterLabPageFixture): Promise<string | undefined> {
  return page.evaluate(() => (window.jupyterapp.shell.currentWidget as NotebookPanel).sessionContext.session?.path);
}

async function listing(page: IJupyterLabPageFixture, folder: string): Promise<string[]> {
  return page.evaluate(async (path) => {
    const model = await window.jupyterapp.serviceManager.contents.get(path, { content: true });
    return (model.content as { name: string }[]).map((entry) => entry.name).sort();
  }, folder);
}

test("renamed and moved, the notebook keeps its history: the rerun replays, the export sees its records", async ({ page, tmpPath }) => {
  server.reset();
  server.script({ content: "bug" });
  // The model server plays the remote API; it needs no key.
  const config = { models: { default: "fast", aliases: { fast: { model: "gpt-4o-mini", baseURL: server.url, apiKeyEnv: null } } } };
  await writeFile(page, `${tmpPath}/labtrail.config.json`, JSON.stringify(config));
  await openNotebook(
    page,
    `${tmpPath}/Untitled.ipynb`,
    [
      '// Tested: the model labels a login bug as a bug\n// Found: it does\nconst label = await ask("Label: login button does nothing");\nrecord({ labelAgrees: label === "bug" });',
    ],
    { waitForKernel: true },
  );
  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("new");
  expect(server.chatRequests()).toHaveLength(1);

  // File → Rename, as a user does it (the command settles only once its dialog closes).
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute("docmanager:rename");
  });
  const dialog = page.locator(".jp-Dialog");
  await dialog.locator("input").fill("sentiment.ipynb");
  await dialog.getByRole("button", { name: "Rename" }).click();
  await expect.poll(() => sessionPath(page)).toBe(`${tmpPath}/sentiment.ipynb`);

  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("✓ reproduced");
  await expect(cells(page).nth(0).locator(".jp-OutputArea")).toContainText("1 of 1 replayed");
  expect(server.chatRequests()).toHaveLength(1);
  expect(await listing(page, tmpPath)).toEqual(["labtrail.config.json", "sentiment.ipynb", "sentiment.labtrail"]);
  const runs = (await readFile(page, `${tmpPath}/sentiment.labtrail/runs.jsonl`)).trimEnd().split("\n");
  expect(runs.map((line) => JSON.parse(line).notebook)).toEqual(["Untitled.ipynb", "sentiment.ipynb"]);

  // Moved into a folder (what a drag in the file browser does), then exported from there.
  await page.evaluate(async (root) => {
    await window.jupyterapp.serviceManager.contents.newUntitled({ path: root, type: "directory" });
    await window.jupyterapp.serviceManager.contents.rename(`${root}/Untitled Folder`, `${root}/drafts`);
    await window.jupyterapp.serviceManager.contents.rename(`${root}/sentiment.ipynb`, `${root}/drafts/sentiment.ipynb`);
  }, tmpPath);
  await expect.poll(() => sessionPath(page)).toBe(`${tmpPath}/drafts/sentiment.ipynb`);
  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(VERDICT)).toHaveText("✓ reproduced");
  expect(server.chatRequests()).toHaveLength(1);

  await runCommand(page, "labtrail:export-design-doc");
  await expect(page.locator(".lm-TabBar-tab", { hasText: "sentiment.design.md" })).toBeVisible();
  const draft = await readFile(page, `${tmpPath}/drafts/sentiment.design.md`);
  expect(draft).not.toContain("No run records");
  expect(draft).toContain("labelAgrees");
  expect(await listing(page, `${tmpPath}/drafts`)).toEqual(["sentiment.design.md", "sentiment.ipynb", "sentiment.labtrail"]);
});

test("renamed and moved with no run, kernel or not: the records folder follows at once, the export sees it", async ({ page, tmpPath }) => {
  // A notebook with a history from an earlier session (a record of its cell and one recording), closed.
  const record = runRecord({ notebook: "Untitled.ipynb", cell: "cell-1", header: { tested: "the label" }, values: { labelAgrees: true } });
  await page.contents.uploadContent(
    notebookJson(["// Tested: the label\n// Found: agrees\nrecord({ labelAgrees: true });"]),
    "text",
    `${tmpPath}/Untitled.ipynb`,
  );
  await page.contents.createDirectory(`${tmpPath}/Untitled.labtrail/recordings`);
  await writeFile(page, `${tmpPath}/Untitled.labtrail/runs.jsonl`, jsonl([record]));
  await writeFile(page, `${tmpPath}/Untitled.labtrail/recordings/0123456789abcdef.json`, "{}\n");

  // Renamed in the file browser while no kernel runs it (the file browser's rename is the contents API's).
  await page.evaluate(
    (root) => window.jupyterapp.serviceManager.contents.rename(`${root}/Untitled.ipynb`, `${root}/sentiment.ipynb`),
    tmpPath,
  );
  await expect.poll(() => listing(page, tmpPath)).toEqual(["sentiment.ipynb", "sentiment.labtrail"]);
  expect(await listing(page, `${tmpPath}/sentiment.labtrail`)).toEqual(["recordings", "runs.jsonl"]);

  // Opened and exported before any cell runs: the draft has the records.
  expect(await page.notebook.openByPath(`${tmpPath}/sentiment.ipynb`)).toBe(true);
  await page.notebook.activate("sentiment.ipynb");
  await runCommand(page, "labtrail:export-design-doc");
  await expect(page.locator(".lm-TabBar-tab", { hasText: "sentiment.design.md" })).toBeVisible();
  const draft = await readFile(page, `${tmpPath}/sentiment.design.md`);
  expect(draft).not.toContain("No run records");
  expect(draft).toContain("labelAgrees");

  // Dragged into a subfolder while open: the folder follows, records and recordings intact.
  await page.evaluate(async (root) => {
    const contents = window.jupyterapp.serviceManager.contents;
    await contents.newUntitled({ path: root, type: "directory" });
    await contents.rename(`${root}/Untitled Folder`, `${root}/drafts`);
    await contents.rename(`${root}/sentiment.ipynb`, `${root}/drafts/sentiment.ipynb`);
  }, tmpPath);
  await expect.poll(() => listing(page, `${tmpPath}/drafts`)).toEqual(["sentiment.ipynb", "sentiment.labtrail"]);
  expect(await listing(page, tmpPath)).toEqual(["drafts", "sentiment.design.md"]);
  expect(await readFile(page, `${tmpPath}/drafts/sentiment.labtrail/runs.jsonl`)).toBe(jsonl([record]));
  expect(await listing(page, `${tmpPath}/drafts/sentiment.labtrail/recordings`)).toEqual(["0123456789abcdef.json"]);

  // Renamed onto a name whose records folder exists: neither folder is touched, and the user is told.
  await page.contents.createDirectory(`${tmpPath}/drafts/taken.labtrail`);
  await writeFile(page, `${tmpPath}/drafts/taken.labtrail/runs.jsonl`, "");
  await page.evaluate(
    (root) => window.jupyterapp.serviceManager.contents.rename(`${root}/drafts/sentiment.ipynb`, `${root}/drafts/taken.ipynb`),
    tmpPath,
  );
  await expect(page.locator(".Toastify__toast", { hasText: "exists already" })).toBeVisible();
  expect(await listing(page, `${tmpPath}/drafts`)).toEqual(["sentiment.labtrail", "taken.ipynb", "taken.labtrail"]);
  expect(await readFile(page, `${tmpPath}/drafts/sentiment.labtrail/runs.jsonl`)).toBe(jsonl([record]));
  expect(await readFile(page, `${tmpPath}/drafts/taken.labtrail/runs.jsonl`)).toBe("");

  // Dragged together with its folder (both selected in the file browser): both renames succeed.
  const moved = await page.evaluate(async (root) => {
    const contents = window.jupyterapp.serviceManager.contents;
    const renames = [
      contents.rename(`${root}/drafts/taken.ipynb`, `${root}/taken.ipynb`),
      contents.rename(`${root}/drafts/taken.labtrail`, `${root}/taken.labtrail`),
    ];
    return (await Promise.allSettled(renames)).map((result) => result.status);
  }, tmpPath);
  expect(moved).toEqual(["fulfilled", "fulfilled"]);
  await page.waitForTimeout(1000);
  expect(await listing(page, tmpPath)).toEqual(["drafts", "sentiment.design.md", "taken.ipynb", "taken.labtrail"]);
  await expect(page.locator(".Toastify__toast", { hasText: "Could not move" })).toHaveCount(0);
});

test("block mode follows the kernel: a config change and a kernel restart apply it, with no reload", async ({ page, tmpPath }) => {
  await openNotebook(page, `${tmpPath}/policy.ipynb`, ['"ran before"', 'globalThis.ranBlocked = true;\n"ran after"'], {
    waitForKernel: true,
  });
  // No config: warn mode, so the undocumented cell runs.
  await runCell(page, 0);
  await expect(cells(page).nth(0).locator(".jp-OutputArea")).toContainText("ran before");

  await writeFile(page, `${tmpPath}/labtrail.config.json`, JSON.stringify({ header: { mode: "block" } }));
  // Kernel → Restart Kernel (its confirmation dialog aside).
  await page.evaluate(() => (window.jupyterapp.shell.currentWidget as NotebookPanel).sessionContext.restartKernel());
  await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toHaveCount(1, { timeout: 60_000 });

  await runCell(page, 1);
  const toast = page.locator(".Toastify__toast", { hasText: "did not run this cell" });
  await expect(toast).toBeVisible();
  await expect(toast.getByRole("button", { name: "Insert header" })).toBeVisible();
  // Not sent to the kernel: no execution count, no output.
  await expect(cells(page).nth(1).locator(".jp-InputPrompt")).toHaveText(/\[\s*\]:/);
  await expect(cells(page).nth(1).locator(".jp-OutputArea-output")).toHaveCount(0);
});
