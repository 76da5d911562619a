/**
 * A notebook renamed or moved in JupyterLab (File → Rename, a drag in the file browser, the contents
 * API) takes its records folder `<name>.labtrail/` with it at once, through the contents API: its run
 * records and recordings are where the notebook is before any cell runs, whether or not a kernel runs
 * it, so an export or the Experiment Log sees them.
 *
 * Only when the destination is free. When it is not (a folder of that name is there already), both
 * stay as they are and nothing is overwritten: a kernel that still serves the notebook under its old
 * name merges the two at its next run (kernel/src/records/records-move.ts), and the user is told.
 * When the kernel itself finds the folder already moved, it has nothing to move and opens it in place.
 */
import { Notification } from "@jupyterlab/apputils";
import type { Contents } from "@jupyterlab/services";
import type { TranslationBundle } from "@jupyterlab/translation";
import type { IDisposable } from "@lumino/disposable";
import { recordsFolderMove } from "./records-folder";

/**
 * How long a move waits after the notebook's rename: a drag of the notebook together with its folder
 * renames both at once, and the file browser's own rename of the folder should land first (the move
 * then finds nothing to do) rather than fail on a folder moved under it.
 */
const SETTLE_MS = 300;

export class RecordsFollower implements IDisposable {
  private _disposed = false;
  /** Moves run one after another, in the order of the renames. */
  private _queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly contents: Contents.IManager,
    private readonly trans: TranslationBundle,
  ) {
    contents.fileChanged.connect(this._onFileChanged, this);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.contents.fileChanged.disconnect(this._onFileChanged, this);
  }

  /** Settles once every move asked for so far is done (for tests and callers that read right after). */
  get idle(): Promise<void> {
    return this._queue;
  }

  private _onFileChanged(_: Contents.IManager, change: Contents.IChangedArgs): void {
    if (change.type !== "rename") return;
    const move = recordsFolderMove(change.oldValue?.path, change.newValue?.path);
    if (!move) return;
    this._queue = this._queue.then(async () => {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      await this._move(move.from, move.to);
    });
  }

  private async _move(from: string, to: string): Promise<void> {
    try {
      if ((await this._type(from)) !== "directory") return; // nothing recorded yet
      if ((await this._type(to)) !== null) {
        Notification.warning(
          this.trans.__(
            "%1 exists already, so the run records in %2 stayed where they are; a kernel still running the notebook merges them at its next run.",
            to,
            from,
          ),
          { autoClose: false },
        );
        return;
      }
      await this.contents.rename(from, to);
    } catch (reason) {
      // 404: gone meanwhile (the kernel moved it first); 409: the destination appeared. Nothing is lost either way.
      const status = (reason as { response?: { status?: number } }).response?.status;
      if (status === 404 || status === 409) return;
      console.error(this.trans.__("labtrail: could not move the run records %1 to %2", from, to), reason);
      Notification.error(this.trans.__("Could not move the run records %1 to %2; they stay in %1.", from, to), { autoClose: false });
    }
  }

  /** The type of what is at `path`, or null when nothing is. */
  private async _type(path: string): Promise<string | null> {
    try {
      return (await this.contents.get(path, { content: false })).type;
    } catch (reason) {
      if ((reason as { response?: { status?: number } }).response?.status === 404) return null;
      throw reason;
    }
  }
}
