// Writing files so that a reader never sees half of one: write a temporary file beside it, then
// rename it into place (atomic on one file system). Used by every file labtrail writes whole.
import * as fs from "node:fs";
import * as path from "node:path";

/** Writes `text` to `file` atomically; on failure nothing is left behind and the error is rethrown. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (err) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing was created, or nothing can be removed there either
    }
    throw err;
  }
}

/**
 * Writes `text` to `file` unless it already holds exactly that; returns whether it wrote. A directory
 * in the file's place is reported (EISDIR) rather than written over.
 */
export function writeIfChanged(file: string, text: string): boolean {
  try {
    if (fs.readFileSync(file, "utf8") === text) return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EISDIR") throw err;
    // missing or unreadable: write it
  }
  writeFileAtomic(file, text);
  return true;
}

/** Whether two paths name the same file (hard links, symlinks, different spellings). */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
