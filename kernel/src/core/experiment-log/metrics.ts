/**
 * Metrics over runs: the numeric values a cell passed to `record()`, run by run, and the declarative
 * Vega-Lite spec that charts them (rendered in JupyterLab by its own Vega renderer, never drawn by
 * hand). One small chart per metric, stacked, each with its own scale. Pure and browser-safe.
 */
import type { LogCell } from "./cells";

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

export interface MetricPoint {
  metric: string;
  run: number;
  startedAt: string;
  value: number;
  verdict: string;
}

/** The cell's numeric metrics, oldest run first; only metrics with at least two points (a line needs two). */
export function metricSeries(cell: Pick<LogCell, "runs">): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const run of [...cell.runs].reverse()) {
    for (const [metric, value] of Object.entries(run.metrics)) {
      if (typeof value === "number" && Number.isFinite(value)) {
        points.push({ metric, run: run.run, startedAt: run.startedAt, value, verdict: run.verdict });
      }
    }
  }
  const counts = new Map<string, number>();
  for (const point of points) counts.set(point.metric, (counts.get(point.metric) ?? 0) + 1);
  return points.filter((point) => (counts.get(point.metric) ?? 0) >= 2);
}

export interface ChartLabels {
  run: string;
  metric: string;
  value: string;
  started: string;
  verdict: string;
}

/** A Vega-Lite v5 spec: per metric a line over the runs, points with a tooltip. */
export function metricsChartSpec(points: readonly MetricPoint[], labels: ChartLabels, width = 200): Record<string, unknown> {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    data: { values: points },
    facet: { row: { field: "metric", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start" } } },
    resolve: { scale: { y: "independent" } },
    spacing: 6,
    spec: {
      width,
      height: 60,
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "run", type: "ordinal", title: labels.run, axis: { labelAngle: 0 } },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        tooltip: [
          { field: "metric", type: "nominal", title: labels.metric },
          { field: "value", type: "quantitative", title: labels.value },
          { field: "run", type: "ordinal", title: labels.run },
          { field: "startedAt", type: "temporal", title: labels.started, format: "%Y-%m-%d %H:%M:%S" },
          { field: "verdict", type: "nominal", title: labels.verdict },
        ],
      },
    },
    config: { background: null, view: { stroke: null }, axis: { labelFontSize: 9, titleFontSize: 9 } },
  };
}
