/**
 * labtrail's settings in JupyterLab's Settings Editor: the required header fields are a labelled group
 * of checkboxes and the header template a multi-line box, and what is entered there becomes the setting.
 */
import { expect, test } from "@jupyterlab/galata";

const SETTINGS_PLUGIN_ID = "labtrail-jupyterlab:settings";

async function composite(page: import("@playwright/test").Page, key: string): Promise<unknown> {
  return page.evaluate(
    async ([plugin, k]) => {
      const settings = await window.galata.getPlugin("@jupyterlab/apputils-extension:settings");
      return (await settings!.get(plugin, k)).composite;
    },
    [SETTINGS_PLUGIN_ID, key],
  );
}

test("the Settings Editor labels the required fields and edits the header template in a multi-line box", async ({ page }, testInfo) => {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute("settingeditor:open", { query: "labtrail" });
  });
  const form = page.locator(".jp-SettingsForm", { hasText: "Header enforcement" });
  await expect(form).toBeVisible();

  const required = form.getByRole("group", { name: "Required header fields" });
  await expect(required.getByRole("checkbox")).toHaveCount(8);
  await required.getByRole("checkbox", { name: "Expect" }).check();
  await required.getByRole("checkbox", { name: "Tested" }).check();
  // Stored in the keys' canonical order, whatever the order of the clicks.
  await expect.poll(() => composite(page, "requiredFields")).toEqual(["tested", "expect"]);

  const template = form.getByRole("textbox", { name: "Header template" });
  await expect(template).toHaveValue(/^\/\/ Tested: <what this cell tries>\n\/\/ Expect: /);
  expect(Number(await template.getAttribute("rows"))).toBeGreaterThanOrEqual(4);
  await template.fill("// Tested: \n// Found: \n");
  await expect.poll(() => composite(page, "headerTemplate")).toBe("// Tested: \n// Found: \n");
  await page.screenshot({ path: testInfo.outputPath("settings.png") });

  // Back to the defaults, so no later test runs with these.
  await page.evaluate(async (plugin) => {
    const settings = await window.galata.getPlugin("@jupyterlab/apputils-extension:settings");
    await settings!.remove(plugin, "requiredFields");
    await settings!.remove(plugin, "headerTemplate");
  }, SETTINGS_PLUGIN_ID);
  expect(await composite(page, "requiredFields")).toEqual([]);
});
