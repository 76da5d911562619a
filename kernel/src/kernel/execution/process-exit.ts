// process.exit() from a cell. Exiting on the spot tears down the transport worker mid-send (a native
// abort, SIGABRT) and loses the cell's buffered output, so inside a cell the call only stops the cell:
// the kernel then sends the cell's output and reply, closes its sockets and exits with the code asked,
// and the frontend restarts it as it does any kernel that exits.

/** Thrown by process.exit() inside a cell to unwind it; never returns to the caller, as exit would not. */
export class CellExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
    this.name = "CellExit";
  }
}

/** The exit code Node would use for `process.exit(code)`. */
export function exitCodeOf(code: unknown): number {
  if (code === undefined || code === null) return typeof process.exitCode === "number" ? process.exitCode : 0;
  const number = Number(code);
  return Number.isInteger(number) ? number & 0xff : 1;
}
