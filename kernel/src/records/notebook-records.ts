// Where the notebook the kernel serves keeps its records now. The notebook can be renamed or moved
// while the kernel runs: its records folder moves with it (or is copied, when the old notebook is still
// there, as after Save As), and the run store and the recordings are opened anew at the new place, so
// the next lookup of a recorded answer reads the moved file and no cache keyed by the old folder
// survives. Records already written keep the name they were written under; new ones name the new file.
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { recordsFolderName, type Redactor } from "../core";
import { fileError } from "../files/file-errors";
import { findOrphanRecords, savedCellIds } from "./orphan-records";
import { finishAdoptions, moveRecordsFolder } from "./records-move";
import { Recordings } from "./recordings";
import { RunStore } from "./run-store";

/** The records folder of a notebook file: `<name>.labtrail/` beside it. */
export function recordsFolderOf(notebook: string): string {
  return join(dirname(notebook), recordsFolderName(basename(notebook)));
}

interface Place {
  notebook: string;
  folder: string;
  store: RunStore;
  recordings: Recordings;
}

export class NotebookRecords {
  private place: Place;
  /** Folders this kernel moved the records out of, with their notebooks: a kernel that still writes there is caught up with. */
  private readonly left = new Map<string, string>();
  /** Whether an orphaned folder was looked for since the notebook got its current path. */
  private orphansChecked = false;
  /** A move that failed, said once per target. */
  private failedTarget: string | null = null;

  constructor(
    notebook: string,
    private readonly redactor: Redactor,
    private readonly log: (text: string) => void,
  ) {
    this.place = this.open(notebook);
  }

  /** The notebook file, absolute. */
  get notebook(): string {
    return this.place.notebook;
  }

  /** The notebook's file name, as records name it. */
  get notebookName(): string {
    return basename(this.place.notebook);
  }

  get folder(): string {
    return this.place.folder;
  }

  get store(): RunStore {
    return this.place.store;
  }

  get recordings(): Recordings {
    return this.place.recordings;
  }

  /**
   * The notebook is now at `notebook` (absolute): its records folder follows, merged into one that is
   * there already. Throws one clear line when the move fails; the records then stay where they were.
   */
  follow(notebook: string): void {
    const from = this.place;
    if (notebook === from.notebook) return;
    const to = recordsFolderOf(notebook);
    // The old notebook still there means a copy (Save As): it keeps its history, the new one gets a copy.
    const keepSource = existsSync(from.notebook);
    let outcome: string;
    try {
      outcome = moveRecordsFolder(from.folder, to, { keepSource, redactor: this.redactor });
    } catch (error) {
      if (this.failedTarget === to) return;
      this.failedTarget = to;
      throw new Error(`cannot move the run records from ${from.folder} to ${to}: ${fileError(error)}; they stay in ${from.folder}`);
    }
    this.failedTarget = null;
    if (!keepSource) this.left.set(from.folder, from.notebook);
    this.left.delete(to);
    this.place = this.open(notebook);
    this.log(`notebook now ${notebook}: run records and recordings ${outcome === "nothing" ? "start" : outcome} in ${to}`);
  }

  /**
   * Before a run: takes in records another kernel (still serving the old path) wrote since the folder
   * moved, and, while the notebook has no records folder, the one it left behind when it was renamed
   * with no kernel watching (found by its cells: `cellId`, and the ids saved in the notebook).
   */
  catchUp(cellId: string | null): void {
    for (const [folder, notebook] of this.left) {
      if (existsSync(notebook)) {
        this.left.delete(folder); // a new notebook of that name now owns it
        continue;
      }
      if (existsSync(folder)) this.takeIn(folder, "caught up with records written under the old name");
    }
    if (this.orphansChecked || existsSync(this.place.folder)) return;
    this.orphansChecked = true;
    const cells = new Set(savedCellIds(this.place.notebook));
    if (cellId) cells.add(cellId);
    const orphan = findOrphanRecords(this.place.notebook, cells);
    if (orphan) this.takeIn(orphan, "adopted the records folder of this notebook's old name");
  }

  private takeIn(folder: string, what: string): void {
    try {
      moveRecordsFolder(folder, this.place.folder, { keepSource: false, redactor: this.redactor });
    } catch (error) {
      throw new Error(`cannot move the run records from ${folder} to ${this.place.folder}: ${fileError(error)}`);
    }
    this.place = this.open(this.place.notebook);
    this.log(`${what}: ${folder} → ${this.place.folder}`);
  }

  private open(notebook: string): Place {
    const folder = recordsFolderOf(notebook);
    try {
      const finished = finishAdoptions(folder, this.redactor);
      if (finished > 0) this.log(`finished ${finished} interrupted move${finished === 1 ? "" : "s"} of run records into ${folder}`);
    } catch (error) {
      this.log(`cannot finish an interrupted move of run records into ${folder}: ${fileError(error)}`);
    }
    if (notebook !== this.place?.notebook) this.orphansChecked = false;
    return { notebook, folder, store: new RunStore(folder), recordings: new Recordings(folder, this.redactor) };
  }
}
