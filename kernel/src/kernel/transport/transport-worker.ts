// The transport worker owns every ZeroMQ socket, so that:
// - an interrupt_request on the control channel is acted on while the main thread is stuck in
//   `while (true) {}` (it raises SIGINT, which tslab's executor turns into an interruption);
// - the heartbeat keeps answering during long synchronous cells;
// - each socket has exactly one send in flight (zeromq.js 6 rejects concurrent sends: tslab bug 1)
//   and iopub never drops messages (unbounded high-water mark instead of ZeroMQ's silent 1,000);
// - every new iopub subscriber is told the kernel's state at once (see `greetSubscribers`).
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { endpoint } from "./endpoint";
import { createMessage, replyType } from "../../wire/messages";
import { decodeMessage, encodeMessage, WireError } from "../../wire/wire";
import type { FromWorker, RequestChannel, SendChannel, ToWorker, WorkerData } from "./worker-protocol";
import type { JupyterMessage } from "../../wire/wire";

const { connection, session, pid } = workerData as WorkerData;
const port = parentPort!;

function post(message: FromWorker): void {
  port.postMessage(message);
}

/** Serialises sends on one socket: zeromq.js allows a single send in flight. */
class SendQueue {
  private queue: Buffer[][] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  constructor(
    private readonly socket: zmq.Writable,
    private readonly name: string,
  ) {}

  push(frames: Buffer[]): void {
    this.queue.push(frames);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const frames = this.queue.shift()!;
      try {
        await this.socket.send(frames);
      } catch (e) {
        post({ kind: "log", text: `send on ${this.name} failed: ${(e as Error).message}` });
      }
    }
    this.draining = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  whenIdle(): Promise<void> {
    return this.draining ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }
}

const shell = new zmq.Router();
const control = new zmq.Router();
const stdin = new zmq.Router();
// XPUB: a publisher that also hears its subscribers' (re)connections. Verbose, so a subscriber that
// reconnects with the same subscription is heard again.
const iopub = new zmq.XPublisher({ sendHighWaterMark: 0, verbosity: "allSubs" });
const heartbeat = new zmq.Reply();

const queues: Record<SendChannel, SendQueue> = {
  shell: new SendQueue(shell, "shell"),
  control: new SendQueue(control, "control"),
  stdin: new SendQueue(stdin, "stdin"),
  iopub: new SendQueue(iopub, "iopub"),
};

/** The execution state the last status message said; before the first, the kernel is ready for requests. */
let executionState = "idle";

function send(channel: SendChannel, identities: Uint8Array[], msg: JupyterMessage<unknown>): void {
  if (channel === "iopub" && msg.header.msg_type === "status") {
    executionState = (msg.content as { execution_state: string }).execution_state;
  }
  // PUB messages carry a topic frame in place of routing identities, as ipykernel does.
  const ids = channel === "iopub" ? [Buffer.from(`kernel.${msg.header.msg_type}`)] : identities;
  queues[channel].push(encodeMessage(connection.key, ids, msg));
}

/** Interrupts are handled here, not on the main thread, which may be blocked by the very cell to stop. */
function handleInterrupt(identities: Uint8Array[], request: JupyterMessage): void {
  send("iopub", [], createMessage(session, "status", { execution_state: "busy" }, request));
  process.kill(pid, "SIGINT");
  send("control", identities, createMessage(session, replyType(request.header.msg_type), { status: "ok" }, request));
  send("iopub", [], createMessage(session, "status", { execution_state: "idle" }, request));
}

/** How many requests have been received (and posted to the main thread, in this order). */
let arrivals = 0;

/**
 * Answers a mark once every message queued on `channel` has gone out: requests received after that
 * can only come from a client that may have seen those messages (ipykernel's stop_on_error rule).
 */
async function answerMark(id: number, channel: SendChannel): Promise<void> {
  await queues[channel].whenIdle();
  post({ kind: "mark", id, arrival: arrivals });
}

async function receive(channel: RequestChannel, socket: zmq.Router): Promise<void> {
  for await (const frames of socket) {
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      decoded = decodeMessage(connection.key, frames);
    } catch (e) {
      const reason = e instanceof WireError ? e.message : `undecodable message: ${(e as Error).message}`;
      post({ kind: "log", text: `${channel}: dropped ${reason}` });
      continue;
    }
    if (channel === "control" && decoded.msg.header.msg_type === "interrupt_request") {
      handleInterrupt(decoded.identities, decoded.msg);
      continue;
    }
    post({ kind: "request", channel, identities: decoded.identities, msg: decoded.msg, arrival: ++arrivals });
  }
}

/**
 * A subscriber misses what was published before its subscription reached us (ZeroMQ's "slow joiner").
 * After a restart the server's iopub socket reconnects while the new kernel already answers the
 * frontend's first requests, so JupyterLab would miss their busy/idle and show "restarting" until the
 * next cell ran. So each subscription gets the current state at once, with no parent: the frontend and
 * the server both count a parentless status (ipykernel's "starting" is one).
 */
async function greetSubscribers(): Promise<void> {
  for await (const [event] of iopub) {
    if (event[0] !== 1) continue; // 0 is an unsubscription
    send("iopub", [], createMessage(session, "status", { execution_state: executionState }));
  }
}

async function echoHeartbeats(): Promise<void> {
  for await (const frames of heartbeat) await heartbeat.send(frames);
}

/** The receive loops, settled once their sockets are closed. */
let loops: Promise<unknown>[] = [];

async function close(): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.whenIdle()));
  for (const socket of [shell, control, stdin, iopub, heartbeat]) {
    socket.linger = 1000;
    socket.close();
  }
  // The main thread terminates this worker on "closed": a receive still pending in ZeroMQ's native code
  // then would settle into a torn-down environment (a native abort, SIGABRT). Let every loop end first.
  await Promise.allSettled(loops);
  post({ kind: "closed" });
}

port.on("message", (message: ToWorker) => {
  if (message.kind === "send") send(message.channel, message.identities, message.msg);
  else if (message.kind === "mark") void answerMark(message.id, message.channel);
  else if (message.kind === "close") void close();
});

async function start(): Promise<void> {
  await Promise.all([
    shell.bind(endpoint(connection, "shell")),
    control.bind(endpoint(connection, "control")),
    stdin.bind(endpoint(connection, "stdin")),
    iopub.bind(endpoint(connection, "iopub")),
    heartbeat.bind(endpoint(connection, "hb")),
  ]);
  post({ kind: "ready" });
  loops = [receive("shell", shell), receive("control", control), receive("stdin", stdin), echoHeartbeats(), greetSubscribers()];
  // A receive loop ends when its socket closes at shutdown; ZeroMQ's "socket closed" is expected then.
  await Promise.allSettled(loops);
}

start().catch((e) => post({ kind: "log", text: `transport failed to start: ${(e as Error).stack}` }));
