/**
 * A minimal Jupyter client in Node: starts a fresh labtrail kernel as a child process and drives it
 * over ZeroMQ (shell and control as DEALER sockets, iopub as SUB), the way jupyter_client does.
 *
 *   const kernel = await KernelProcess.start({ cwd });
 *   const { reply, outputs } = await kernel.execute('console.log("hi")', { cellId: "c1" });
 *   await kernel.shutdown();
 *
 * Executions run one at a time in the order they are asked for (the kernel queues them); each ends
 * when both its shell reply and its iopub `idle` have arrived. If the kernel process exits on its own,
 * every pending call is rejected with a KernelExitedError that quotes the end of the kernel's log.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zmq from "zeromq";
import { createMessage, replyType } from "../wire/messages";
import { decodeMessage, encodeMessage, type JupyterMessage } from "../wire/wire";
import { DisplayRegistry, OutputCollector, type NbOutput } from "./outputs";
import { freePorts } from "./ports";

export interface KernelStartOptions {
  /** The kernel's working directory (the notebook's folder). */
  cwd: string;
  /** The kernel's environment; `process.env` when left out. */
  env?: NodeJS.ProcessEnv;
  /** The kernel entry point; the one built beside this client by default. */
  kernelMain?: string;
  /** How long the kernel may take to answer its first kernel_info_request (default 60 s). */
  startTimeoutMs?: number;
}

export interface ExecuteOptions {
  /** Sent as the request's metadata `cellId`. */
  cellId?: string;
  /**
   * After the cell has run this long (from its execute_input) it is interrupted (interrupt_request on
   * control) and reported as timed out; a cell the kernel has not started by then plus the grace fails.
   */
  timeoutMs?: number;
  /** How long an interrupted cell may take to stop before the kernel is given up (default 10 s). */
  interruptGraceMs?: number;
}

export interface ExecuteResult {
  /** The execute_reply's content (status, execution_count, ename/evalue/traceback, …). */
  reply: Record<string, unknown>;
  /** The execute_reply's metadata (labtrail's verdict lives under `labtrail.verdict`). */
  replyMetadata: Record<string, unknown>;
  /** nbformat 4 outputs, in order. */
  outputs: NbOutput[];
  executionCount: number | null;
  /** When the kernel started the cell (its execute_input) and sent the reply, by the kernel's clock. */
  startedAt: Date;
  finishedAt: Date;
  /**
   * How long the cell ran, from its execute_input (the send, when none came) to its execute_reply, on
   * this client's monotonic clock: the span and clock `timeoutMs` counts, so a timed-out cell's runMs is
   * never below the timeout (the kernel's dates above are another clock).
   */
  runMs: number;
  /** True when the cell ran past `timeoutMs` and was interrupted. */
  timedOut: boolean;
}

/** The kernel process ended while something was waiting on it. */
export class KernelExitedError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
    this.name = "KernelExitedError";
  }
}

/** An interrupted cell did not stop: the kernel cannot run anything else. */
export class KernelStuckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelStuckError";
  }
}

/** The kernel beside this client: dist/client/kernel-process.js → dist/kernel/main.js. */
export function defaultKernelMain(): string {
  return path.join(__dirname, "..", "kernel", "main.js");
}

interface PendingExecute {
  collector: OutputCollector;
  sentAt: Date;
  /** performance.now() when the run began: the send, then the execute_input's arrival. */
  runStart: number;
  executeInput?: string;
  reply?: JupyterMessage;
  replyAt?: Date;
  /** performance.now() when the execute_reply arrived. */
  replyClock?: number;
  idle: boolean;
  timedOut: boolean;
  /** Arms the timeout when the kernel starts the cell; absent without `timeoutMs`. */
  startTimeout?: () => void;
  timers: NodeJS.Timeout[];
  resolve(result: ExecuteResult): void;
  reject(error: Error): void;
}

const LOG_KEEP = 64 * 1024;

