import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { ConnectionInfo } from "./connection";
import type { JupyterMessage } from "../../wire/wire";
import type { FromWorker, RequestChannel, SendChannel, ToWorker, WorkerData } from "./worker-protocol";

export interface IncomingRequest {
  channel: RequestChannel;
  identities: Uint8Array[];
  msg: JupyterMessage;
  /** Its place in the order the transport received requests (see `Transport.arrivalMark`). */
  arrival: number;
}

/**
 * The main thread's handle on the transport worker: requests come in through `onRequest`,
 * replies and broadcasts go out through `send`. Posting to the worker never blocks and never drops.
 */
export class Transport {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private closedResolve?: () => void;
  private readonly marks = new Map<number, (arrival: number) => void>();
  private nextMark = 0;

  constructor(
    connection: ConnectionInfo,
    readonly session: string,
    private readonly onRequest: (request: IncomingRequest) => void,
    private readonly log: (text: string) => void,
  ) {
    const data: WorkerData = { connection, session, pid: process.pid };
    this.worker = new Worker(join(__dirname, "transport-worker.js"), { workerData: data });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (message: FromWorker) => {
        if (message.kind === "ready") resolve();
        else if (message.kind === "request") this.onRequest(message);
        else if (message.kind === "mark") this.settleMark(message.id, message.arrival);
        else if (message.kind === "log") this.log(message.text);
        else if (message.kind === "closed") this.closedResolve?.();
      });
    });
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  send(channel: SendChannel, msg: JupyterMessage<unknown>, identities: Uint8Array[] = []): void {
    this.post({ kind: "send", channel, identities, msg });
  }

  /**
   * Resolves, once everything sent on `channel` so far has gone out, to the arrival number of the last
   * request received by then. Requests reach `onRequest` in arrival order and before this resolves, so
   * every request numbered up to it has been handed over already.
   */
  arrivalMark(channel: SendChannel): Promise<number> {
    const id = ++this.nextMark;
    const arrival = new Promise<number>((resolve) => this.marks.set(id, resolve));
    this.post({ kind: "mark", id, channel });
    return arrival;
  }

  private settleMark(id: number, arrival: number): void {
    this.marks.get(id)?.(arrival);
    this.marks.delete(id);
  }

  /** Flushes every queued message, closes the sockets and stops the worker. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.closedResolve = resolve));
    this.post({ kind: "close" });
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
    await this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
