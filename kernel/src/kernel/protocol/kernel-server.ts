// The Jupyter protocol side of the kernel: every request gets a reply (an error reply when we do not
// handle it), busy/idle around each, executions run one at a time in arrival order, and a failure with
// stop_on_error aborts exactly the executions that arrived before its reply went out — no time window.
import type { CellRunner, Completion, RunOutcome } from "../execution/cell-runner";
import { plainText, toMimeBundle } from "../execution/display-value";
import type { ErrorReport } from "../execution/error-report";
import { ExecutionScope } from "../execution/execution-scope";
import { OutputSink, type OutputPublisher } from "../execution/output-sink";
import type { MagicCells } from "../magics/magic-cells";
import { formatCallsSummary } from "../../models/usage-line";
import type { Recorder } from "../../records/recorder";
import { ExecutionRecord } from "../execution-record";
import { createMessage, replyType } from "../../wire/messages";
import type { IncomingRequest } from "../transport/transport";
import type { JupyterMessage } from "../../wire/wire";
import type { SendChannel } from "../transport/worker-protocol";
import { codePointToUtf16, utf16ToCodePoint } from "./code-points";
import { checkCompleteness } from "./completeness";
import { History, type HistoryRequest } from "./history";
import { kernelInfo } from "./kernel-info";
import type { HeaderGate } from "../header-gate";
import { LABTRAIL_REPLY_METADATA_KEY, type LabtrailKernelInfo, type LabtrailReplyMetadata, type Redactor } from "../../core";

/** What the server needs of the cell runner (the kernel gives it a DeferredRunner, which warms up on first need). */
export interface Runner {
  run: CellRunner["run"];
  complete(source: string, position: number): Completion | Promise<Completion>;
  inspect(source: string, position: number): string | undefined | Promise<string | undefined>;
  forget: CellRunner["forget"];
  readonly exitRequested: number | null;
}

/** What the server needs from the transport (an interface so the server is easy to drive). */
export interface MessageSink {
  readonly session: string;
  send(channel: SendChannel, msg: JupyterMessage<unknown>, identities?: Uint8Array[]): void;
  /** The arrival number of the last request received before everything sent on `channel` went out. */
  arrivalMark(channel: SendChannel): Promise<number>;
}

export interface KernelContext {
  /** The notebook this kernel serves now, as the frontend names it (else its file name). */
  notebookPath?: () => string | undefined;
  /**
   * Before each execution, with the request's metadata: the records follow the notebook's current path.
   * A line for the cell's stderr when that went wrong.
   */
  beforeExecute?: (metadata: unknown, cellId: string | null) => string | null;
  /** Checks a cell's header before it runs (the header contract's enforcement mode). */
  headerGate?: HeaderGate;
  /** The settings a frontend must agree with, as they are now, for the kernel_info_reply. */
  labtrailInfo?: () => LabtrailKernelInfo;
  /** Turns magic cells (`%%ask`, `%models`) into what runs. */
  magics?: MagicCells;
  /** Records each execution and judges it against the cell's previous run (when the notebook is known). */
  recorder?: Recorder;
  /** Settles once the kernel can run cells (the helpers are imported); executions wait for it. */
  ready?: () => Promise<unknown>;
  /** Applied to every message before it leaves the kernel (DESIGN.md, "Secrets never reach disk"). */
  redactor?: Redactor;
  log(text: string): void;
  shutdown(restart: boolean): void;
}

interface ExecuteRequestContent {
  code?: unknown;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, unknown>;
  stop_on_error?: boolean;
}

type Content = Record<string, unknown>;
type Handler = (request: IncomingRequest) => Content | undefined | Promise<Content | undefined>;

const DISCARD: OutputPublisher = { stream: () => {}, display: () => {} };

export class KernelServer {
  private executionCount = 0;
  private readonly history = new History();
  private readonly queue: IncomingRequest[] = [];
  private draining = false;
  private uncountedRuns = 0;

