/**
 * Export Design Doc Draft from JupyterLab: the toolbar button and the File menu write
 * <notebook>.design.md with the core renderer (run records included) and open it; a draft edited
 * since its export is only replaced when the user says so; header text stays text.
 */
import { expect, test } from "@jupyterlab/galata";
import { openNotebook, readFile, runCommand, writeFile } from "./notebooks";

const HOSTILE_TESTED = '<img src=x onerror="window.__labtrailPwned=1"> renders as text';
const HOSTILE_FOUND = "<script>window.__labtrailPwned=2</script> too";

test("export writes the draft beside the notebook, opens it, and keeps user edits unless told", async ({ page, tmpPath }) => {
  const path = `${tmpPath}/summaries.ipynb`;
  await openNotebook(
    page,
    path,
    [
      {
        type: "markdown",
        source: "# Summarizing TypeScript functions\nProblem: reviewers skim long functions\nMetric: reviewers rate summaries useful",
      },
      "// Tested: a one-line prompt is enough\n// Found: it is, on 5 functions\n// Decision: keep the one-line prompt\nrecord({ useful: 5 });",
      `// Tested: ${HOSTILE_TESTED}\n// Found: ${HOSTILE_FOUND}\n1 + 1`,
    ],
    { waitForKernel: true },
  );
  await page.notebook.selectCells(1);
  await runCommand(page, "notebook:run-cell");
  await expect(page.locator(".lt-VerdictBadge")).toHaveText("new");

  // The notebook toolbar button.
  await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="labtrail-export-design-doc"] button').click();
  const draftPath = `${tmpPath}/summaries.design.md`;
  await expect(page.locator(".lm-TabBar-tab", { hasText: "summaries.design.md" })).toBeVisible();
  // It opens rendered (JupyterLab's Markdown Preview), not as raw text in the editor.
  await expect(page.locator(".jp-MarkdownViewer .jp-RenderedMarkdown h1", { hasText: "design doc draft" })).toBeVisible();
  await expect(page.locator(".jp-FileEditor")).toHaveCount(0);
  const draft = await readFile(page, draftPath);
  expect(draft).toContain("# Summarizing TypeScript functions — design doc draft");
  for (const heading of ["## Context", "## Experiments", "## Key decisions", "## Evidence"]) expect(draft).toContain(heading);
  expect(draft).toContain("keep the one-line prompt (cell 2)");
  expect(draft).toMatch(/useful/); // the recorded metric, from summaries.labtrail/runs.jsonl
  // Header HTML is escaped in the Markdown and never runs in the page.
  expect(draft).toContain("\\<img src=x");
  expect(draft).not.toMatch(/(^|[^\\])<(img|script)/);
  expect(await page.evaluate(() => window.__labtrailPwned)).toBeUndefined();

  // The File menu has the command too.
  await page.locator(".lm-MenuBar-item", { hasText: "File" }).click();
  await expect(page.locator(".lm-Menu-item", { hasText: "Export Design Doc Draft" })).toBeVisible();
  await page.keyboard.press("Escape");

  // The user edits the draft on disk; a new export asks before replacing it.
  const edited = draft.replace("## Context", "## Context\n\nMy own paragraph.");
  await writeFile(page, draftPath, edited);
  await page.notebook.activate("summaries.ipynb");
  const keep = runCommand(page, "labtrail:export-design-doc");
  const dialog = page.locator(".jp-Dialog", { hasText: "Overwrite the edited draft?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Keep my edits" }).click();
  expect(await keep).toBeNull();
  expect(await readFile(page, draftPath)).toBe(edited);

  await page.notebook.activate("summaries.ipynb");
  const overwrite = runCommand(page, "labtrail:export-design-doc");
  await dialog.getByRole("button", { name: "Overwrite" }).click();
  expect(await overwrite).toEqual({ path: draftPath, wrote: true });
  expect(await readFile(page, draftPath)).toBe(draft);

  // Rendered as Markdown in JupyterLab, the header text is still inert.
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute("docmanager:open", { path: p, factory: "Markdown Preview" });
  }, draftPath);
  const preview = page.locator(".jp-RenderedMarkdown", { hasText: "renders as text" });
  await expect(preview).toBeVisible();
  await expect(preview).toContainText(HOSTILE_TESTED);
  await expect(preview.locator("img, script")).toHaveCount(0);
  expect(await page.evaluate(() => window.__labtrailPwned)).toBeUndefined();
});
