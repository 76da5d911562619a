/**
 * The Experiment Log's Cells section: each code cell with its header and latest verdict, then its
 * newest runs (time, duration, verdict, metrics, model calls). A cell or a run is one focusable item:
 * click, Enter or Space selects the cell in the notebook; ↑/↓ move between items. The notebook's
 * active cell is the selected item. Everything shown is text (React escapes it), never HTML.
 */
import { Time } from "@jupyterlab/coreutils";
import type { TranslationBundle } from "@jupyterlab/translation";
import { ReactWidget, UseSignal } from "@jupyterlab/ui-components";
import type { IRenderMimeRegistry } from "@jupyterlab/rendermime";
import { compareRuns, formatDuration, formatMetric, type LogRun, metricSeries, type RerunVerdictKind } from "labtrail/core";
import * as React from "react";
import { describeVerdict } from "../notebook/verdict-metadata";
import type { ExperimentLogModel } from "./model";
import { CompareView } from "./compare-view";
import { EvaluationsView } from "./evaluations-view";
import { MetricsChart } from "./metrics-chart";
import { formatUsage } from "./usage";

export class CellsView extends ReactWidget {
  constructor(
    private readonly model: ExperimentLogModel,
    private readonly trans: TranslationBundle,
    /** JupyterLab's renderers; the metrics chart needs its Vega-Lite one (none: no chart). */
    private readonly rendermime: IRenderMimeRegistry | null = null,
  ) {
    super();
    this.addClass("lt-LogCells");
    this.title.label = trans.__("Cells");
  }

  protected render(): React.ReactElement {
    // Keyed by the notebook: what is expanded, charted or marked for comparison is per notebook.
    return (
      <UseSignal signal={this.model.changed}>
        {() => <CellsList key={this.model.panel?.id ?? ""} model={this.model} trans={this.trans} rendermime={this.rendermime} />}
      </UseSignal>
    );
  }
}

interface CellsListProps {
  model: ExperimentLogModel;
  trans: TranslationBundle;
  rendermime: IRenderMimeRegistry | null;
}