  private readonly handlers: Record<string, Handler> = {
    kernel_info_request: () => kernelInfo(this.context.labtrailInfo?.()),
    complete_request: (r) => this.complete(r.msg.content),
    inspect_request: (r) => this.inspect(r.msg.content),
    is_complete_request: (r) => checkCompleteness(String(r.msg.content.code ?? "")),
    history_request: (r) => ({ status: "ok", history: this.history.query(r.msg.content as HistoryRequest) }),
    comm_info_request: () => ({ status: "ok", comms: {} }),
    shutdown_request: (r) => ({ status: "ok", restart: Boolean(r.msg.content.restart) }),
    interrupt_request: () => {
      process.kill(process.pid, "SIGINT");
      return { status: "ok" };
    },
    // No comm targets exist: close what a frontend opens, as ipykernel does for unknown targets.
    comm_open: (r) => {
      this.publish("comm_close", { comm_id: r.msg.content.comm_id, data: {} }, r.msg);
      return undefined;
    },
    comm_msg: () => undefined,
    comm_close: () => undefined,
    input_reply: () => undefined,
  };

  constructor(
    private readonly transport: MessageSink,
    private readonly runner: Runner,
    private readonly context: KernelContext,
  ) {}

  handle(request: IncomingRequest): void {
    if (request.msg.header.msg_type === "execute_request") {
      this.queue.push(request);
      void this.drain();
      return;
    }
    void this.withStatus(request, () => this.dispatch(request)).then(() => {
      if (request.msg.header.msg_type === "shutdown_request") {
        this.context.shutdown(Boolean(request.msg.content.restart));
      }
    });
  }

  private async dispatch(request: IncomingRequest): Promise<void> {
    const type = request.msg.header.msg_type;
    const handler = this.handlers[type];
    if (!handler) {
      if (type.endsWith("_request")) {
        this.reply(
          request,
          errorContent({
            ename: "UnknownMessageType",
            evalue: `labtrail does not handle ${type}`,
            traceback: [],
          }),
        );
      } else {
        this.context.log(`ignored ${type} on ${request.channel}`);
      }
      return;
    }
    let content: Content | undefined;
    try {
      content = await handler(request);
    } catch (e) {
      this.context.log(`${type} failed: ${(e as Error).stack ?? e}`);
      content = errorContent({ ename: "KernelError", evalue: `${type} failed: ${(e as Error).message}`, traceback: [] });
    }
    if (content !== undefined) this.reply(request, content);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    await this.context.ready?.();
    while (this.queue.length > 0) {
      const request = this.queue.shift()!;
      let status: string = "error";
      await this.withStatus(request, async () => {
        status = await this.execute(request);
      });
      // A cell called process.exit(): its reply is out, so the kernel closes its sockets and exits.
      if (this.runner.exitRequested !== null) {
        this.context.shutdown(false);
        return;
      }
      const content = request.msg.content as ExecuteRequestContent;
      if (status !== "ok" && content.stop_on_error !== false) await this.abortArrivedBefore(request);
    }
    this.draining = false;
  }

