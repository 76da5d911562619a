import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { ConnectionInfo } from "./connection";
import type { JupyterMessage } from "../../wire/wire";
import type { FromWorker, RequestChannel, SendChannel, ToWorker, WorkerData } from "./worker-protocol";

export interface IncomingRequest {
  channel: RequestChannel;
  identities: Uint8Array[];
  msg: JupyterMessage;
}

/**
 * The main thread's handle on the transport worker: requests come in through `onRequest`,
 * replies and broadcasts go out through `send`. Posting to the worker never blocks and never drops.
 */
export class Transport {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private closedResolve?: () => void;

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
