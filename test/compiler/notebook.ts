// A notebook without the kernel: labtrail's cell compiler under tslab's real executor, wired as the
// kernel's CellRunner wires them, so the compiler's tests run each cell for real.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createExecutor } from "tslab/dist/executor";
import { CellCompiler, type CompiledCell } from "../../kernel/src/compiler/cell-compiler";
import type { CellDiagnostic } from "../../kernel/src/compiler/diagnostics";

export type CellRun = { ok: true; value: unknown; output: CompiledCell } | { ok: false; diagnostics: CellDiagnostic[]; thrown?: unknown };

export class Notebook {
  readonly compiler: CellCompiler;
  private readonly executor: ReturnType<typeof createExecutor>;
  private last: { value?: unknown; thrown?: unknown; diagnostics: CellDiagnostic[]; output?: CompiledCell } = { diagnostics: [] };

  constructor(readonly dir: string) {
    this.compiler = new CellCompiler({ dir, providedPackages: { tslab: dirname(require.resolve("tslab/package.json")) } });
    const convert = (_prev: string, source: string) => {
      const output = this.compiler.compile(source);
      this.last.diagnostics = output.diagnostics;
      this.last.output = output;
      return output as never;
    };
    const converter = {
      convert,
      inspect: () => undefined as never,
      complete: () => undefined as never,
      addModule: (name: string, source: string, meta?: { jsx?: boolean }) =>
        this.compiler.addModule(name, source, meta?.jsx === true) as never,
      close: () => this.compiler.close(),
    };
    this.executor = createExecutor(
      dir,
      { node: converter, browser: converter, close: () => this.compiler.close() },
      {
        log: (value: unknown) => {
          this.last.value = value;
        },
        error: (first: unknown, ...rest: unknown[]) => {
          if (!(typeof first === "string" && first.startsWith("%s%d:%d") && rest.length === 4)) this.last.thrown = first;
        },
      },
    );
  }

  /** Runs a cell as JupyterLab would, under its cell id; commits it when it ran. */
  async run(cellId: string, source: string): Promise<CellRun> {
    this.last = { diagnostics: [] };
    const ok = await this.executor.execute(source);
    if (ok) this.compiler.commit(cellId);
    const { value, thrown, diagnostics, output } = this.last;
    return ok ? { ok: true, value, output: output! } : { ok: false, diagnostics, thrown };
  }

  /** Runs cells in order; fails with the cell's diagnostics when one does not run. */
  async runAll(cells: [string, string][]): Promise<CellRun> {
    let run: CellRun = { ok: false, diagnostics: [] };
    for (const [id, source] of cells) {
      run = await this.run(id, source);
      if (!run.ok) return run;
    }
    return run;
  }

  close(): void {
    this.executor.close();
  }
}

/** A fresh folder with these files (paths relative to it). */
export function folderWith(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "labtrail-compiler-"));
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

export const codes = (run: CellRun): number[] => (run.ok ? [] : run.diagnostics.map((d) => d.code));