function CellsList({ model, trans, rendermime }: CellsListProps): React.ReactElement {
  const [expanded, setExpanded] = React.useState<ReadonlySet<string>>(new Set());
  const [charted, setCharted] = React.useState<ReadonlySet<string>>(new Set());
  const [evaluationsShown, setEvaluationsShown] = React.useState<ReadonlySet<string>>(new Set());
  /** Per cell, the runs marked for comparison (at most two; a third replaces the first). */
  const [marked, setMarked] = React.useState<ReadonlyMap<string, readonly number[]>>(new Map());
  const mark = (key: string, run: number) => {
    const runs = marked.get(key) ?? [];
    const next = runs.includes(run) ? runs.filter((r) => r !== run) : [...runs, run].slice(-2);
    setMarked(new Map([...marked, [key, next]]));
  };
  const toggle = (set: ReadonlySet<string>, key: string) => {
    const next = new Set(set);
    if (!next.delete(key)) next.add(key);
    return next;
  };
  const list = React.useRef<HTMLUListElement>(null);
  const selected = model.selected;
  // The notebook's active cell scrolls its item into view.
  React.useEffect(() => {
    const item = list.current?.querySelector<HTMLElement>(`[data-cell-index="${selected}"]`);
    item?.scrollIntoView?.({ block: "nearest" });
  }, [selected]);

  if (!model.panel) return <p className="lt-Log-empty">{trans.__("Open a notebook to see its experiment log.")}</p>;
  if (!model.applies)
    return <p className="lt-Log-empty">{trans.__("labtrail does not apply to this notebook (its kernel is not a labtrail kernel).")}</p>;
  if (model.cells.length === 0) return <p className="lt-Log-empty">{trans.__("This notebook has no code cells.")}</p>;

  const onKeyDown = (event: React.KeyboardEvent<HTMLElement>, index: number) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      void model.select(index);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const items = [...(list.current?.querySelectorAll<HTMLElement>(".lt-LogItem") ?? [])];
      const at = items.indexOf(event.currentTarget);
      items[at + (event.key === "ArrowDown" ? 1 : -1)]?.focus();
    }
  };

  return (
    <ul className="lt-LogCellList" ref={list} aria-label={trans.__("Code cells and their runs")}>
      {model.cells.map((cell) => {
        const key = cell.id ?? `#${cell.index}`;
        const all = expanded.has(key);
        const shown = all ? cell.runs : cell.runs.slice(0, model.runsPerCell);
        const isSelected = cell.index === selected;
        const points = rendermime ? metricSeries(cell) : [];
        const chartShown = charted.has(key) && points.length > 0;
        // The newest run that evaluated something: its evaluations, one click away.
        const evaluated = cell.runs.find((run) => run.evaluations.length > 0);
        const evaluatedRecord = evaluated && evaluationsShown.has(key) ? model.record(evaluated.run) : undefined;
        const compared = marked.get(key) ?? [];
        const [first, second] = compared.map((run) => model.record(run));
        const comparison =
          compared.length === 2 && first && second
            ? compareRuns({ run: compared[0], record: first }, { run: compared[1], record: second })
            : null;
        return (
          <li key={key} className={`lt-LogCell${isSelected ? " lt-mod-selected" : ""}`} data-cell-index={cell.index}>
            <button
              type="button"
              className="lt-LogItem lt-LogCell-header"
              aria-current={isSelected ? "true" : undefined}
              title={trans.__("Go to cell %1", cell.number)}
              onClick={() => void model.select(cell.index)}
              onKeyDown={(event) => onKeyDown(event, cell.index)}
            >
              <span className="lt-LogCell-title">
                <span className="lt-LogCell-number">{trans.__("Cell %1", cell.number)}</span>
                <VerdictBadge kind={cell.latest} trans={trans} />
                <span className="lt-LogCell-count">{trans._n("%1 run", "%1 runs", cell.runs.length)}</span>
              </span>
              <HeaderField label={trans.__("Tested")} value={cell.tested} missing={trans.__("no Tested line")} />
              <HeaderField
                label={trans.__("Found")}
                value={cell.found}
                missing={cell.runs.length > 0 ? trans.__("no Found line") : undefined}
              />
              {cell.headerVerdict !== undefined && <HeaderField label={trans.__("Verdict")} value={cell.headerVerdict} />}
            </button>
            {shown.length > 0 && (
              <ol className="lt-LogRuns" aria-label={trans.__("Runs of cell %1, newest first", cell.number)}>
                {shown.map((run) => (
                  <li key={run.run} data-run={run.run}>
                    <button
                      type="button"
                      className="lt-LogItem lt-LogRun"
                      title={trans.__("Go to cell %1", cell.number)}
                      onClick={() => void model.select(cell.index)}
                      onKeyDown={(event) => onKeyDown(event, cell.index)}
                    >
                      <RunRow run={run} trans={trans} />
                    </button>
                    {cell.runs.length > 1 && (
                      <button
                        type="button"
                        className="lt-LogCompareToggle jp-Button jp-mod-minimal"
                        aria-pressed={compared.includes(run.run)}
                        title={trans.__("Mark run %1 to compare it with another run of this cell", run.run)}
                        onClick={() => mark(key, run.run)}
                      >
                        {trans.__("Compare")}
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            )}
            {comparison && <CompareView comparison={comparison} trans={trans} onClose={() => setMarked(new Map([...marked, [key, []]]))} />}
            {points.length > 0 && (
              <button
                type="button"
                className="lt-LogMore lt-LogChartToggle jp-Button jp-mod-minimal"
                aria-expanded={chartShown}
                onClick={() => setCharted(toggle(charted, key))}
              >
                {chartShown ? trans.__("Hide metrics chart") : trans.__("Chart metrics over runs")}
              </button>
            )}
            {chartShown && rendermime && <MetricsChart points={points} rendermime={rendermime} trans={trans} cellNumber={cell.number} />}
            {evaluated && (
              <button
                type="button"
                className="lt-LogMore lt-LogEvaluationsToggle jp-Button jp-mod-minimal"
                aria-expanded={evaluatedRecord !== undefined}
                onClick={() => setEvaluationsShown(toggle(evaluationsShown, key))}
              >
                {evaluatedRecord
                  ? trans.__("Hide evaluations")
                  : evaluated.evaluations.length === 1
                    ? trans.__("Show evaluation “%1” (run %2)", evaluated.evaluations[0], evaluated.run)
                    : trans.__("Show %1 evaluations (run %2)", evaluated.evaluations.length, evaluated.run)}
              </button>
            )}
            {evaluated && evaluatedRecord && (
              <EvaluationsView record={evaluatedRecord} run={evaluated.run} rendermime={rendermime} trans={trans} />
            )}
            {cell.runs.length > shown.length && (
              <button
                type="button"
                className="lt-LogMore jp-Button jp-mod-minimal"
                onClick={() => setExpanded(new Set([...expanded, key]))}
              >
                {trans._n("Show %1 earlier run", "Show %1 earlier runs", cell.runs.length - shown.length)}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function HeaderField({ label, value, missing }: { label: string; value: string | undefined; missing?: string }): React.ReactElement | null {
  if (value === undefined && missing === undefined) return null;
  return (
    <span className="lt-LogCell-field">
      <span className="lt-LogCell-key">{label}</span>{" "}
      {value !== undefined ? <span className="lt-LogCell-value">{value}</span> : <span className="lt-LogCell-missing">{missing}</span>}
    </span>
  );
}

function VerdictBadge({ kind, trans }: { kind: RerunVerdictKind | null; trans: TranslationBundle }): React.ReactElement {
  if (kind === null)
    return (
      <span className="lt-LogVerdict" data-verdict="none">
        {trans.__("not run")}
      </span>
    );
  return (
    <span className="lt-LogVerdict" data-verdict={kind}>
      {describeVerdict({ verdict: kind }, trans).label}
    </span>
  );
}

function RunRow({ run, trans }: { run: LogRun; trans: TranslationBundle }): React.ReactElement {
  const started = new Date(run.startedAt);
  const valid = Number.isFinite(started.getTime());
  const metrics = Object.entries(run.metrics);
  return (
    <>
      <span className="lt-LogRun-line">
        <time className="lt-LogRun-time" dateTime={run.startedAt} title={valid ? Time.format(started) : run.startedAt}>
          {valid ? Time.formatHuman(started) : run.startedAt}
        </time>
        <span className="lt-LogRun-duration">{formatDuration(run.durationMs)}</span>
        <VerdictBadge kind={run.verdict} trans={trans} />
        <span className="lt-LogRun-number">{trans.__("run %1", run.run)}</span>
      </span>
      {run.error !== null && <span className="lt-LogRun-error">{run.error}</span>}
      {run.verdict === "drifted" && (
        <span className="lt-LogRun-summary" title={run.summary}>
          {run.summary}
        </span>
      )}
      {metrics.length > 0 && (
        <span className="lt-LogRun-metrics">
          {metrics.map(([name, value]) => (
            <span key={name} className="lt-LogRun-metric">
              <span className="lt-LogRun-metricName">{name}</span>
              <span className="lt-LogRun-metricValue" title={String(value)}>
                {formatMetric(value)}
              </span>
            </span>
          ))}
        </span>
      )}
      {run.models.map((usage) => (
        <span
          key={usage.model}
          className="lt-LogRun-model"
          data-calls={usage.replayed === usage.calls ? "replayed" : usage.replayed === 0 ? "live" : "mixed"}
        >
          {formatUsage(usage, trans)}
        </span>
      ))}
    </>
  );
}
