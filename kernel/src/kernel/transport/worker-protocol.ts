import type { ConnectionInfo } from "./connection";
import type { JupyterMessage } from "../../wire/wire";

/** Channels the kernel reads requests from. */
export type RequestChannel = "shell" | "control" | "stdin";
/** Channels the kernel writes to. */
export type SendChannel = RequestChannel | "iopub";

/** Messages between the kernel (main thread) and the transport worker that owns the sockets. */
export type ToWorker =
  | { kind: "send"; channel: SendChannel; identities: Uint8Array[]; msg: JupyterMessage<unknown> }
  /** Asks, once everything sent on `channel` so far has gone out, how many requests had arrived by then. */
  | { kind: "mark"; id: number; channel: SendChannel }
  | { kind: "close" };

export type FromWorker =
  | { kind: "ready" }
  /** `arrival`: the request's place in the order the worker received requests (1, 2, 3 … on all channels). */
  | { kind: "request"; channel: RequestChannel; identities: Uint8Array[]; msg: JupyterMessage; arrival: number }
  /** The answer to a mark: the arrival number of the last request received before those sends went out. */
  | { kind: "mark"; id: number; arrival: number }
  | { kind: "log"; text: string }
  | { kind: "closed" };

export interface WorkerData {
  connection: ConnectionInfo;
  session: string;
  pid: number;
}
