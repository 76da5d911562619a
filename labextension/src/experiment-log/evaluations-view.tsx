/**
 * A run's evaluate() results in the Experiment Log: for each evaluation, its variants' summaries side by
 * side with the chart of their score means, and each variant's items × scores table (failures marked),
 * as the core's evaluation renderer draws them in the cell (labtrail/core logEvaluations), shown by
 * JupyterLab's own renderers as untrusted output (HTML sanitized; the core escapes every string as
 * well); without rendermime, the renderer's text.
 */
import { type IRenderMimeRegistry, MimeModel } from "@jupyterlab/rendermime";
import type { TranslationBundle } from "@jupyterlab/translation";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import { Widget } from "@lumino/widgets";
import { type Bundle, logEvaluations, type RunRecord } from "labtrail/core";
import * as React from "react";

const TEXT = "text/plain";

interface Props {
  record: RunRecord;
  run: number;
  rendermime: IRenderMimeRegistry | null;
  trans: TranslationBundle;
}

export function EvaluationsView({ record, run, rendermime, trans }: Props): React.ReactElement {
  const evaluations = React.useMemo(() => logEvaluations(record), [record]);
  return (
    <section className="lt-LogEvaluations" aria-label={trans.__("Evaluations of run %1", run)}>
      {evaluations.map((evaluation) => (
        <div key={evaluation.name} className="lt-LogEvaluation" data-evaluation={evaluation.name}>
          {evaluation.comparison && (
            <RenderedBundle
              bundle={evaluation.comparison}
              className="lt-LogEvaluation-summary"
              label={trans.__("Summaries of %1's variants side by side", evaluation.name)}
              rendermime={rendermime}
            />
          )}
          {evaluation.chart && (
            <RenderedBundle
              bundle={evaluation.chart}
              className="lt-LogEvaluation-chart"
              label={trans.__("Score means of %1's variants", evaluation.name)}
              rendermime={rendermime}
            />
          )}
          {evaluation.results.map((results) => (
            <details
              key={results.variant ?? ""}
              className="lt-LogEvaluation-items"
              data-variant={results.variant ?? undefined}
              open={evaluation.results.length === 1}
            >
              <summary>
                {trans.__("%1: items × scores", results.variant ?? evaluation.name)}{" "}
                <span className="lt-LogEvaluation-count">{trans._n("%1 item run", "%1 item runs", results.runs)}</span>
                {results.failures > 0 && (
                  <span className="lt-LogEvaluation-failures">{trans._n("%1 failed", "%1 failed", results.failures)}</span>
                )}
              </summary>
              <RenderedBundle
                bundle={results.bundle}
                className="lt-LogEvaluation-table"
                label={trans.__("Items and scores of %1", results.variant ?? evaluation.name)}
                rendermime={rendermime}
              />
            </details>
          ))}
        </div>
      ))}
    </section>
  );
}

interface BundleProps {
  bundle: Bundle;
  className: string;
  label: string;
  rendermime: IRenderMimeRegistry | null;
}

/** The bundle through the richest renderer JupyterLab has that is safe for untrusted output, or its text. */
function RenderedBundle({ bundle, className, label, rendermime }: BundleProps): React.ReactElement {
  const host = React.useRef<HTMLElement>(null);
  const mimeType = rendermime?.preferredMimeType(bundle as ReadonlyPartialJSONObject, "ensure") ?? null;
  const supported = rendermime !== null && mimeType !== undefined && mimeType !== null && mimeType !== TEXT;
  React.useEffect(() => {
    const node = host.current;
    if (!node || !supported || !rendermime || !mimeType) return;
    const renderer = rendermime.createRenderer(mimeType);
    Widget.attach(renderer, node);
    void renderer.renderModel(new MimeModel({ data: bundle as ReadonlyPartialJSONObject, trusted: false }));
    return () => renderer.dispose();
  }, [bundle, mimeType, rendermime, supported]);
  if (!supported) return <pre className={className}>{String(bundle[TEXT] ?? "")}</pre>;
  return <section className={className} ref={host} aria-label={label} />;
}
