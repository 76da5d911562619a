/**
 * A `%%ask` cell's body is a prompt, not TypeScript: its editor highlights it as Markdown, and goes
 * back to the notebook's language when the magic goes (the way jupyterlab-lsp highlights cell
 * magics). One object per notebook, following its cells' sources and the notebook's own mimetype.
 */
import type { ICellModel } from "@jupyterlab/cells";
import type { IEditorLanguageRegistry } from "@jupyterlab/codemirror";
import type { DocumentRegistry } from "@jupyterlab/docregistry";
import type { INotebookModel, NotebookPanel } from "@jupyterlab/notebook";
import type { IDisposable } from "@lumino/disposable";
import { cellMagicName } from "labtrail/core";
import type { ILabtrailPolicies } from "../tokens";

/** The editor language of each cell magic's body. */
const MAGIC_BODY_MIMETYPES: Readonly<Record<string, string>> = { ask: "text/x-markdown" };

export class MagicCellLanguageExtension implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  constructor(
    private readonly policies: ILabtrailPolicies,
    private readonly languages: IEditorLanguageRegistry,
  ) {}

  createNew(panel: NotebookPanel): IDisposable {
    return new NotebookMagicLanguage(panel, this.policies, this.languages);
  }
}

class NotebookMagicLanguage implements IDisposable {
  private readonly _cellListeners = new Map<string, () => void>();
  private _disposed = false;

  constructor(
    private readonly panel: NotebookPanel,
    private readonly policies: ILabtrailPolicies,
    private readonly languages: IEditorLanguageRegistry,
  ) {
    void panel.context.ready.then(() => {
      if (this._disposed) return;
      panel.content.model?.cells.changed.connect(this._syncCells, this);
      policies.changed.connect(this._updateAll, this);
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
    this.policies.changed.disconnect(this._updateAll, this);
    for (const disconnect of this._cellListeners.values()) disconnect();
    this._cellListeners.clear();
  }

  private _syncCells(): void {
    const model = this.panel.content.model;
    if (!model) return;
    const present = new Set<string>();
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      present.add(cell.id);
      if (cell.type !== "code" || this._cellListeners.has(cell.id)) continue;
      const update = () => this._update(cell);
      // The notebook resets every code cell's mimetype when its kernel's language arrives: re-apply.
      cell.sharedModel.changed.connect(update);
      cell.mimeTypeChanged.connect(update);
      this._cellListeners.set(cell.id, () => {
        cell.sharedModel.changed.disconnect(update);
        cell.mimeTypeChanged.disconnect(update);
      });
      this._update(cell);
    }
    for (const [id, disconnect] of this._cellListeners) {
      if (present.has(id)) continue;
      disconnect();
      this._cellListeners.delete(id);
    }
  }

  private _updateAll(): void {
    const model = this.panel.content.model;
    for (let i = 0; i < (model?.cells.length ?? 0); i++) this._update(model!.cells.get(i));
  }

  private _wanted(cell: ICellModel): string {
    const magic = this.policies.forPanel(this.panel).applies ? cellMagicName(cell.sharedModel.getSource()) : null;
    return (magic && MAGIC_BODY_MIMETYPES[magic]) || this.panel.content.codeMimetype;
  }

  private _update(cell: ICellModel): void {
    if (cell.type !== "code" || cell.isDisposed) return;
    const code = this.panel.content.codeMimetype;
    const wanted = this._wanted(cell);
    if (cell.mimeType === wanted) return;
    if (wanted === code) {
      cell.mimeType = wanted;
      return;
    }
    // The editor applies each mimetype when its language has loaded, latest load last, not latest
    // change last: switch once the notebook's language (just set by the notebook) is loaded, so
    // TypeScript arriving late cannot win over the magic's language.
    void this.languages
      .getLanguage(code)
      .catch(() => null)
      .then(() => {
        if (!cell.isDisposed && cell.mimeType !== this._wanted(cell)) cell.mimeType = this._wanted(cell);
      });
  }
}
