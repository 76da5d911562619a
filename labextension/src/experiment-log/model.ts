/**
 * What the Experiment Log shows, for the notebook in front: its code cells with their run history (the
 * core's view model over the notebook as JupyterLab holds it and its run records, kept up to date by
 * ILabtrailRuns, which re-reads runs.jsonl after each execute_reply), the recordings beside it (read
 * through the contents API when the Recordings section is open) and which cell is selected.
 */
import type { ISharedNotebook } from "@jupyter/ydoc";
import type { INotebookTracker, NotebookPanel } from "@jupyterlab/notebook";
import type { Contents } from "@jupyterlab/services";
import type { IDisposable } from "@lumino/disposable";
import { type ISignal, Signal } from "@lumino/signaling";
import {
  buildLogCells,
  buildRecordingRows,
  type LogCell,
  RECORDINGS_FOLDER,
  type RecordingFile,
  type RecordingRow,
  type RunRecord,
} from "labtrail/core";
import { coreNotebook } from "../notebook/core-notebook";
import { recordsFolderPath } from "../records/records-folder";
import type { ILabtrailPolicies, ILabtrailRuns } from "../tokens";

/** Edits to the notebook (a header typed) reach the view after this pause. */
const EDIT_DEBOUNCE_MS = 250;

export type RecordingsState =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "ready"; rows: RecordingRow[] }
  | { kind: "error"; message: string };

interface CachedFile {
  lastModified: string;
  text: string;
}

export class ExperimentLogModel implements IDisposable {
  private readonly _changed = new Signal<ExperimentLogModel, void>(this);
  private _panel: NotebookPanel | null = null;
  private _cells: LogCell[] = [];
  private _selected: number | null = null;
  private _recordings: RecordingsState = { kind: "idle" };
  /** Whether the Recordings section is shown: only then are the files read. */
  private _recordingsWanted = false;
  private _recordingsRead = 0;
  private readonly _files = new Map<string, CachedFile>();
  private _editTimer: number | undefined;
  private _disposed = false;

  constructor(
    private readonly tracker: INotebookTracker,
    private readonly runs: ILabtrailRuns,
    private readonly policies: ILabtrailPolicies,
    private readonly contents: Contents.IManager,
  ) {
    tracker.currentChanged.connect(this._onCurrentChanged, this);
    runs.changed.connect(this._onRunsChanged, this);
    policies.changed.connect(this._update, this);
    this._onCurrentChanged();
  }

