/**
 * A cell's metrics over its runs, charted by JupyterLab's own Vega-Lite renderer (the rendermime
 * registry's, which follows the light or dark theme) from the core's declarative spec.
 */
import { type IRenderMimeRegistry, MimeModel } from "@jupyterlab/rendermime";
import type { TranslationBundle } from "@jupyterlab/translation";
import { Widget } from "@lumino/widgets";
import { type MetricPoint, metricsChartSpec, VEGALITE_MIME } from "labtrail/core";
import * as React from "react";

/** Room the facet labels and the y axis take beside the plot. */
const AXIS_ROOM = 80;

interface Props {
  points: readonly MetricPoint[];
  rendermime: IRenderMimeRegistry;
  trans: TranslationBundle;
  cellNumber: number;
}

export function MetricsChart({ points, rendermime, trans, cellNumber }: Props): React.ReactElement {
  const host = React.useRef<HTMLDivElement>(null);
  const data = JSON.stringify(points);
  const supported = rendermime.mimeTypes.includes(VEGALITE_MIME);
  React.useEffect(() => {
    const node = host.current;
    if (!node || !supported) return;
    const width = Math.max(100, node.clientWidth - AXIS_ROOM);
    const labels = {
      run: trans.__("run"),
      metric: trans.__("metric"),
      value: trans.__("value"),
      started: trans.__("started"),
      verdict: trans.__("verdict"),
    };
    const spec = metricsChartSpec(JSON.parse(data) as MetricPoint[], labels, width);
    const renderer = rendermime.createRenderer(VEGALITE_MIME);
    Widget.attach(renderer, node);
    void renderer.renderModel(
      new MimeModel({
        data: { [VEGALITE_MIME]: spec as never },
        metadata: { [VEGALITE_MIME]: { embed_options: { actions: false } } },
      }),
    );
    return () => renderer.dispose();
  }, [data, rendermime, supported, trans]);
  if (!supported) return <p className="lt-Log-empty">{trans.__("JupyterLab's Vega-Lite renderer is not available.")}</p>;
  return <div className="lt-LogChart" ref={host} role="img" aria-label={trans.__("Metrics of cell %1 over its runs", cellNumber)} />;
}
