/**
 * Header markers as a CodeMirror 6 extension, registered once for every cell editor through
 * JupyterLab's editor extension registry (as jupyterlab-lsp does for its diagnostics). Living in the
 * editor, a marker is there whenever the editor is, which keeps it right in windowed notebooks where
 * cells come and go from the DOM. The first line of an undocumented code cell gets a line class and a
 * compact badge naming what is missing; a Found that may be stale (the notebook's run records drifted
 * after it was written) gets the same on its line. Both follow typing and the records, debounced.
 */
import { RangeSetBuilder, StateEffect, StateField, type Text } from "@codemirror/state";
import type { Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, WidgetType } from "@codemirror/view";
import type { ISharedCell, ISharedNotebook } from "@jupyter/ydoc";
import type { ICellModel } from "@jupyterlab/cells";
import type { CodeEditor } from "@jupyterlab/codeeditor";
import { EditorExtensionRegistry, type IEditorExtensionFactory } from "@jupyterlab/codemirror";
import type { TranslationBundle } from "@jupyterlab/translation";
import { cellHeaderStatus } from "labtrail/core";
import { coreNotebook } from "../notebook/core-notebook";
import { staleFoundMark } from "../notebook/stale-found";
import { cellHasRun } from "../notebook/undocumented";
import type { ILabtrailPolicies, ILabtrailRuns } from "../tokens";
import { markerBadge, staleFoundBadge } from "./marker-badge";

/** How long typing must pause before the marker is recomputed. */
const DEBOUNCE_MS = 250;

const MARKER_LINE_CLASS = "lt-HeaderMarker-line";
const MARKER_BADGE_CLASS = "lt-HeaderMarker-badge";

/** One marked line: its 1-based number, the badge and the core's message (the tooltip). */
interface LineMark {
  line: number;
  badge: string;
  message: string;
}

const setMarks = StateEffect.define<readonly LineMark[]>();

/** A badge with the text of what is missing: text nodes only, so header content is never HTML. */
class BadgeWidget extends WidgetType {
  constructor(
    readonly badge: string,
    readonly message: string,
    readonly ariaLabel: string,
  ) {
    super();
  }

  eq(other: BadgeWidget): boolean {
    return other.badge === this.badge && other.message === this.message && other.ariaLabel === this.ariaLabel;
  }

  toDOM(): HTMLElement {
    const span = document.createElement("span");
    span.className = MARKER_BADGE_CLASS;
    span.textContent = this.badge;
    span.title = this.message;
    span.setAttribute("aria-label", this.ariaLabel);
    return span;
  }

  ignoreEvent(): boolean {
    return false;
  }
}

function decorationsFor(marks: readonly LineMark[], doc: Text, trans: TranslationBundle): DecorationSet {
  if (marks.length === 0) return Decoration.none;
  const builder = new RangeSetBuilder<Decoration>();
  // The builder takes ranges in document order.
  const sorted = [...marks].sort((a, b) => a.line - b.line);
  for (const mark of sorted) {
    const line = doc.line(Math.min(Math.max(mark.line, 1), doc.lines));
    builder.add(line.from, line.from, Decoration.line({ class: MARKER_LINE_CLASS, attributes: { title: mark.message } }));
    // The message is the core's (shared with `labtrail lint`), so it reaches the cell as the core words it.
    const badge = new BadgeWidget(mark.badge, mark.message, trans.__("labtrail: %1", mark.message));
    builder.add(line.to, line.to, Decoration.widget({ widget: badge, side: 1 }));
  }
  return builder.finish();
}

/** The extension for one cell's editor. */
function headerMarkers(model: ICellModel, policies: ILabtrailPolicies, runs: ILabtrailRuns, trans: TranslationBundle): Extension {
  const notebook = (model.sharedModel as ISharedCell).notebook ?? null;
  const marksOf = (source: string): LineMark[] => {
    const policy = policies.forNotebook(notebook);
    if (!policy.applies || policy.mode === "off") return [];
    const marks: LineMark[] = [];
    const status = cellHeaderStatus(source, { hasRun: cellHasRun(model), required: policy.required });
    if (!status.documented) marks.push({ line: status.line, badge: markerBadge(status, trans), message: status.message });
    const records = runs.records(notebook);
    const index = notebook && records.length > 0 ? notebook.cells.indexOf(model.sharedModel as ISharedCell) : -1;
    const stale = index >= 0 && notebook ? staleFoundMark(coreNotebook(notebook), records, index) : null;
    if (stale) marks.push({ line: stale.line, badge: staleFoundBadge(trans), message: stale.message });
    return marks;
  };

  const field = StateField.define<DecorationSet>({
    create: (state) => decorationsFor(marksOf(state.doc.toString()), state.doc, trans),
    update(decorations, tr) {
      for (const effect of tr.effects) {
        if (effect.is(setMarks)) return decorationsFor(effect.value, tr.state.doc, trans);
      }
      return tr.docChanged ? decorations.map(tr.changes) : decorations;
    },
    provide: (f) => EditorView.decorations.from(f),
  });

  const refresher = ViewPlugin.fromClass(
    class {
      private timer = 0;
      private readonly refreshNow = () => {
        window.clearTimeout(this.timer);
        this.timer = 0;
        this.view.dispatch({ effects: setMarks.of(marksOf(this.view.state.doc.toString())) });
      };
      private readonly refreshSoon = () => {
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(this.refreshNow, DEBOUNCE_MS);
      };
      private readonly onRuns = (_: ILabtrailRuns, changed: ISharedNotebook) => {
        if (changed === notebook) this.refreshSoon();
      };

      constructor(readonly view: EditorView) {
        policies.changed.connect(this.refreshSoon);
        // Running a cell makes Found required: follow the execution count.
        model.stateChanged.connect(this.refreshSoon);
        // New records, or a "Found still holds" written into the metadata, change the stale check.
        runs.changed.connect(this.onRuns);
        model.metadataChanged.connect(this.refreshSoon);
      }

      update(update: { docChanged: boolean }): void {
        if (update.docChanged) this.refreshSoon();
      }

      destroy(): void {
        window.clearTimeout(this.timer);
        policies.changed.disconnect(this.refreshSoon);
        model.stateChanged.disconnect(this.refreshSoon);
        runs.changed.disconnect(this.onRuns);
        model.metadataChanged.disconnect(this.refreshSoon);
      }
    },
  );

  return [field, refresher];
}

/** The registry entry: active for code cells of notebooks only; other editors get nothing. */
export function headerMarkersFactory(
  policies: ILabtrailPolicies,
  runs: ILabtrailRuns,
  trans: TranslationBundle,
): IEditorExtensionFactory<undefined> {
  return {
    name: "labtrail:header-markers",
    factory: ({ model }: { model: CodeEditor.IModel }) => {
      const cell = model as Partial<ICellModel>;
      if (cell.type !== "code" || !(model.sharedModel as Partial<ISharedCell>).notebook) return null;
      return EditorExtensionRegistry.createImmutableExtension(headerMarkers(model as ICellModel, policies, runs, trans));
    },
  };
}
