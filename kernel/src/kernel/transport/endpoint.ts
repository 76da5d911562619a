// Kept apart from connection.ts so the transport worker does not load zod (a second copy in its isolate).
import type { ConnectionInfo } from "./connection";

export type SocketName = "shell" | "control" | "stdin" | "iopub" | "hb";

export function endpoint(info: ConnectionInfo, socket: SocketName): string {
  const port = info[`${socket}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
