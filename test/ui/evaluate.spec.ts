/**
 * evaluate() in JupyterLab, against the local model server answering slowly as a real endpoint does:
 * the live progress in the cell while items run, then the variants' summaries side by side with the
 * Vega-Lite bar chart of their score means, rendered by JupyterLab itself. Takes the README's two
 * evaluate() screenshots on the way.
 */
import { expect, test } from "@jupyterlab/galata";
import { ModelServer } from "../support/model-server";
import { openNotebook, screenshot, writeFile } from "./notebooks";

const TITLES: [string, string][] = [
  ["Login button does nothing on Safari 17", "bug"],
  ["Add dark mode to the settings page", "feature"],
  ["Typo in CONTRIBUTING.md", "docs"],
  ["How do I export my data to CSV?", "question"],
  ["Crash when uploading a file over 2 GB", "bug"],
  ["Support SSO with Okta", "feature"],
  ["README install steps are out of date", "docs"],
  ["Is there a rate limit on the API?", "question"],
  ["Sync is slow since the last update", "bug"],
  ["Allow exporting reports as PDF", "feature"],
];
const LABEL_ONLY = "Answer with the label only.";

/** The model: exact labels when told to answer with the label only (but one question read as a bug), chatty otherwise. */
function answer(prompt: string): string {
  const [title, label] = TITLES.find(([t]) => prompt.includes(t)) ?? ["", "bug"];
  if (!prompt.includes(LABEL_ONLY)) return label === "docs" ? "Looks like a documentation issue." : `I'd call this a ${label}.`;
  return title.startsWith("Is there") ? "bug" : label;
}

let server: ModelServer;
test.beforeAll(async () => {
  server = await ModelServer.start({
    reply: (body) => {
      const messages = body.messages as { content: string }[];
      // A real endpoint takes its time: long enough for the progress to be seen mid-run.
      return { content: answer(messages.at(-1)?.content ?? ""), delayMs: 700 };
    },
  });
});
test.afterAll(async () => server?.close());

test.use({ viewport: { width: 1280, height: 800 } });

const CELL = `// Tested: the constrained prompt labels issue titles better than the bare one
// Expect: constrained ≥ 90% exact, bare rarely exact
const titles = ${JSON.stringify(
  TITLES.map(([title, label]) => ({ title, label })),
  null,
  0,
)};
const cmp = await evaluate("prompt variants", {
  data: titles,
  variants: {
    bare: (t) => ask(t.title),
    constrained: (t) => ask(\`Label this issue title as bug, feature, docs or question. ${LABEL_ONLY}\\n\\nTitle: \${t.title}\`),
  },
  scores: {
    exact: (output, t) => output.trim() === t.label,
    mentions: includes((t) => t.label, { ignoreCase: true }),
  },
  concurrency: 2,
});`;

test("evaluate(): live progress while items run, then the variants side by side with a chart of their score means", async ({
  page,
  tmpPath,
}, testInfo) => {
  const config = { models: { default: "fast", aliases: { fast: { model: "gpt-4o-mini", baseURL: server.url, apiKeyEnv: null } } } };
  await writeFile(page, `${tmpPath}/labtrail.config.json`, JSON.stringify(config));
  await openNotebook(page, `${tmpPath}/labels.ipynb`, [CELL], { waitForKernel: true });
  await page.notebook.selectCells(0);
  // Not awaited: the command settles only once the cell has run.
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute("notebook:run-cell");
  });

  const output = page.locator(".jp-Notebook .jp-CodeCell").nth(0).locator(".jp-OutputArea");
  const progress = output.locator(".labtrail-evaluate-progress");
  // Mid-run: items done of the total, the elapsed time, tokens and calls so far.
  await expect(progress.first()).toContainText(/evaluate "prompt variants[^"]*": [1-9]\d*\/\d+ done/, { timeout: 60_000 });
  await expect(progress.first()).not.toContainText("finished");
  await screenshot(page, testInfo, "evaluate-progress");

  const comparison = output.locator(".labtrail-evaluate-comparison");
  await expect(comparison).toContainText("2 variants", { timeout: 60_000 });
  await expect(progress.first()).toContainText("finished");
  // JupyterLab's own Vega-Lite renderer draws the chart the kernel sent.
  const chart = output.locator(".vega-embed");
  await expect(chart).toBeVisible();
  await expect(chart.locator("svg, canvas").first()).toBeVisible();
  // Each variant's items went to the endpoint once.
  expect(server.chatRequests()).toHaveLength(2 * TITLES.length);
  await comparison.scrollIntoViewIfNeeded();
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "evaluate-comparison");
});
