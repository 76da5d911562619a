// The records folder (`<notebook>.labtrail/`) is made beside the notebook, never the notebook's own
// folder: a LABTRAIL_NOTEBOOK that points into a folder that does not exist is a mistake to report,
// not a path to create.
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

export class NotebookFolderMissing extends Error {
  constructor(readonly folder: string) {
    super(`run records and recordings are not kept: the notebook's folder ${folder} does not exist (labtrail does not create it)`);
    this.name = "NotebookFolderMissing";
  }
}

/** Makes the records folder unless it exists; throws NotebookFolderMissing when its parent is missing. */
export function makeRecordsFolder(folder: string): void {
  try {
    mkdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(folder).isDirectory()) return;
    if (code === "ENOENT") throw new NotebookFolderMissing(dirname(folder));
    throw error;
  }
}