  private async execute(request: IncomingRequest): Promise<string> {
    const content = request.msg.content as ExecuteRequestContent;
    const code = typeof content.code === "string" ? content.code : "";
    const silent = Boolean(content.silent);
    const storeHistory = !silent && content.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    const started = new Date().toISOString();
    if (!silent) this.publish("execute_input", { code, execution_count: count }, request.msg);

    const cellId = typeof request.msg.metadata?.cellId === "string" ? request.msg.metadata.cellId : null;
    // Before the cell runs, so its model calls find the recordings where the notebook is now.
    const moveProblem = this.context.beforeExecute?.(request.msg.metadata, cellId) ?? null;
    if (moveProblem && !silent) this.publish("stream", { name: "stderr", text: `${moveProblem}\n` }, request.msg);

    const record = new ExecutionRecord();
    const sink = new OutputSink(silent ? DISCARD : record.tallying(this.publisherFor(request.msg)));
    const scope = new ExecutionScope(sink);
    const name = storeHistory ? `In[${count}]` : `<run ${++this.uncountedRuns}>`;
    // JupyterLab names the cells deleted since the last execution: what they declared is forgotten.
    const deleted = request.msg.metadata?.deletedCells;
    if (Array.isArray(deleted)) this.runner.forget(deleted.filter((id): id is string => typeof id === "string"));
    const clock = performance.now();
    const outcome = await this.gatedRun(name, code, scope, silent, cellId);
    await scope.callsSettled();
    const durationMs = performance.now() - clock;
    // Calls made through the helpers get one usage line; a magic showed its own.
    const unshown = scope.modelCalls.filter((call) => !call.shown);
    if (unshown.length > 0)
      sink.display({ data: { "text/plain": formatCallsSummary(unshown) }, metadata: { labtrail: { usage: true } } }, false);
    sink.flush();
    if (outcome.ok && outcome.hasValue && !silent) {
      const result = this.bundle(outcome.value, sink);
      const text = String(result.data["text/plain"] ?? "");
      record.returned(text);
      this.publish("execute_result", { execution_count: count, ...result }, request.msg);
    }
    if (!outcome.ok && !silent) this.publish("error", outcome.error, request.msg);
    let verdict: LabtrailReplyMetadata["verdict"] = null;
    if (this.context.recorder && storeHistory && !("gated" in outcome)) {
      const error = outcome.ok ? null : { ename: outcome.error.ename, evalue: outcome.error.evalue };
      verdict = record.finish(this.context.recorder, { cellId, execution: count, code, startedAt: started, durationMs, error }, scope);
    }
    const userExpressions = outcome.ok ? await this.evaluateExpressions(content.user_expressions) : {};
    sink.flush();
    sink.finished = true;
    if (storeHistory) this.history.add(count, code);

    const status = outcome.ok ? "ok" : "error";
    const reply = outcome.ok
      ? { status, execution_count: count, user_expressions: userExpressions, payload: [] }
      : { ...errorContent(outcome.error), execution_count: count, user_expressions: {}, payload: [] };
    const labtrail: LabtrailReplyMetadata = { cellId, notebook: this.context.notebookPath?.() ?? null, verdict };
    this.reply(request, reply, {
      started,
      dependencies_met: true,
      engine: this.transport.session,
      status,
      [LABTRAIL_REPLY_METADATA_KEY]: labtrail,
    });
    return status;
  }

