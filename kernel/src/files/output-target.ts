// Files a command must never write over, whatever -o/--output says: the input notebook, anything in
// a records folder (runs.jsonl, the recordings) and, except for export itself, a design-doc draft.
import * as fs from "node:fs";
import * as path from "node:path";
import { sameFile } from "./write-file";

/** Where a notebook's run records and recordings live: `<name>.labtrail/`. */
const RECORDS_FOLDER = /\.labtrail$/i;
/** The stamp `labtrail export` ends a draft with (core's stampDraft). */
const DRAFT_STAMP = "<!-- labtrail export fingerprint: ";

export interface OutputGuard {
  /** The notebook the command reads. */
  input: string;
  /** Whether a design-doc draft may be replaced (export's own output). */
  draftAllowed?: boolean;
}

/** Why `target` must not be written, in one line, or null when it may be. */
export function protectedOutputProblem(target: string, guard: OutputGuard): string | null {
  const resolved = path.resolve(target);
  if (resolved === path.resolve(guard.input) || sameFile(resolved, guard.input)) return "is the input notebook";
  const dir = realDir(path.dirname(resolved));
  if (dir.split(path.sep).some((part) => RECORDS_FOLDER.test(part))) {
    return "is inside a records folder (*.labtrail/), which holds the run history and the recordings";
  }
  if (!guard.draftAllowed && isDraft(resolved)) return "is a design-doc draft (written by labtrail export)";
  return null;
}

/** The folder with its symbolic links resolved, as far as it exists. */
function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

function isDraft(file: string): boolean {
  if (/\.design\.md$/i.test(file)) return true;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return false;
    // The stamp is the last line: the file's tail is enough.
    const tail = Buffer.alloc(Math.min(stat.size, 4096));
    fs.readSync(fd, tail, 0, tail.length, stat.size - tail.length);
    return tail.toString("utf8").includes(DRAFT_STAMP);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
