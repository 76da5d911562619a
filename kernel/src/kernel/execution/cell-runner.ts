// Runs cells with tslab's converter and executor, and turns what tslab reports through its console
// (the last value, TypeScript diagnostics, thrown values) into structured results for the protocol layer.
import { dirname } from "node:path";
import { CompiledCells, diagnosticsReport, thrownReport, type ErrorReport } from "./error-report";
import type { OutputRouter } from "./output-router";
import type { ExecutionScope } from "./execution-scope";
import { CellExit, exitCodeOf } from "./process-exit";
import {
  createConverter,
  createExecutor,
  printQuickInfo,
  tslabDir,
  type Converter,
  type ConverterSet,
  type Diagnostic,
  type Executor,
} from "./tslab";

/** How tslab's executor wraps generated code (tslab/dist/executor.js): needed to map columns on line 1. */
const ASYNC_WRAPPER = "(async function(exports, require) { ";
const SYNC_WRAPPER = "(function(exports, require) { ";

export type RunOutcome = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: ErrorReport };

interface ActiveRun {
  name: string;
  scope: ExecutionScope;
  source: string;
  diagnostics: Diagnostic[];
  reportedDiagnostics: boolean;
  thrown?: { value: unknown };
  value?: { value: unknown };
}

export interface Completion {
  start: number;
  end: number;
  candidates: string[];
}

export class CellRunner {
  private readonly compiled = new CompiledCells();
  private readonly converters: ConverterSet;
  private readonly executor: Executor;
  /** labtrail's own compiled code (kernel, models, api …) and tslab's: frames there are internals. */
  private readonly internalDirs = [dirname(dirname(__dirname)), tslabDir];
  private active: ActiveRun | null = null;
  /** The code a cell passed to process.exit(): the kernel exits with it once that cell has replied. */
  exitRequested: number | null = null;

  constructor(
    private readonly router: OutputRouter,
    cwd: string,
  ) {
    const node = this.instrument(() => createConverter({ isJS: false, isBrowser: false }));
    let browser: Converter | undefined;
    const instrument = (create: () => Converter) => this.instrument(create);
    this.converters = {
      node,
      get browser() {
        browser ??= instrument(() => createConverter({ isJS: false, isBrowser: true }));
        return browser;
      },
      close() {
        node.close();
        browser?.close();
      },
    };
    this.executor = createExecutor(cwd, this.converters, {
      log: (value: unknown) => {
        if (this.active) this.active.value = { value };
      },
      error: (first: unknown, ...rest: unknown[]) => this.onError(first, rest),
    });
    this.interceptExit();
  }

  /** Compiles and runs one cell; everything it prints goes to the scope's sink. */
  async run(name: string, source: string, scope: ExecutionScope): Promise<RunOutcome> {
    const run: ActiveRun = { name, scope, source, diagnostics: [], reportedDiagnostics: false };
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

  complete(source: string, position: number): Completion {
    const info = this.executor.complete(source, position);
    return { start: info.start, end: info.end, candidates: info.candidates };
  }

  inspect(source: string, position: number): string | undefined {
    const info = this.executor.inspect(source, position);
    return info ? printQuickInfo(info) : undefined;
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
   * Wraps a converter to keep each cell's diagnostics and generated code, and to name its script.
   * A source nested deeply enough to overflow the compiler's stack leaves tslab's converter broken for
   * good (its rebuild timer stays pending), so that converter is replaced by a fresh one: declarations
   * survive, as the executor passes them in with every cell, and @module cells are added again.
   */
  private instrument(create: () => Converter): Converter {
    let converter = create();
    const modules: Parameters<Converter["addModule"]>[] = [];
    return {
      convert: (prevDecl, source) => {
        let result: ReturnType<Converter["convert"]>;
        try {
          result = converter.convert(prevDecl, source);
        } catch (e) {
          if (!isStackOverflow(e)) throw e;
          const broken = converter;
          converter = create();
          for (const module of modules) converter.addModule(...module);
          try {
            broken.close();
          } catch {
            // A converter that overflowed may not close cleanly; it is dropped either way.
          }
          throw new RangeError("the cell is nested too deeply for the TypeScript compiler (maximum call stack size exceeded)");
        }
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
      inspect: (prevDecl, src, position) => converter.inspect(prevDecl, src, position),
      complete: (prevDecl, src, position) => converter.complete(prevDecl, src, position),
      addModule: (...module) => {
        modules.push(module);
        return converter.addModule(...module);
      },
      close: () => converter.close(),
    };
  }
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
