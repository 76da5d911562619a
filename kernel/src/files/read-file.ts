// Reading the files labtrail reads (notebooks, runs.jsonl, recordings, drafts) safely: only a regular
// file, since a FIFO or a device in its place would block or never end, and only up to a size that
// makes sense for it. One place, used by every reader; failures carry a `code` that fileError words.
import * as fs from "node:fs";
import type { RunsLine } from "../core";

/** Set on the errors below, for fileError. */
export const NOT_REGULAR_FILE = "ELABTRAIL_NOT_REGULAR";
export const FILE_TOO_LARGE = "ELABTRAIL_TOO_LARGE";

/** More than any notebook or recording a person keeps; a bigger one is a mistake, not an input. */
export const MAX_WHOLE_FILE_BYTES = 256 * 2 ** 20;
/** A line of runs.jsonl longer than this is not a record anyone wrote: skipped without holding it. */
export const MAX_LINE_BYTES = 64 * 2 ** 20;

function codedError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * Opens `file` for reading only if it is a regular file. O_NONBLOCK keeps the open itself from waiting
 * on a FIFO's writer; the check is on the opened descriptor, so nothing can swap the file in between.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw codedError("EISDIR", `${file} is a directory`);
    if (!stat.isFile()) throw codedError(NOT_REGULAR_FILE, `is ${kindOf(stat)}, not a regular file`);
    return { fd, size: stat.size };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/** The whole of a regular file of at most `maxBytes`; throws (with a code fileError words) otherwise. */
export function readRegularFile(file: string, maxBytes: number = MAX_WHOLE_FILE_BYTES): Buffer {
  const { fd, size } = openRegularFile(file);
  try {
    if (size > maxBytes) {
      throw codedError(
        FILE_TOO_LARGE,
        `is ${Math.ceil(size / 2 ** 20)} MiB, more than the ${Math.round(maxBytes / 2 ** 20)} MiB labtrail reads`,
      );
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's text (UTF-8), as readRegularFile. */
export function readRegularText(file: string, maxBytes?: number): string {
  return readRegularFile(file, maxBytes).toString("utf8");
}

/**
 * The "\n"-separated pieces of a regular file, read in chunks: as `text.split("\n")` would give them,
 * without ever holding the file whole. A piece longer than `maxLineBytes` comes as its length only.
 */
export function* readLines(file: string, maxLineBytes: number = MAX_LINE_BYTES): Generator<RunsLine> {
  const { fd } = openRegularFile(file);
  try {
    const chunk = Buffer.alloc(2 ** 20);
    let parts: Buffer[] = [];
    let partBytes = 0;
    let overlong = false;
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      let start = 0;
      for (let newline = chunk.indexOf(0x0a, start); newline !== -1 && newline < read; newline = chunk.indexOf(0x0a, start)) {
        const tail = chunk.subarray(start, newline);
        partBytes += tail.length;
        yield overlong || partBytes > maxLineBytes ? { overlongBytes: partBytes } : Buffer.concat([...parts, tail]).toString("utf8");
        parts = [];
        partBytes = 0;
        overlong = false;
        start = newline + 1;
      }
      const rest = chunk.subarray(start, read);
      partBytes += rest.length;
      if (partBytes > maxLineBytes) {
        overlong = true;
        parts = [];
      } else if (rest.length > 0) parts.push(Buffer.from(rest));
    }
    yield overlong ? { overlongBytes: partBytes } : Buffer.concat(parts).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}