  /** Runs the cell unless its header keeps it from running; silent (tool) requests are not gated. */
  /** `gated`: the header kept the cell from running, so there is no run to record. */
  private async gatedRun(
    name: string,
    code: string,
    scope: ExecutionScope,
    silent: boolean,
    cellId: string | null,
  ): Promise<RunOutcome | { ok: false; gated: true; error: ErrorReport }> {
    const decision = silent || !this.context.headerGate ? undefined : this.context.headerGate(code);
    if (decision && !decision.run) {
      const lines = decision.error.split("\n");
      return { ok: false, gated: true, error: { ename: "MissingHeader", evalue: lines[0], traceback: lines } };
    }
    if (decision?.notice) scope.sink.write("stderr", `${decision.notice}\n`);
    const prepared = this.context.magics?.prepare(code) ?? { kind: "code", code };
    switch (prepared.kind) {
      case "error":
        return { ok: false, error: prepared.error };
      case "code":
        return this.runner.run(name, prepared.code, scope, cellId);
      case "line":
        for (const { magic, args } of prepared.magics) {
          try {
            await magic.run(args, scope);
          } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            return { ok: false, error: { ename: "MagicError", evalue: message, traceback: [`MagicError: ${message}`] } };
          }
        }
        return prepared.rest === null ? { ok: true, hasValue: false } : this.runner.run(name, prepared.rest, scope, cellId);
    }
  }

  /**
   * Aborts every execution that arrived before the failed one's reply went out, as ipykernel does: with
   * Run All they were all sent before the failure was known, though a fast failure finishes before this
   * thread has even been handed them. The transport's mark says exactly which arrived in time; they
   * are all queued by the time it answers. Later requests run.
   */
  private async abortArrivedBefore(failed: IncomingRequest): Promise<void> {
    const mark = await this.transport.arrivalMark(failed.channel);
    while (this.queue.length > 0 && this.queue[0].arrival <= mark) {
      const queued = this.queue.shift()!;
      await this.withStatus(queued, async () => this.abort(queued));
    }
  }

  private abort(request: IncomingRequest): void {
    this.reply(request, { status: "aborted", execution_count: null }, { status: "aborted" });
  }

  private async evaluateExpressions(expressions: Record<string, unknown> | undefined): Promise<Content> {
    const results: Content = {};
    for (const [key, expression] of Object.entries(expressions ?? {})) {
      const scope = new ExecutionScope(new OutputSink(DISCARD));
      const outcome = await this.runner.run(`<expression ${++this.uncountedRuns}>`, String(expression), scope);
      results[key] = outcome.ok
        ? { status: "ok", ...toMimeBundle(outcome.hasValue ? outcome.value : undefined) }
        : errorContent(outcome.error);
    }
    return results;
  }

  private bundle(value: unknown, sink: OutputSink): { data: Content; metadata: Content } {
    try {
      return toMimeBundle(value);
    } catch (e) {
      sink.write("stderr", `The value's Jupyter.display method failed: ${(e as Error).message}\n`);
      sink.flush();
      return { data: { "text/plain": plainText(value) }, metadata: {} };
    }
  }

  private async complete(content: Content): Promise<Content> {
    const code = String(content.code ?? "");
    const cursor = codePointToUtf16(code, Number(content.cursor_pos ?? code.length));
    const completion = await this.runner.complete(code, cursor);
    const start = utf16ToCodePoint(code, completion.start);
    const end = utf16ToCodePoint(code, completion.end);
    // JupyterLab shows each candidate's kind (and, where given, its signature) from this key.
    const types = completion.items.map((item) => ({
      start,
      end,
      text: item.text,
      type: item.type,
      ...(item.signature ? { signature: item.signature } : {}),
    }));
    return {
      status: "ok",
      matches: completion.candidates,
      cursor_start: start,
      cursor_end: end,
      metadata: { _jupyter_types_experimental: types },
    };
  }

  private async inspect(content: Content): Promise<Content> {
    const code = String(content.code ?? "");
    const text = await this.runner.inspect(code, codePointToUtf16(code, Number(content.cursor_pos ?? code.length)));
    return { status: "ok", found: text !== undefined, data: text !== undefined ? { "text/plain": text } : {}, metadata: {} };
  }

  private publisherFor(parent: JupyterMessage): OutputPublisher {
    return {
      stream: (name, text) => this.publish("stream", { name, text }, parent),
      display: (data, update) => this.publish(update ? "update_display_data" : "display_data", data, parent),
    };
  }

  private async withStatus(request: IncomingRequest, body: () => Promise<void>): Promise<void> {
    this.publish("status", { execution_state: "busy" }, request.msg);
    try {
      await body();
    } finally {
      this.publish("status", { execution_state: "idle" }, request.msg);
    }
  }

  private reply(request: IncomingRequest, content: Content, metadata: Content = {}): void {
    const msg = createMessage(this.transport.session, replyType(request.msg.header.msg_type), content, request.msg, metadata);
    this.send(request.channel, msg, request.identities);
  }

  private publish(msgType: string, content: unknown, parent: JupyterMessage): void {
    this.send("iopub", createMessage(this.transport.session, msgType, content, parent));
  }

  /** The one way out: outputs, replies and their metadata (verdicts included) are redacted here. */
  private send(channel: SendChannel, msg: JupyterMessage<unknown>, identities?: Uint8Array[]): void {
    const redactor = this.context.redactor;
    const out = redactor ? { ...msg, content: redactor.redactValue(msg.content), metadata: redactor.redactValue(msg.metadata) } : msg;
    this.transport.send(channel, out, identities);
  }
}

function errorContent(error: ErrorReport): Content {
  return { status: "error", ename: error.ename, evalue: error.evalue, traceback: error.traceback };
}
