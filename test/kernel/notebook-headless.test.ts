// Whole notebooks executed headlessly by nbclient (jupyter nbconvert --execute), the way CI and
// papermill-style tools run them.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeKernelspec } from "../support/kernel-client";
import { repoRoot, requireSetup, venvBin } from "../support/paths";

/** nbformat allows multiline strings as lists of lines. */
const text = (value: string | string[]) => (Array.isArray(value) ? value.join("") : value);

function executeNotebook(path: string, extra: string[] = []) {
  const jupyterPath = writeKernelspec();
  const result = spawnSync(
    join(venvBin, "jupyter"),
    [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=labtrail-test",
      "--output",
      "executed.ipynb",
      ...extra,
      path,
    ],
    { encoding: "utf8", env: { ...process.env, JUPYTER_PATH: jupyterPath }, timeout: 120_000 },
  );
  return { result, executed: () => JSON.parse(readFileSync(join(path, "..", "executed.ipynb"), "utf8")) };
}

beforeAll(() => requireSetup());

test("the welcome example runs end to end with its header, output and value", () => {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-headless-"));
  const path = join(dir, "welcome.ipynb");
  copyFileSync(join(repoRoot, "examples", "welcome.ipynb"), path);
  const { result, executed } = executeNotebook(path);
  expect(result.stderr).not.toMatch(/Traceback|CellExecutionError/);
  expect(result.status).toBe(0);
  const code = executed().cells.find((c: { cell_type: string }) => c.cell_type === "code");
  expect(code.execution_count).toBe(1);
  const stream = code.outputs.find((o: { output_type: string }) => o.output_type === "stream");
  expect(text(stream.text)).toMatch(/^Hello from Node v\d+/);
  const value = code.outputs.find((o: { output_type: string }) => o.output_type === "execute_result");
  expect(Number(text(value.data["text/plain"]))).toBe(text(stream.text).trimEnd().length);
});

test("a failing cell stops the run with the cell's error; --allow-errors runs the rest", () => {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-headless-"));
  const path = join(dir, "failing.ipynb");
  const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
  writeFileSync(
    path,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "labtrail-test", display_name: "TypeScript (labtrail test)", language: "typescript" } },
      cells: [
        cell("a", "// Tested: a value\nconst rate: number = 0.5;\nrate"),
        cell("b", '// Tested: a failure\nthrow new Error("expected failure")'),
        cell("c", "// Tested: runs after the failure\nrate * 2"),
      ],
    }),
  );
  const stopped = executeNotebook(path);
  expect(stopped.result.status).not.toBe(0);
  expect(stopped.result.stderr).toContain("expected failure");

  const allowed = executeNotebook(path, ["--allow-errors"]);
  expect(allowed.result.status).toBe(0);
  const [a, b, c] = allowed.executed().cells;
  expect(text(a.outputs[0].data["text/plain"])).toBe("0.5");
  expect(b.outputs[0]).toMatchObject({ output_type: "error", ename: "Error", evalue: "expected failure" });
  expect(text(c.outputs[0].data["text/plain"])).toBe("1");
});
