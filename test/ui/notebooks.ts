/** Notebooks for the UI tests, uploaded through the contents API into each test's folder. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IJupyterLabPageFixture } from "@jupyterlab/galata";
import { expect } from "@jupyterlab/galata";
import type { NotebookPanel } from "@jupyterlab/notebook";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import type { Page, TestInfo } from "@playwright/test";

declare global {
  interface Window {
    /** Set only if header text or a recorded value ran as script in the page (the XSS checks). */
    __labtrailPwned?: unknown;
  }
}

export interface CellSpec {
  source: string;
  type?: "code" | "markdown";
  /** Pretend the cell has run (an execution count), so Found is required. */
  ran?: boolean;
}

export function notebookJson(cells: (string | CellSpec)[], kernel: "labtrail" | "python3" = "labtrail"): string {
  const kernelspec =
    kernel === "labtrail"
      ? { name: "labtrail", display_name: "TypeScript (labtrail)", language: "typescript" }
      : { name: "python3", display_name: "Python 3 (ipykernel)", language: "python" };
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec },
    cells: cells.map((cell, i) => {
      const spec = typeof cell === "string" ? { source: cell } : cell;
      const id = `cell-${i + 1}`;
      if (spec.type === "markdown") return { cell_type: "markdown", id, metadata: {}, source: spec.source };
      return {
        cell_type: "code",
        id,
        metadata: {},
        execution_count: spec.ran ? i + 1 : null,
        outputs: [],
        source: spec.source,
      };
    }),
  });
}

/** Uploads the notebook and opens it; with `waitForKernel`, returns once its kernel is idle. */
export async function openNotebook(
  page: IJupyterLabPageFixture,
  path: string,
  cells: (string | CellSpec)[],
  options: { kernel?: "labtrail" | "python3"; waitForKernel?: boolean } = {},
): Promise<void> {
  await page.contents.uploadContent(notebookJson(cells, options.kernel), "text", path);
  expect(await page.notebook.openByPath(path)).toBe(true);
  await page.notebook.activate(path.split("/").pop()!);
  if (options.waitForKernel) {
    await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).toHaveCount(1, { timeout: 60_000 });
  }
}

/** A cell's source as the notebook model holds it. */
export function cellSource(page: IJupyterLabPageFixture, index: number): Promise<string> {
  return page.evaluate((i) => {
    const panel = window.jupyterapp.shell.currentWidget as NotebookPanel;
    return panel.content.model!.cells.get(i).sharedModel.getSource();
  }, index);
}

/** A cell's metadata value under `key`. */
export function cellMetadata(page: IJupyterLabPageFixture, index: number, key: string): Promise<unknown> {
  return page.evaluate(([i, k]) => (window.jupyterapp.shell.currentWidget as NotebookPanel).content.model!.cells.get(i).getMetadata(k), [
    index,
    key,
  ] as const);
}

export function runCommand(page: IJupyterLabPageFixture, command: string, args: ReadonlyPartialJSONObject = {}): Promise<unknown> {
  return page.evaluate(([c, a]) => window.jupyterapp.commands.execute(c, a), [command, args] as const);
}

export async function readFile(page: IJupyterLabPageFixture, path: string): Promise<string> {
  return page.evaluate(async (p) => {
    const model = await window.jupyterapp.serviceManager.contents.get(p, { content: true, type: "file", format: "text" });
    return model.content as string;
  }, path);
}

export async function writeFile(page: IJupyterLabPageFixture, path: string, content: string): Promise<void> {
  await page.evaluate(
    async ([p, c]) => {
      await window.jupyterapp.serviceManager.contents.save(p, { type: "file", format: "text", content: c });
    },
    [path, content] as const,
  );
}

const docsScreenshots = path.resolve(__dirname, "..", "..", "docs", "screenshots");

/** A screenshot attached to the test's report; with LABTRAIL_DOCS_SCREENSHOTS=1 also written to docs/screenshots/ for the README. */
export async function screenshot(page: Pick<Page, "screenshot">, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
  if (process.env.LABTRAIL_DOCS_SCREENSHOTS === "1") {
    fs.mkdirSync(docsScreenshots, { recursive: true });
    fs.copyFileSync(file, path.join(docsScreenshots, `${name}.png`));
  }
}
