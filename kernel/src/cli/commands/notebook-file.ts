/**
 * Reads a notebook file for the CLI commands: the file system's errors and the core's description of
 * a broken notebook both end as one line saying what is wrong with this input.
 */

import { type Notebook, readNotebookBytes } from "../../core";
import { fileError } from "../../files/file-errors";
import { readRegularFile } from "../../files/read-file";

export { fileError };

export type NotebookFileResult = { ok: true; notebook: Notebook } | { ok: false; problem: string };

export function readNotebookFile(file: string): NotebookFileResult {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(file);
  } catch (err) {
    return { ok: false, problem: fileError(err) };
  }
  return readNotebookBytes(bytes);
}