/** Serialises sends on one socket: zeromq.js allows a single send in flight. */
class Sender {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Dealer) {}
  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class KernelProcess {
  private readonly session = randomBytes(16).toString("hex");
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly shellSender = new Sender(this.shell);
  private readonly controlSender = new Sender(this.control);
  private readonly executes = new Map<string, PendingExecute>();
  private readonly controlWaiters = new Map<string, (msg: JupyterMessage) => void>();
  private readonly displays = new DisplayRegistry();
  private readonly events = new EventEmitter();
  private logText = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | null = null;
  private readonly exited: Promise<void>;
  private closing = false;
  private closed = false;
  private kernelInfoReply: Record<string, unknown> | null = null;
  private iopubSeen = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly key: string,
    private readonly tempDir: string,
    ports: { shell: number; iopub: number; control: number },
  ) {
    this.events.setMaxListeners(0);
    const keep = (chunk: Buffer | string) => {
      this.logText = (this.logText + chunk.toString()).slice(-LOG_KEEP);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      // "close" rather than "exit": by then the kernel's last log lines have been read.
      child.once("close", (code, signal) => {
        this.exitInfo ??= { code, signal };
        resolve();
        this.onExit();
      });
      child.once("error", (error) => {
        // spawn failed (no such executable, bad cwd): no "close" follows when nothing was started.
        this.exitInfo ??= { code: null, signal: null, error };
        if (child.pid === undefined) {
          resolve();
          this.onExit();
        }
      });
    });

    this.shell.connect(`tcp://127.0.0.1:${ports.shell}`);
    this.control.connect(`tcp://127.0.0.1:${ports.control}`);
    this.iopub.connect(`tcp://127.0.0.1:${ports.iopub}`);
    this.iopub.subscribe();
    void this.receiveLoop(this.shell, (msg) => this.onShell(msg));
    void this.receiveLoop(this.control, (msg) => this.onControl(msg));
    void this.receiveLoop(this.iopub, (msg) => this.onIopub(msg));
  }

  /** Starts a kernel and waits until it answers on shell and publishes on iopub. */
  static async start(options: KernelStartOptions): Promise<KernelProcess> {
    const kernelMain = options.kernelMain ?? defaultKernelMain();
    if (!fs.existsSync(kernelMain)) throw new Error(`the kernel is not built: ${kernelMain} is missing (run: tsc -b kernel)`);
    if (!fs.statSync(options.cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`the kernel's working directory ${options.cwd} does not exist`);
    }
    const [shell, iopub, control, stdin, hb] = await freePorts(5);
    const key = randomBytes(32).toString("hex");
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "labtrail-kernel-"));
    const connectionFile = path.join(tempDir, "kernel.json");
    const connection = {
      transport: "tcp",
      ip: "127.0.0.1",
      key,
      signature_scheme: "hmac-sha256",
      shell_port: shell,
      iopub_port: iopub,
      control_port: control,
      stdin_port: stdin,
      hb_port: hb,
      kernel_name: "labtrail",
    };
    fs.writeFileSync(connectionFile, `${JSON.stringify(connection, null, 1)}\n`, { mode: 0o600 });
    const child = spawn(process.execPath, [kernelMain, connectionFile], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kernel = new KernelProcess(child, key, tempDir, { shell, iopub, control });
    try {
      await kernel.handshake(options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    return kernel;
  }

  /** The kernel_info_reply's content. */
  get info(): Record<string, unknown> {
    return this.kernelInfoReply ?? {};
  }

  /** The kernel's log (its stderr and stdout) so far, the last 64 KiB of it. */
  get log(): string {
    return this.logText;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.exitInfo === null;
  }

  /** Runs `code` and resolves with its reply and outputs once the kernel is idle again. */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.exitInfo) return Promise.reject(this.exitedError());
    if (this.closing) return Promise.reject(new Error("the kernel is shutting down"));
    const metadata: Record<string, unknown> = options.cellId !== undefined ? { cellId: options.cellId } : {};
    const request = createMessage(
      this.session,
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
      undefined,
      metadata,
    );
    return new Promise<ExecuteResult>((resolve, reject) => {
      const pending: PendingExecute = {
        collector: new OutputCollector(this.displays),
        sentAt: new Date(),
        runStart: performance.now(),
        idle: false,
        timedOut: false,
        timers: [],
        resolve,
        reject,
      };
      this.executes.set(request.header.msg_id, pending);
      if (options.timeoutMs !== undefined) {
        const timeoutMs = options.timeoutMs;
        const grace = options.interruptGraceMs ?? 10_000;
        // Until the kernel starts the cell an interrupt would hit another cell (or none): only give up.
        const notStarted = setTimeout(() => {
          this.settle(
            request.header.msg_id,
            new KernelStuckError(`the kernel did not start the cell within ${seconds(timeoutMs + grace)}`),
          );
        }, timeoutMs + grace);
        pending.timers.push(notStarted);
        pending.startTimeout = () => {
          clearTimeout(notStarted);
          const interruptAt = setTimeout(() => {
            pending.timedOut = true;
            void this.interrupt().catch(() => undefined);
            const giveUp = setTimeout(() => {
              this.settle(
                request.header.msg_id,
                new KernelStuckError(`the cell did not stop within ${seconds(grace)} of being interrupted`),
              );
            }, grace);
            pending.timers.push(giveUp);
          }, timeoutMs);
          pending.timers.push(interruptAt);
        };
      }
      this.shellSender.send(encodeMessage(this.key, [], request)).catch((error: Error) => {
        this.settle(request.header.msg_id, new Error(`cannot send the execute_request: ${error.message}`));
      });
    });
  }

  /** Sends interrupt_request on the control channel (the kernel interrupts the running cell). */
  async interrupt(): Promise<void> {
    if (this.exitInfo || this.closed) return;
    await this.controlRequest("interrupt_request", {}, 5_000);
  }

  /**
   * Asks the kernel to shut down (shutdown_request on control), kills it if it has not exited after
   * 5 s, closes the sockets and removes the connection file. Pending executions are rejected.
   */
  async shutdown(): Promise<void> {
    if (this.closing) {
      await this.exited;
      return;
    }
    this.closing = true;
    if (!this.exitInfo) {
      void this.controlRequest("shutdown_request", { restart: false }, 5_000).catch(() => undefined);
      await Promise.race([this.exited, delay(5_000)]);
      if (!this.exitInfo) {
        this.child.kill("SIGKILL");
        await Promise.race([this.exited, delay(5_000)]);
      }
    }
    for (const id of [...this.executes.keys()]) this.settle(id, new Error("the kernel was shut down"));
    this.close();
  }

  /** Kills the kernel at once (no shutdown_request) and cleans up. */
  async kill(): Promise<void> {
    this.closing = true;
    if (!this.exitInfo) this.child.kill("SIGKILL");
    await Promise.race([this.exited, delay(5_000)]);
    for (const id of [...this.executes.keys()]) this.settle(id, new Error("the kernel was stopped"));
    this.close();
  }

  // --- start -----------------------------------------------------------------------------------

  /**
   * Sends kernel_info_request until one is answered and an iopub message has arrived: the SUB
   * socket's subscription takes a moment to reach the kernel, and messages published before that
   * are lost, so the first execute must not be sent before iopub is known to work.
   */
  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.kernelInfoReply && this.iopubSeen)) {
      if (this.exitInfo) throw this.exitedError("the kernel exited while starting");
      if (Date.now() > deadline) {
        throw new Error(
          `the kernel did not answer within ${seconds(timeoutMs)}${this.logTail() ? `; its log ends: ${this.logTail()}` : ""}`,
        );
      }
      const request = createMessage(this.session, "kernel_info_request", {});
      await this.shellSender.send(encodeMessage(this.key, [], request));
      await this.nextEvent(this.kernelInfoReply ? 200 : 500);
    }
  }

  // --- receiving -------------------------------------------------------------------------------

  private async receiveLoop(socket: zmq.Dealer | zmq.Subscriber, handle: (msg: JupyterMessage) => void): Promise<void> {
    while (!this.closed) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch {
        return; // closed
      }
      let msg: JupyterMessage;
      try {
        msg = decodeMessage(this.key, frames).msg;
      } catch {
        continue; // not a valid signed message: ignore it, as jupyter_client does
      }
      handle(msg);
      this.events.emit("event");
    }
  }

  private onShell(msg: JupyterMessage): void {
    const type = msg.header.msg_type;
    if (type === "kernel_info_reply") {
      this.kernelInfoReply ??= msg.content;
      return;
    }
    if (type !== "execute_reply") return;
    const id = msg.parent_header.msg_id;
    const pending = id ? this.executes.get(id) : undefined;
    if (!pending || !id) return;
    pending.reply = msg;
    pending.replyAt = new Date();
    pending.replyClock = performance.now();
    this.maybeFinish(id, pending);
  }

  private onControl(msg: JupyterMessage): void {
    const id = msg.parent_header.msg_id;
    const waiter = id ? this.controlWaiters.get(id) : undefined;
    if (waiter && id) {
      this.controlWaiters.delete(id);
      waiter(msg);
    }
  }

  private onIopub(msg: JupyterMessage): void {
    this.iopubSeen = true;
    const id = msg.parent_header.msg_id;
    const pending = id ? this.executes.get(id) : undefined;
    if (!pending || !id) return;
    switch (msg.header.msg_type) {
      case "status":
        if (msg.content.execution_state === "idle") {
          pending.idle = true;
          this.maybeFinish(id, pending);
        }
        return;
      case "execute_input":
        pending.executeInput = msg.header.date;
        // The cell starts now, not at the send: it may have waited behind another or for the kernel to start.
        pending.runStart = performance.now();
        pending.startTimeout?.();
        return;
      default:
        pending.collector.add(msg);
    }
  }

  private maybeFinish(id: string, pending: PendingExecute): void {
    if (!pending.reply || !pending.idle) return;
    const reply = pending.reply;
    const count = reply.content.execution_count;
    this.settle(id, {
      reply: reply.content,
      replyMetadata: reply.metadata,
      outputs: pending.collector.outputs,
      executionCount: typeof count === "number" ? count : null,
      startedAt: dateOr(pending.executeInput, pending.sentAt),
      finishedAt: dateOr(reply.header.date, pending.replyAt ?? new Date()),
      runMs: (pending.replyClock ?? performance.now()) - pending.runStart,
      timedOut: pending.timedOut,
    });
  }

  private settle(id: string, outcome: ExecuteResult | Error): void {
    const pending = this.executes.get(id);
    if (!pending) return;
    this.executes.delete(id);
    for (const timer of pending.timers) clearTimeout(timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private onExit(): void {
    this.events.emit("event");
    if (this.closing) return;
    const error = this.exitedError();
    for (const id of [...this.executes.keys()]) this.settle(id, error);
    for (const [id, waiter] of [...this.controlWaiters]) {
      this.controlWaiters.delete(id);
      waiter(createMessage(this.session, "error", {}));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private async controlRequest(msgType: string, content: Record<string, unknown>, timeoutMs: number): Promise<JupyterMessage | undefined> {
    const request = createMessage(this.session, msgType, content);
    const answered = new Promise<JupyterMessage | undefined>((resolve) => {
      this.controlWaiters.set(request.header.msg_id, resolve);
      setTimeout(() => {
        this.controlWaiters.delete(request.header.msg_id);
        resolve(undefined);
      }, timeoutMs).unref();
    });
    await this.controlSender.send(encodeMessage(this.key, [], request));
    const reply = await answered;
    if (reply && reply.header.msg_type !== replyType(msgType)) return undefined;
    return reply;
  }

  private nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off("event", done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.on("event", done);
    });
  }

  private exitedError(what = "the kernel exited unexpectedly"): KernelExitedError {
    const info = this.exitInfo;
    let how = "";
    if (info?.error) how = ` (${info.error.message})`;
    else if (info?.signal) how = ` (killed by ${info.signal})`;
    else if (info?.code !== null && info?.code !== undefined) how = ` (exit code ${info.code})`;
    // V8's out-of-memory death ends the log with a native stack; its one meaningful line is this.
    if (/JavaScript heap out of memory/.test(this.logText)) {
      return new KernelExitedError(
        `${what}: the kernel ran out of memory (JavaScript heap out of memory); a cell needed more than the heap allows (raise it with NODE_OPTIONS=--max-old-space-size=<MiB>)`,
        this.logText,
      );
    }
    const tail = this.logTail();
    return new KernelExitedError(`${what}${how}${tail ? `; its log ends: ${tail}` : ""}`, this.logText);
  }

  /** The last few lines of the kernel's log, for error messages. */
  private logTail(lines = 6): string {
    return this.logText.trimEnd().split("\n").slice(-lines).join("\n").trim();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.shell, this.control, this.iopub]) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function dateOr(text: string | undefined, fallback: Date): Date {
  const date = text ? new Date(text) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : fallback;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
