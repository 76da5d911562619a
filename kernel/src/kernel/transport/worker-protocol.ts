import type { ConnectionInfo } from "./connection";
import type { JupyterMessage } from "../../wire/wire";

/** Channels the kernel reads requests from. */
export type RequestChannel = "shell" | "control" | "stdin";
/** Channels the kernel writes to. */
export type SendChannel = RequestChannel | "iopub";

/** Messages between the kernel (main thread) and the transport worker that owns the sockets. */
export type ToWorker = { kind: "send"; channel: SendChannel; identities: Uint8Array[]; msg: JupyterMessage<unknown> } | { kind: "close" };

export type FromWorker =
  | { kind: "ready" }
  | { kind: "request"; channel: RequestChannel; identities: Uint8Array[]; msg: JupyterMessage }
  | { kind: "log"; text: string }
  | { kind: "closed" };

export interface WorkerData {
  connection: ConnectionInfo;
  session: string;
  pid: number;
}
