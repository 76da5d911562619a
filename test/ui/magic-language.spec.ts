/** A `%%ask` cell's prompt is edited as Markdown; the cell is TypeScript again once the magic goes. */
import { expect, test } from "@jupyterlab/galata";
import type { NotebookPanel } from "@jupyterlab/notebook";
import { openNotebook } from "./notebooks";

/** Each cell's editor mimetype, with the notebook's own (the kernel's language) written as "code". */
function cellMimeTypes(page: import("@jupyterlab/galata").IJupyterLabPageFixture): Promise<string[]> {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
    return panel.content.widgets.map((cell) => (cell.model.mimeType === panel.content.codeMimetype ? "code" : cell.model.mimeType));
  });
}

test("a %%ask cell is highlighted as the Markdown prompt it holds, and as TypeScript once the magic goes", async ({ page, tmpPath }) => {
  await openNotebook(
    page,
    `${tmpPath}/ask-language.ipynb`,
    ["// Tested: a prompt\n%%ask fast --as answer\nSummarize **this** in `one` line.\n# Head", "// Tested: code\nconst x = 2; // **this**"],
    { waitForKernel: true },
  );
  await expect.poll(() => cellMimeTypes(page)).toEqual(["text/x-markdown", "code"]);
  const boldIn = (index: number) =>
    page
      .locator(".jp-CodeCell")
      .nth(index)
      .locator(".cm-content span")
      .evaluateAll((spans) => spans.filter((span) => Number(getComputedStyle(span).fontWeight) >= 600).map((span) => span.textContent));
  // Markdown draws `**this**` strong and `# Head` as a heading; as TypeScript neither is bold.
  await expect.poll(() => boldIn(0)).toEqual(expect.arrayContaining(["this", "#"]));
  expect(await boldIn(1)).not.toContain("this");

  await page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
    panel.content.model!.cells.get(0).sharedModel.setSource("// Tested: now code\nconst y = 2;");
    panel.content.model!.cells.get(1).sharedModel.setSource("%%ask\nA **this** now.");
  });
  await expect.poll(() => cellMimeTypes(page)).toEqual(["code", "text/x-markdown"]);
  await expect.poll(() => boldIn(1)).toContain("this");
  await expect.poll(() => boldIn(0)).not.toContain("this");
});
