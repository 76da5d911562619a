/**
 * Header markers as a CodeMirror 6 extension, registered once for every cell editor through
 * JupyterLab's editor extension registry (as jupyterlab-lsp does for its diagnostics). Living in the
 * editor, a marker is there whenever the editor is, which keeps it right in windowed notebooks where
 * cells come and go from the DOM. The first line of an undocumented code cell gets a line class and a
 * compact badge naming what is missing; both follow typing, debounced.
 */
import { RangeSetBuilder, StateEffect, StateField, type Text } from "@codemirror/state";
import type { Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, WidgetType } from "@codemirror/view";
import type { ISharedCell } from "@jupyter/ydoc";
import type { ICellModel } from "@jupyterlab/cells";
import type { CodeEditor } from "@jupyterlab/codeeditor";
import { EditorExtensionRegistry, type IEditorExtensionFactory } from "@jupyterlab/codemirror";
import type { TranslationBundle } from "@jupyterlab/translation";
import { cellHeaderStatus, type CellHeaderStatus } from "labtrail/core";
import { cellHasRun } from "../notebook/undocumented";
import type { ILabtrailPolicies } from "../tokens";
import { markerBadge } from "./marker-badge";

/** How long typing must pause before the marker is recomputed. */
const DEBOUNCE_MS = 250;

const MARKER_LINE_CLASS = "lt-HeaderMarker-line";
const MARKER_BADGE_CLASS = "lt-HeaderMarker-badge";

const setStatus = StateEffect.define<CellHeaderStatus | null>();

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

function decorationsFor(status: CellHeaderStatus | null, doc: Text, trans: TranslationBundle): DecorationSet {
  if (!status || status.documented) return Decoration.none;
  const line = doc.line(Math.min(Math.max(status.line, 1), doc.lines));
  const builder = new RangeSetBuilder<Decoration>();
  builder.add(line.from, line.from, Decoration.line({ class: MARKER_LINE_CLASS, attributes: { title: status.message } }));
  // The message is the core's (shared with `labtrail lint`), so it reaches the cell as the core words it.
  const badge = new BadgeWidget(markerBadge(status, trans), status.message, trans.__("labtrail: %1", status.message));
  builder.add(line.to, line.to, Decoration.widget({ widget: badge, side: 1 }));
  return builder.finish();
}

/** The extension for one cell's editor. */
function headerMarkers(model: ICellModel, policies: ILabtrailPolicies, trans: TranslationBundle): Extension {
  const notebook = (model.sharedModel as ISharedCell).notebook ?? null;
  const statusOf = (source: string): CellHeaderStatus | null => {
    const policy = policies.forNotebook(notebook);
    if (!policy.applies || policy.mode === "off") return null;
    return cellHeaderStatus(source, { hasRun: cellHasRun(model), required: policy.required });
  };

  const field = StateField.define<DecorationSet>({
    create: (state) => decorationsFor(statusOf(state.doc.toString()), state.doc, trans),
    update(decorations, tr) {
      for (const effect of tr.effects) {
        if (effect.is(setStatus)) return decorationsFor(effect.value, tr.state.doc, trans);
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
        this.view.dispatch({ effects: setStatus.of(statusOf(this.view.state.doc.toString())) });
      };
      private readonly refreshSoon = () => {
        window.clearTimeout(this.timer);
        this.timer = window.setTimeout(this.refreshNow, DEBOUNCE_MS);
      };

      constructor(readonly view: EditorView) {
        policies.changed.connect(this.refreshSoon);
        // Running a cell makes Found required: follow the execution count.
        model.stateChanged.connect(this.refreshSoon);
      }

      update(update: { docChanged: boolean }): void {
        if (update.docChanged) this.refreshSoon();
      }

      destroy(): void {
        window.clearTimeout(this.timer);
        policies.changed.disconnect(this.refreshSoon);
        model.stateChanged.disconnect(this.refreshSoon);
      }
    },
  );

  return [field, refresher];
}

/** The registry entry: active for code cells of notebooks only; other editors get nothing. */
export function headerMarkersFactory(policies: ILabtrailPolicies, trans: TranslationBundle): IEditorExtensionFactory<undefined> {
  return {
    name: "labtrail:header-markers",
    factory: ({ model }: { model: CodeEditor.IModel }) => {
      const cell = model as Partial<ICellModel>;
      if (cell.type !== "code" || !(model.sharedModel as Partial<ISharedCell>).notebook) return null;
      return EditorExtensionRegistry.createImmutableExtension(headerMarkers(model as ICellModel, policies, trans));
    },
  };
}
