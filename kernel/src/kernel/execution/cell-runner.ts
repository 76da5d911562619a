// Runs cells: labtrail's cell compiler type-checks and emits them, tslab's executor runs them; what
// the executor reports through its console (the last value, diagnostics, thrown values) becomes
// structured results for the protocol layer.
import { dirname } from "node:path";
import { CellCompiler, type CompiledCell } from "../../compiler/cell-compiler";
import type { CellCompletion } from "../../compiler/completions";
import type { CellDiagnostic } from "../../compiler/diagnostics";
import { CompiledCells, diagnosticsReport, thrownReport, type ErrorReport } from "./error-report";
import type { OutputRouter } from "./output-router";
import type { ExecutionScope } from "./execution-scope";
import { CellExit, exitCodeOf } from "./process-exit";
import { createExecutor, routeCellRequire, setDisplayHook, type Converter, type ConverterSet, type Executor } from "./tslab";
import { tslabDir } from "./tslab-package";
import { fromKernel, packagesTheProjectLacks } from "./kernel-packages";

/** How tslab's executor wraps generated code (tslab/dist/executor.js): needed to map columns on line 1. */
const ASYNC_WRAPPER = "(async function(exports, require) { ";
const SYNC_WRAPPER = "(function(exports, require) { ";

export type RunOutcome = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: ErrorReport };

interface ActiveRun {
  name: string;
  /** The cell's key for the compiler: its JupyterLab cell id, or the run's name without one. */
  key: string;
  scope: ExecutionScope;
  source: string;
  diagnostics: CellDiagnostic[];
  reportedDiagnostics: boolean;
  thrown?: { value: unknown };
  value?: { value: unknown };
}

export type Completion = CellCompletion;

export class CellRunner {
  private readonly compiled = new CompiledCells();
  readonly compiler: CellCompiler;
  private readonly converters: ConverterSet;
  private readonly executor: Executor;
  /** labtrail's own compiled code (kernel, models, api …) and tslab's: frames there are internals. */
  private readonly internalDirs = [dirname(dirname(__dirname)), tslabDir];
  private active: ActiveRun | null = null;
  /** Packages cells import from labtrail's own copy, the notebook's project having none (kernel-packages.ts). */
  readonly kernelPackages: Record<string, string>;
  /** The code a cell passed to process.exit(): the kernel exits with it once that cell has replied. */
  exitRequested: number | null = null;

  constructor(
    private readonly router: OutputRouter,
    cwd: string,
  ) {
    setDisplayHook((data, update) => router.display(data, update));
    this.kernelPackages = packagesTheProjectLacks(cwd);
    this.compiler = new CellCompiler({ dir: cwd, providedPackages: { ...this.kernelPackages, tslab: tslabDir } });
    const converter = this.converter();
    // Browser-mode cells (`@browser`) are not run by tslab's executor; they are checked as the others.
    this.converters = { node: converter, browser: converter, close: () => this.compiler.close() };
    this.executor = createExecutor(cwd, this.converters, {
      log: (value: unknown) => {
        if (this.active) this.active.value = { value };
      },
      error: (first: unknown, ...rest: unknown[]) => this.onError(first, rest),
    });
    const lacking = Object.keys(this.kernelPackages);
    if (lacking.length > 0) routeCellRequire(fromKernel(lacking));
    this.interceptExit();
  }