  get changed(): ISignal<ExperimentLogModel, void> {
    return this._changed;
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  /** Whether labtrail applies to the notebook in front (else the log says so and shows nothing). */
  get applies(): boolean {
    return this._panel !== null && this.policies.forPanel(this._panel).applies;
  }

  get cells(): readonly LogCell[] {
    return this._cells;
  }

  /** The 0-based index of the notebook's active cell. */
  get selected(): number | null {
    return this._selected;
  }

  /** The run with number `run` (its 1-based line among the notebook's records), as last read. */
  record(run: number): RunRecord | undefined {
    const panel = this._panel;
    return panel?.context.isReady ? this.runs.records(panel.context.model.sharedModel)[run - 1] : undefined;
  }

  get recordings(): RecordingsState {
    return this._recordings;
  }

  get runsPerCell(): number {
    return this.policies.settings.logRunsPerCell;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._watch(null);
    Signal.clearData(this);
  }

  /** Makes cell `index` the notebook's active cell, selected alone and scrolled into view. */
  async select(index: number): Promise<void> {
    const notebook = this._panel?.content;
    if (!notebook || index < 0 || index >= notebook.widgets.length) return;
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    await notebook.scrollToItem(index, "smart");
  }

  /** The Recordings section is shown (read the files) or hidden (stop reading them). */
  set recordingsWanted(wanted: boolean) {
    this._recordingsWanted = wanted;
    if (wanted) void this.refreshRecordings();
  }

  /** Reads the recordings folder again (unchanged files are not read twice). */
  async refreshRecordings(): Promise<RecordingsState> {
    const panel = this._panel;
    if (!panel?.context.isReady) {
      this._setRecordings({ kind: "idle" });
      return this._recordings;
    }
    const read = ++this._recordingsRead;
    if (this._recordings.kind !== "ready") this._setRecordings({ kind: "loading" });
    const folder = `${recordsFolderPath(panel.context.path)}/${RECORDINGS_FOLDER}`;
    let state: RecordingsState;
    try {
      const files = await this._readRecordings(folder);
      const shared = panel.context.model.sharedModel;
      state = { kind: "ready", rows: buildRecordingRows(coreNotebook(shared), this.runs.records(shared), files) };
    } catch (reason) {
      state = { kind: "error", message: reason instanceof Error ? reason.message : String(reason) };
    }
    // A newer read, or another notebook in front, wins.
    if (read === this._recordingsRead && panel === this._panel) this._setRecordings(state);
    return this._recordings;
  }

  /** The folder the current notebook's recordings are in, or null. */
  recordingsFolder(): string | null {
    return this._panel?.context.isReady ? `${recordsFolderPath(this._panel.context.path)}/${RECORDINGS_FOLDER}` : null;
  }

  private async _readRecordings(folder: string): Promise<RecordingFile[]> {
    let listing: Contents.IModel;
    try {
      listing = await this.contents.get(folder, { type: "directory", content: true });
    } catch (reason) {
      if ((reason as { response?: { status?: number } }).response?.status === 404) return [];
      throw reason;
    }
    const entries = (listing.content as Contents.IModel[]).filter((entry) => entry.type === "file" && /^[^.].*\.json$/.test(entry.name));
    return Promise.all(
      entries.map(async (entry): Promise<RecordingFile> => {
        const cached = this._files.get(entry.path);
        const listed = { name: entry.name, size: entry.size ?? null, lastModified: entry.last_modified };
        if (cached && cached.lastModified === entry.last_modified) return { ...listed, text: cached.text };
        try {
          const model = await this.contents.get(entry.path, { type: "file", format: "text", content: true });
          const text = typeof model.content === "string" ? model.content : "";
          this._files.set(entry.path, { lastModified: model.last_modified, text });
          return { ...listed, size: model.size ?? listed.size, lastModified: model.last_modified, text };
        } catch {
          return listed;
        }
      }),
    );
  }

  private _setRecordings(state: RecordingsState): void {
    this._recordings = state;
    this._changed.emit();
  }

  private _onCurrentChanged(): void {
    const panel = this.tracker.currentWidget;
    if (panel === this._panel) return;
    this._watch(panel);
    this._recordings = { kind: "idle" };
    this._files.clear();
    this._update();
    if (!panel) return;
    void panel.context.ready.then(() => {
      if (panel !== this._panel) return;
      this._update();
      if (this._recordingsWanted) void this.refreshRecordings();
    });
  }

  /** Follows `panel`'s edits and active cell (and stops following the previous one). */
  private _watch(panel: NotebookPanel | null): void {
    const previous = this._panel;
    if (previous && !previous.isDisposed) {
      previous.content.activeCellChanged.disconnect(this._onActiveCell, this);
      previous.content.modelContentChanged.disconnect(this._onEdited, this);
      previous.disposed.disconnect(this._onPanelDisposed, this);
    }
    window.clearTimeout(this._editTimer);
    this._panel = panel;
    this._selected = panel ? panel.content.activeCellIndex : null;
    if (panel) {
      panel.content.activeCellChanged.connect(this._onActiveCell, this);
      panel.content.modelContentChanged.connect(this._onEdited, this);
      panel.disposed.connect(this._onPanelDisposed, this);
    }
  }

  private _onPanelDisposed(): void {
    this._watch(null);
    this._onCurrentChanged();
  }

  private _onActiveCell(): void {
    const index = this._panel ? this._panel.content.activeCellIndex : null;
    if (index === this._selected) return;
    this._selected = index;
    this._changed.emit();
  }

  private _onEdited(): void {
    window.clearTimeout(this._editTimer);
    this._editTimer = window.setTimeout(() => this._update(), EDIT_DEBOUNCE_MS);
  }

  private _onRunsChanged(_: ILabtrailRuns, notebook: ISharedNotebook): void {
    if (this._panel?.context.isReady && notebook === this._panel.context.model.sharedModel) {
      this._update();
      if (this._recordingsWanted) void this.refreshRecordings();
    }
  }

  private _update(): void {
    const panel = this._panel;
    if (panel?.context.isReady && this.policies.forPanel(panel).applies) {
      const shared = panel.context.model.sharedModel;
      this._cells = buildLogCells(coreNotebook(shared), this.runs.records(shared));
    } else {
      this._cells = [];
    }
    this._changed.emit();
  }
}
