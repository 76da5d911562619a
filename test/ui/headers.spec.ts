/**
 * Header markers, the status bar count and Insert Experiment Header, in a real JupyterLab with the
 * labtrail kernel and the built extension.
 */
import { expect, galata, test } from "@jupyterlab/galata";
import { cellSource, openNotebook } from "./notebooks";

const BADGE = ".lt-HeaderMarker-badge";
const STATUS = ".lt-UndocumentedStatus";
const cells = (page: import("@playwright/test").Page) => page.locator(".jp-Notebook .jp-CodeCell");

test("markers appear and disappear as you type; the status bar counts and moves to the next one", async ({ page, tmpPath }, testInfo) => {
  await openNotebook(page, `${tmpPath}/markers.ipynb`, [
    "// Tested: a documented cell\n1 + 1",
    "const undocumented = 2;",
    { source: "// Tested: ran without a finding\n// Found:\n3", ran: true },
    "// Tested: documented too\n4",
  ]);
  await expect(cells(page).nth(1).locator(BADGE)).toHaveText("needs Tested");
  await expect(cells(page).nth(2).locator(BADGE)).toHaveText("Found empty");
  await expect(cells(page).nth(0).locator(BADGE)).toHaveCount(0);
  await expect(cells(page).nth(3).locator(BADGE)).toHaveCount(0);
  await expect(page.locator(STATUS)).toHaveText("2 cells undocumented");
  await page.screenshot({ path: testInfo.outputPath("header-markers.png") });
  await testInfo.attach("header-markers", { path: testInfo.outputPath("header-markers.png"), contentType: "image/png" });

  // Typing a header removes the marker (after the debounce); breaking it brings the marker back.
  await page.notebook.enterCellEditingMode(1);
  await page.keyboard.press("Control+Home");
  await page.keyboard.type("// Tested: typed in the browser\n");
  await expect(cells(page).nth(1).locator(BADGE)).toHaveCount(0);
  await expect(page.locator(STATUS)).toHaveText("1 cell undocumented");
  await page.keyboard.press("Control+Home");
  await page.keyboard.type("let first = 0;\n");
  await expect(cells(page).nth(1).locator(BADGE)).toHaveText("needs Tested");
  await expect(cells(page).nth(1).locator(".lt-HeaderMarker-line")).toHaveAttribute("title", /header must be at the very top/);
  await expect(page.locator(STATUS)).toHaveText("2 cells undocumented");

  // A click on the status item walks the undocumented cells: 1 → 2 → back to 1.
  await page.keyboard.press("Escape");
  await page.notebook.selectCells(0);
  await page.locator(STATUS).click();
  await expect(cells(page).nth(1)).toHaveClass(/jp-mod-active/);
  await page.locator(STATUS).click();
  await expect(cells(page).nth(2)).toHaveClass(/jp-mod-active/);
  await page.locator(STATUS).click();
  await expect(cells(page).nth(1)).toHaveClass(/jp-mod-active/);

  // The count is the notebook's: it leaves the status bar while the Launcher is in front.
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute("launcher:create");
  });
  await expect(page.locator(STATUS)).toBeHidden();
  await page.notebook.activate("markers.ipynb");
  await expect(page.locator(STATUS)).toHaveText("2 cells undocumented");
});

test("Insert Experiment Header: shortcut and cell context menu put the template at the top", async ({ page, tmpPath }) => {
  await openNotebook(page, `${tmpPath}/insert.ipynb`, ["const a = 1;", "%%ask\nSay hi"]);

  await page.notebook.selectCells(0);
  await page.keyboard.press("Control+Alt+h");
  // Typing before the template is in (a busy machine) would type elsewhere.
  await expect.poll(() => cellSource(page, 0)).toMatch(/^\/\/ Tested: <what this cell tries>\n/);
  // The cursor sits after "Tested: " with the placeholder selected: typing replaces it.
  await page.keyboard.type("the insert command works");
  await expect
    .poll(() => cellSource(page, 0))
    .toBe(
      "// Tested: the insert command works\n// Expect: <the result that would support it>\n// Found: <what the run showed>\nconst a = 1;",
    );
  await expect(cells(page).nth(0).locator(BADGE)).toHaveCount(0);

  await page.keyboard.press("Escape");
  await cells(page).nth(1).locator(".jp-InputArea-editor").click({ button: "right" });
  await page.locator(".lm-Menu-item", { hasText: "Insert Experiment Header" }).click();
  await expect
    .poll(() => cellSource(page, 1))
    .toMatch(/^\/\/ Tested: <what this cell tries>\n\/\/ Expect: .*\n\/\/ Found: .*\n%%ask\nSay hi$/);

  // In the palette and the Edit menu too.
  await page.keyboard.press("Escape");
  await page.locator(".lm-MenuBar-item", { hasText: "Edit" }).click();
  await expect(page.locator(".lm-Menu-item", { hasText: "Insert Experiment Header" })).toBeVisible();
  await page.keyboard.press("Escape");
});

test("notebooks on other kernels are left alone", async ({ page, tmpPath }) => {
  await openNotebook(page, `${tmpPath}/python.ipynb`, ["x = 1"], { kernel: "python3" });
  await expect(cells(page)).toHaveCount(1);
  // Give the debounced marker time to have appeared, were it going to.
  await page.waitForTimeout(800);
  await expect(page.locator(BADGE)).toHaveCount(0);
  await expect(page.locator(STATUS)).toBeHidden();
});

test.describe("with the setting that applies labtrail to every notebook", () => {
  test.use({
    mockSettings: { ...galata.DEFAULT_SETTINGS, "labtrail-jupyterlab:settings": { allNotebooks: true } },
  });

  test("other kernels get markers too", async ({ page, tmpPath }) => {
    await openNotebook(page, `${tmpPath}/python-all.ipynb`, ["x = 1"], { kernel: "python3" });
    await expect(cells(page).nth(0).locator(BADGE)).toHaveText("needs Tested");
    await expect(page.locator(STATUS)).toHaveText("1 cell undocumented");
  });
});

test.describe("windowed notebook", () => {
  // 'full' windowing detaches off-screen cells: markers must be there when a cell scrolls into view.
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      "@jupyterlab/notebook-extension:tracker": {
        ...galata.DEFAULT_SETTINGS["@jupyterlab/notebook-extension:tracker"],
        windowingMode: "full",
      },
    },
  });

  test("cells that scroll into view carry their markers, and the count covers them all", async ({ page, tmpPath }) => {
    const sources = Array.from({ length: 80 }, (_, i) =>
      i % 2 === 0 ? `// Tested: cell ${i}\nconst x${i} = ${i};` : `const y${i} = ${i};`,
    );
    await openNotebook(page, `${tmpPath}/big.ipynb`, sources);
    await expect(page.locator(STATUS)).toHaveText("40 cells undocumented");
    // Windowing is active: not every cell is in the DOM.
    await expect.poll(() => cells(page).count()).toBeLessThan(80);
    const last = await page.notebook.getCellLocator(79);
    await expect(last!.locator(BADGE)).toHaveText("needs Tested");
    const documented = await page.notebook.getCellLocator(78);
    await expect(documented!.locator(BADGE)).toHaveCount(0);
  });
});
