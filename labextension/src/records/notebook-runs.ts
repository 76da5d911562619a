/**
 * The run records of each open notebook: `<notebook>.labtrail/runs.jsonl` read through the contents
 * API and parsed by the core, cached per notebook. After each execution in that notebook the file's
 * `last_modified` is asked for, and the file is read again only when it changed; so it is after a
 * change this frontend makes in the records folder through the contents API (the folder following a
 * renamed notebook, recordings pruned) and after the notebook's own path changes.
 */
import type { ISharedNotebook } from "@jupyter/ydoc";
import { NotebookActions, type Notebook, type NotebookPanel } from "@jupyterlab/notebook";
import type { Contents } from "@jupyterlab/services";
import type { TranslationBundle } from "@jupyterlab/translation";
import { Signal } from "@lumino/signaling";
import { parseRunsJsonl, RUNS_FILE, type RunRecord } from "labtrail/core";
import type { ILabtrailRuns } from "../tokens";
import { recordsFolderPath } from "./records-folder";

interface CachedRuns {
  /** The runs.jsonl path the records were read from: a renamed notebook reads its new one. */
  path: string | null;
  /** The file's last_modified when read; null when there was no file. */
  lastModified: string | null;
  records: readonly RunRecord[];
  /** The read in progress, so reads of one notebook never overlap. */
  reading: Promise<void>;
}

const NONE: readonly RunRecord[] = [];

export class NotebookRuns implements ILabtrailRuns {
  private readonly _changed = new Signal<ILabtrailRuns, ISharedNotebook>(this);
  private readonly _cache = new Map<ISharedNotebook, CachedRuns>();
  private readonly _panels = new Map<Notebook, NotebookPanel>();

  constructor(
    private readonly contents: Contents.IManager,
    private readonly trans: TranslationBundle,
  ) {
    NotebookActions.executed.connect((_, { notebook }) => {
      const panel = this._panels.get(notebook);
      if (panel) void this._refresh(panel);
    });
    contents.fileChanged.connect((_, change) => {
      const paths = [change.oldValue?.path, change.newValue?.path].filter((path): path is string => !!path);
      for (const panel of this._panels.values()) {
        if (!panel.context.isReady) continue;
        const folder = recordsFolderPath(panel.context.path);
        if (paths.some((path) => path === folder || path.startsWith(`${folder}/`))) void this._refresh(panel);
      }
    });
  }

  /** Reads the panel's records again now (when the file changed since the last read). */
  refresh(panel: NotebookPanel): Promise<void> {
    return this._refresh(panel);
  }

  get changed(): Signal<ILabtrailRuns, ISharedNotebook> {
    return this._changed;
  }

  records(notebook: ISharedNotebook | null): readonly RunRecord[] {
    return (notebook && this._cache.get(notebook)?.records) || NONE;
  }

  track(panel: NotebookPanel): void {
    if (this._panels.has(panel.content)) return;
    this._panels.set(panel.content, panel);
    panel.disposed.connect(() => {
      this._panels.delete(panel.content);
      const shared = panel.context.model?.sharedModel;
      if (shared) this._cache.delete(shared);
    });
    panel.context.pathChanged.connect(() => void this._refresh(panel));
    void panel.context.ready.then(() => this._refresh(panel));
  }

  private _refresh(panel: NotebookPanel): Promise<void> {
    if (panel.isDisposed || !panel.context.isReady) return Promise.resolve();
    const shared = panel.context.model.sharedModel;
    let cached = this._cache.get(shared);
    if (!cached) {
      cached = { path: null, lastModified: null, records: NONE, reading: Promise.resolve() };
      this._cache.set(shared, cached);
    }
    const entry = cached;
    entry.reading = entry.reading.then(() => this._read(panel, shared, entry));
    return entry.reading;
  }

  private async _read(panel: NotebookPanel, shared: ISharedNotebook, entry: CachedRuns): Promise<void> {
    const path = `${recordsFolderPath(panel.context.path)}/${RUNS_FILE}`;
    try {
      const lastModified = await this._lastModified(path);
      if (path === entry.path && lastModified === entry.lastModified) return;
      let records = NONE;
      if (lastModified !== null) {
        const model = await this.contents.get(path, { type: "file", format: "text", content: true });
        const runs = parseRunsJsonl(typeof model.content === "string" ? model.content : "");
        if (runs.problems.length > 0) {
          console.warn(this.trans.__("labtrail: %1: %2 line(s) could not be read (%3)", path, runs.problems.length, runs.problems[0]));
        }
        records = runs.records;
      }
      const unchanged = entry.records.length === 0 && records.length === 0;
      Object.assign(entry, { path, lastModified, records });
      if (!unchanged && this._cache.get(shared) === entry) this._changed.emit(shared);
    } catch (reason) {
      console.error(this.trans.__("labtrail: could not read the run records %1", path), reason);
    }
  }

  /** The file's last_modified, or null when there is no such file. */
  private async _lastModified(path: string): Promise<string | null> {
    try {
      return (await this.contents.get(path, { type: "file", content: false })).last_modified;
    } catch (reason) {
      if ((reason as { response?: { status?: number } }).response?.status === 404) return null;
      throw reason;
    }
  }
}
