// The cell runner, made when the kernel warms up rather than at start. Loading TypeScript and building
// the compiler's first program (the helpers' import compiled) takes about a second, and the
// kernel_info_reply — what JupyterLab waits for before it shows a new notebook's kernel as ready —
// should not wait for it. The warm-up starts once the kernel has had no request for a moment after its
// sockets are up (a frontend's connection handshake is over by then), or at the first request that
// needs the runner, whichever comes first; such requests wait for it. The main thread is busy during
// the warm-up, so a request arriving then is answered after it, as before.
import type { CellRunner, Completion, RunOutcome } from "./cell-runner";
import type { ErrorReport } from "./error-report";
import type { ExecutionScope } from "./execution-scope";

/** No request for this long after start: the warm-up begins. */
export const WARM_UP_AFTER_IDLE_MS = 1000;

export interface DeferredRunnerSettings {
  /** Makes the runner (requires the modules that load TypeScript). */
  create(): CellRunner;
  /** What the warm-up does with the new runner (compile the helpers' import, log the compiler's settings). */
  warmUp(runner: CellRunner): Promise<void>;
}

export class DeferredRunner {
  private runner: CellRunner | null = null;
  private warm: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private idleArmed = false;

  constructor(private readonly settings: DeferredRunnerSettings) {}

  /** Settles once the runner exists and is warm; starts the warm-up if it has not started. */
  ready(): Promise<void> {
    this.warm ??= Promise.resolve().then(() => {
      this.cancelIdle();
      return this.settings.warmUp(this.get());
    });
    return this.warm;
  }

  /** From now on, WARM_UP_AFTER_IDLE_MS without a request starts the warm-up. */
  warmUpWhenIdle(): void {
    this.idleArmed = true;
    this.poke();
  }

  /** A request arrived: the idle wait starts again. */
  poke(): void {
    if (!this.idleArmed || this.warm) return;
    this.cancelIdle();
    this.idleTimer = setTimeout(() => void this.ready(), WARM_UP_AFTER_IDLE_MS);
  }

  get exitRequested(): number | null {
    return this.runner?.exitRequested ?? null;
  }

  async run(name: string, source: string, scope: ExecutionScope, cellId?: string | null): Promise<RunOutcome> {
    await this.ready();
    return this.get().run(name, source, scope, cellId);
  }

  async complete(source: string, position: number): Promise<Completion> {
    await this.ready();
    return this.get().complete(source, position);
  }

  async inspect(source: string, position: number): Promise<string | undefined> {
    await this.ready();
    return this.get().inspect(source, position);
  }

  /** Before the runner exists no cell has run, so there is nothing to forget. */
  forget(cellIds: readonly string[]): void {
    this.runner?.forget(cellIds);
  }

  interrupt(): void {
    this.runner?.interrupt();
  }

  /** An error thrown outside any cell; before the runner exists, it cannot come from a cell. */
  describe(error: unknown): ErrorReport {
    if (this.runner) return this.runner.describe(error);
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    return {
      ename: error instanceof Error ? error.name : "Error",
      evalue: error instanceof Error ? error.message : text,
      traceback: [text],
    };
  }

  close(): void {
    this.cancelIdle();
    this.runner?.close();
  }

  private get(): CellRunner {
    this.runner ??= this.settings.create();
    return this.runner;
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
