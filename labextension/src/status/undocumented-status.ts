/**
 * The status bar item "N cells undocumented" for the current notebook, with "M Founds may be stale"
 * when its run records say so; a click moves to the next such cell.
 * Hidden where labtrail does not apply. Counts are recomputed on edits, debounced.
 */
import { NotebookActions } from "@jupyterlab/notebook";
import type { INotebookTracker, NotebookPanel } from "@jupyterlab/notebook";
import type { TranslationBundle } from "@jupyterlab/translation";
import type { CommandRegistry } from "@lumino/commands";
import { Widget } from "@lumino/widgets";
import type { ISharedNotebook } from "@jupyter/ydoc";
import { staleFoundCells, undocumentedCells } from "../notebook/undocumented";
import { CommandIDs, type ILabtrailPolicies, type ILabtrailRuns } from "../tokens";
import { undocumentedLabel } from "./undocumented-label";

const DEBOUNCE_MS = 300;

export class UndocumentedStatus extends Widget {
  private _panel: NotebookPanel | null = null;
  private _timer = 0;

  constructor(
    private readonly tracker: INotebookTracker,
    private readonly policies: ILabtrailPolicies,
    private readonly runs: ILabtrailRuns,
    private readonly commands: CommandRegistry,
    private readonly trans: TranslationBundle,
  ) {
    super();
    this.addClass("lt-UndocumentedStatus");
    this.node.setAttribute("role", "button");
    this.node.tabIndex = 0;
    this.node.addEventListener("click", () => void this.commands.execute(CommandIDs.nextUndocumented));
    this.node.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") void this.commands.execute(CommandIDs.nextUndocumented);
    });
    tracker.currentChanged.connect(this._follow, this);
    policies.changed.connect(this._schedule, this);
    // Running a cell makes Found required.
    NotebookActions.executed.connect(this._schedule, this);
    runs.changed.connect(this._onRuns, this);
    this._follow();
  }

  /** Whether the item has something to say (the status bar shows it only then). */
  get isActive(): boolean {
    return this._panel !== null && this.policies.forPanel(this._panel).applies;
  }

  private _follow(): void {
    const previous = this._panel?.content.model;
    previous?.contentChanged.disconnect(this._schedule, this);
    previous?.cells.changed.disconnect(this._schedule, this);
    this._panel = this.tracker.currentWidget;
    void this._panel?.context.ready.then(() => {
      const model = this._panel?.content.model;
      // Source edits come as content changes; added and deleted cells only as list changes.
      model?.contentChanged.connect(this._schedule, this);
      model?.cells.changed.connect(this._schedule, this);
      this._refresh();
    });
    this._refresh();
  }

  private _onRuns(_: ILabtrailRuns, notebook: ISharedNotebook): void {
    if (notebook === this._panel?.content.model?.sharedModel) this._schedule();
  }

  private _schedule(): void {
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this._refresh(), DEBOUNCE_MS);
  }

  private _refresh(): void {
    const panel = this._panel;
    const model = panel?.content.model;
    if (!panel || !model) {
      this._render(null);
      return;
    }
    const policy = this.policies.forPanel(panel);
    if (!policy.applies) {
      this._render(null);
      return;
    }
    this._render(undocumentedCells(model, policy).length, staleFoundCells(model, policy, this.runs.records(model.sharedModel)).length);
  }

  private _render(count: number | null, stale = 0): void {
    const { text, title } = undocumentedLabel(count, this.trans, stale);
    this.node.textContent = text;
    this.node.title = title;
    this.node.classList.toggle("lt-mod-undocumented", (count ?? 0) + stale > 0);
    this.setHidden(count === null);
  }

  dispose(): void {
    window.clearTimeout(this._timer);
    NotebookActions.executed.disconnect(this._schedule, this);
    this.runs.changed.disconnect(this._onRuns, this);
    super.dispose();
  }
}
