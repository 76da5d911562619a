/**
 * Run verdicts on cells, one object per notebook (a document widget extension, as
 * jupyterlab-execute-time does). It reads each execute_reply the notebook's kernel sends, stores the
 * verdict in the cell's metadata (so it travels with the notebook) and keeps a badge on every cell
 * that has one, with per-cell listeners in a map keyed by cell id.
 */
import type { Cell, ICellModel, ICodeCellModel } from "@jupyterlab/cells";
import type { DocumentRegistry } from "@jupyterlab/docregistry";
import type { INotebookModel, NotebookPanel } from "@jupyterlab/notebook";
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import type { TranslationBundle } from "@jupyterlab/translation";
import type { IDisposable } from "@lumino/disposable";
import { CELL_METADATA_KEY, cellVerdict, describeVerdict, verdictFromReply, withCellVerdict } from "./verdict-metadata";

const VERDICT_BADGE_CLASS = "lt-VerdictBadge";

export class VerdictBadgesExtension implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  constructor(private readonly trans: TranslationBundle) {}

  createNew(panel: NotebookPanel): IDisposable {
    return new NotebookVerdicts(panel, this.trans);
  }
}

class NotebookVerdicts implements IDisposable {
  private _kernel: Kernel.IKernelConnection | null = null;
  private readonly _cellListeners = new Map<string, () => void>();
  private _disposed = false;

  constructor(
    private readonly panel: NotebookPanel,
    private readonly trans: TranslationBundle,
  ) {
    panel.sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    this._onKernelChanged();
    void panel.context.ready.then(() => {
      if (this._disposed) return;
      panel.content.model?.cells.changed.connect(this._syncCells, this);
      // Cell widgets render lazily in windowed notebooks: badge them as they appear.
      panel.content.cellInViewportChanged.connect((_, cell) => this._renderWidget(cell));
      this._syncCells();
    });
    panel.disposed.connect(() => this.dispose());
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._kernel?.anyMessage.disconnect(this._onMessage, this);
    this.panel.sessionContext.kernelChanged.disconnect(this._onKernelChanged, this);
    for (const disconnect of this._cellListeners.values()) disconnect();
    this._cellListeners.clear();
  }

  private _onKernelChanged(): void {
    this._kernel?.anyMessage.disconnect(this._onMessage, this);
    this._kernel = this.panel.sessionContext.session?.kernel ?? null;
    this._kernel?.anyMessage.connect(this._onMessage, this);
  }

  private _onMessage(_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    if (args.direction !== "recv" || args.msg.header.msg_type !== "execute_reply") return;
    const found = verdictFromReply((args.msg as KernelMessage.IExecuteReplyMsg).metadata);
    const model = this.panel.content.model;
    if (!found?.cellId || !model) return;
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      if (cell.id !== found.cellId) continue;
      const existing = cell.getMetadata(CELL_METADATA_KEY);
      // The key also holds the user's "Found still holds": a new verdict keeps it.
      const next = withCellVerdict(existing, found.verdict);
      if (JSON.stringify(existing) !== JSON.stringify(next)) cell.setMetadata(CELL_METADATA_KEY, next);
      return;
    }
  }

  /** Listens to the metadata of cells that arrived and forgets the ones that left. */
  private _syncCells(): void {
    const model = this.panel.content.model;
    if (!model) return;
    const present = new Set<string>();
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      present.add(cell.id);
      if (this._cellListeners.has(cell.id)) continue;
      const onMetadata = () => this._render(cell);
      // A cell that has not run in this kernel (its prompt back to `[ ]:` after a restart and an
      // aborted Run All) shows no verdict from an earlier kernel: follow its execution count and state too
      // (an aborted cell's count can change with no executionCount event of its own).
      const onState = (_: ICellModel, change: { name: string }) => {
        if (change.name === "executionCount" || change.name === "executionState") this._render(cell);
      };
      cell.metadataChanged.connect(onMetadata);
      if (isCodeCellModel(cell)) cell.stateChanged.connect(onState);
      this._cellListeners.set(cell.id, () => {
        cell.metadataChanged.disconnect(onMetadata);
        if (isCodeCellModel(cell)) cell.stateChanged.disconnect(onState);
      });
    }
    for (const [id, disconnect] of this._cellListeners) {
      if (present.has(id)) continue;
      disconnect();
      this._cellListeners.delete(id);
    }
    this._renderAll();
  }

  private _renderAll(): void {
    for (const widget of this.panel.content.widgets) this._renderWidget(widget);
  }

  private _render(cellModel: ICellModel): void {
    const widget = this.panel.content.widgets.find((cell) => cell.model === cellModel);
    if (widget) this._renderWidget(widget);
  }

  private _renderWidget(widget: Cell): void {
    const verdict = cellVerdict(widget.model.getMetadata(CELL_METADATA_KEY));
    const notRun = isCodeCellModel(widget.model) && widget.model.executionCount === null;
    let badge = widget.node.querySelector<HTMLElement>(`:scope > .${VERDICT_BADGE_CLASS}`);
    // The badge lets clicks and drags through to the input prompt under it (pointer-events: none),
    // so the prompt carries the tooltip.
    const prompt = widget.inputArea?.promptNode ?? null;
    if (!verdict || notRun) {
      badge?.remove();
      if (prompt?.dataset.ltVerdictTitle) {
        prompt.removeAttribute("title");
        delete prompt.dataset.ltVerdictTitle;
      }
      return;
    }
    if (!badge) {
      badge = document.createElement("div");
      badge.className = VERDICT_BADGE_CLASS;
      widget.node.appendChild(badge);
    }
    const { label, tooltip } = describeVerdict(verdict, this.trans);
    badge.dataset.verdict = verdict.verdict;
    badge.textContent = label;
    badge.title = tooltip;
    if (prompt) {
      prompt.title = tooltip;
      prompt.dataset.ltVerdictTitle = "true";
    }
  }
}

function isCodeCellModel(model: ICellModel): model is ICodeCellModel {
  return model.type === "code";
}