  /**
   * Compiles and runs one cell; everything it prints goes to the scope's sink. `cellId` is the cell's
   * JupyterLab id: a rerun of it replaces what it declared before.
   */
  async run(name: string, source: string, scope: ExecutionScope, cellId?: string | null): Promise<RunOutcome> {
    const run: ActiveRun = { name, key: cellId ?? name, scope, source, diagnostics: [], reportedDiagnostics: false };
    const sink = scope.sink;
    this.active = run;
    let ok: boolean;
    try {
      ok = await this.router.run(scope, () => this.executor.execute(source));
    } catch (e) {
      run.thrown ??= { value: e };
      ok = false;
    } finally {
      this.active = null;
    }
    if (run.thrown?.value instanceof CellExit) return { ok: true, hasValue: false };
    // Later cells see what this one declared only once it ran (as they did with tslab).
    if (ok) this.compiler.commit(run.key);
    if (ok) {
      // @module cells register even when they have errors: show those as a warning, not a failure.
      if (run.reportedDiagnostics && run.diagnostics.length > 0) {
        sink.write("stderr", `${diagnosticsReport(name, source, run.diagnostics).traceback.join("\n")}\n`);
      }
      return run.value ? { ok: true, hasValue: true, value: run.value.value } : { ok: true, hasValue: false };
    }
    if (run.thrown) return { ok: false, error: thrownReport(run.thrown.value, this.compiled, this.internalDirs) };
    if (run.diagnostics.length > 0) return { ok: false, error: diagnosticsReport(name, source, run.diagnostics) };
    return { ok: false, error: { ename: "Error", evalue: "the cell failed", traceback: ["Error: the cell failed"] } };
  }

  /** An error thrown outside any cell's execution (a timer callback, say), with cell-relative frames. */
  describe(error: unknown): ErrorReport {
    return thrownReport(error, this.compiled, this.internalDirs);
  }

  /**
   * Stops the running cell: tslab rejects a pending await; a busy loop is stopped by SIGINT itself;
   * the cell's in-flight model requests are aborted.
   */
  interrupt(): void {
    this.active?.scope.interrupt();
    this.executor.interrupt();
  }

  /** The cells deleted in the notebook: later cells no longer see what they declared. */
  forget(cellIds: readonly string[]): void {
    this.compiler.drop(cellIds);
  }

  complete(source: string, position: number): Completion {
    return this.compiler.complete(source, position);
  }

  inspect(source: string, position: number): string | undefined {
    return this.compiler.inspect(source, position);
  }

  close(): void {
    this.executor.close();
  }

  /** process.exit() stops a running cell instead of the process (see process-exit.ts). */
  private interceptExit(): void {
    const exit = process.exit.bind(process);
    process.exit = ((code?: unknown) => {
      const scope = this.router.currentScope();
      // The kernel's own exits, and a callback whose cell has already replied, exit as they always did.
      if (!scope || scope.sink.finished) return exit(code as number | undefined);
      const exitCode = exitCodeOf(code);
      this.exitRequested ??= exitCode;
      scope.warn(`process.exit(${exitCode}): the kernel exits with code ${exitCode} once this cell has replied`);
      throw new CellExit(exitCode);
    }) as typeof process.exit;
  }

  private onError(first: unknown, rest: unknown[]): void {
    const run = this.active;
    if (!run) return;
    // tslab prints each TypeScript diagnostic as ("%s%d:%d - %s", file, line, col, message); the
    // structured diagnostics (with their TS codes) were captured from the converter instead.
    if (typeof first === "string" && first.startsWith("%s%d:%d") && rest.length === 4) {
      run.reportedDiagnostics = true;
      return;
    }
    run.thrown ??= { value: first };
  }

  /**
   * tslab's executor calls its converter with the declarations it kept from earlier cells (`prevDecl`);
   * the compiler keeps those itself (its files per cell), so that argument is ignored.
   */
  private converter(): Converter {
    return {
      convert: (_prevDecl, source) => {
        const result: CompiledCell = this.compiler.compile(source);
        const run = this.active;
        if (!run) return result;
        run.diagnostics = result.diagnostics;
        if (result.output) {
          // A sourceURL names the script in stack traces, so a function defined in cell 3 and
          // called from cell 5 still points into cell 3.
          result.output += `\n//# sourceURL=${run.name}`;
          const wrapper = result.hasToplevelAwait ? ASYNC_WRAPPER : SYNC_WRAPPER;
          this.compiled.add({ name: run.name, source, generated: result.output, firstLinePrefix: wrapper.length });
        }
        return result;
      },
      inspect: (_prevDecl, source, position) => this.compiler.inspect(source, position),
      complete: (_prevDecl, source, position) => this.compiler.complete(source, position),
      addModule: (name, source, pragmas) => this.compiler.addModule(name, source, pragmas?.jsx === true),
      close: () => this.compiler.close(),
    };
  }
}
