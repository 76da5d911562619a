// Routes everything a cell prints to the execution that caused it, using async context: output from
// a timer started by cell 3 stays with cell 3 (tslab sends it to whichever cell runs next), and output
// with no cell behind it — the kernel's own — goes to the kernel's log instead of into a user's cell.
import { AsyncLocalStorage } from "node:async_hooks";
import { StringDecoder } from "node:string_decoder";
import type { ExecutionScope } from "./execution-scope";
import type { OutputSink, StreamName } from "./output-sink";

type Write = typeof process.stdout.write;

export class OutputRouter {
  private readonly context = new AsyncLocalStorage<ExecutionScope>();
  private readonly originalStdout: Write;
  private readonly originalStderr: Write;

  constructor() {
    this.originalStdout = process.stdout.write.bind(process.stdout);
    this.originalStderr = process.stderr.write.bind(process.stderr);
    process.stdout.write = this.interceptor("stdout", this.originalStdout);
    process.stderr.write = this.interceptor("stderr", this.originalStderr);
  }

  /** A rich output from the display API (tslab's display hook), to the running cell's output. */
  display(...[data, update]: Parameters<OutputSink["display"]>): void {
    const sink = this.current();
    if (!sink) throw new Error("display() was called outside of a cell");
    sink.display(data, update);
  }

  /** Runs `fn` so that everything it (and whatever it schedules) prints goes to the scope's sink. */
  run<T>(scope: ExecutionScope, fn: () => T): T {
    return this.context.run(scope, fn);
  }

  /** The execution the running code belongs to. */
  currentScope(): ExecutionScope | undefined {
    return this.context.getStore();
  }

  current(): OutputSink | undefined {
    return this.context.getStore()?.sink;
  }

  /** The kernel's own log: the process's real stderr, which Jupyter keeps in its server log. */
  log(text: string): void {
    this.originalStderr(`[labtrail] ${text}\n`);
  }

  private interceptor(name: StreamName, original: Write): Write {
    const decoder = new StringDecoder("utf8");
    const router = this;
    return function write(this: unknown, chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
      const sink = router.current();
      if (!sink) return (original as (...args: unknown[]) => boolean)(chunk, encodingOrCallback, callback);
      const text = typeof chunk === "string" ? chunk : decoder.write(Buffer.from(chunk as Uint8Array));
      sink.write(name, text);
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    } as Write;
  }
}
