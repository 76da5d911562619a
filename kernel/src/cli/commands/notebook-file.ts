/**
 * Reads a notebook file for the CLI commands: the file system's errors and the core's description of
 * a broken notebook both end as one line saying what is wrong with this input.
 */

import * as fs from "node:fs";
import { Notebook, readNotebookBytes } from "../../core";

export type NotebookFileResult = { ok: true; notebook: Notebook } | { ok: false; problem: string };

export function readNotebookFile(file: string): NotebookFileResult {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    return { ok: false, problem: fileError(err) };
  }
  return readNotebookBytes(bytes);
}

export function fileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a notebook file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    default:
      return err instanceof Error ? err.message.replace(/\s*\n\s*/g, " ") : String(err);
  }
}
