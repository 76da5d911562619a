/**
 * Two runs of a cell side by side, from the core's compareRuns: fields and metrics old → new (changed
 * rows marked), then word diffs of what the cell printed and returned and of each model answer.
 * Removed words are <del>, added ones <ins>, so the diff reads without colour too.
 */
import type { TranslationBundle } from "@jupyterlab/translation";
import { type DiffPart, formatDuration, type RunComparison, type TextChange, type ValueChange } from "labtrail/core";
import * as React from "react";

interface Props {
  comparison: RunComparison;
  trans: TranslationBundle;
  onClose: () => void;
}

export function CompareView({ comparison, trans, onClose }: Props): React.ReactElement {
  const { before, after } = comparison;
  const fieldLabels: Readonly<Record<string, string>> = {
    status: trans.__("Status"),
    duration: trans.__("Duration"),
    error: trans.__("Error"),
    code: trans.__("Code (hash)"),
    verdict: trans.__("Verdict"),
  };
  const shownValue = (change: ValueChange, side: "before" | "after") => {
    const value = change[side];
    if (value === null) return "–";
    return change.name === "duration" && change.before !== null ? formatDuration(Number(value)) : value;
  };
  const rows = (changes: readonly ValueChange[], label: (change: ValueChange) => string) =>
    changes.map((change) => (
      <tr key={change.name} className={change.changed ? "lt-mod-changed" : undefined}>
        <th scope="row">{label(change)}</th>
        <td>{shownValue(change, "before")}</td>
        <td>{shownValue(change, "after")}</td>
      </tr>
    ));
  const title = trans.__("Run %1 → run %2", before.run, after.run);
  return (
    <section className="lt-LogCompare" aria-label={title}>
      <div className="lt-LogCompare-title">
        <h3>{title}</h3>
        <button type="button" className="jp-Button jp-mod-minimal" onClick={onClose}>
          {trans.__("Close")}
        </button>
      </div>
      <table className="lt-LogCompare-values">
        <thead>
          <tr>
            <th scope="col">
              <span className="lt-u-hidden">{trans.__("Field")}</span>
            </th>
            <th scope="col">{trans.__("run %1", before.run)}</th>
            <th scope="col">{trans.__("run %1", after.run)}</th>
          </tr>
        </thead>
        <tbody>
          {rows(comparison.fields, (change) => fieldLabels[change.name] ?? change.name)}
          {rows(comparison.metrics, (change) => change.name)}
        </tbody>
      </table>
      <TextDiff label={trans.__("Printed")} change={comparison.output} trans={trans} />
      <TextDiff label={trans.__("Result")} change={comparison.result} trans={trans} />
      {comparison.answers.map((answer) => {
        const model =
          answer.modelBefore === answer.modelAfter
            ? (answer.modelAfter ?? "")
            : `${answer.modelBefore ?? "–"} → ${answer.modelAfter ?? "–"}`;
        const label = answer.sameRequest
          ? trans.__("Answer %1 (%2, same request)", answer.call, model)
          : trans.__("Answer %1 (%2, another request)", answer.call, model);
        return <TextDiff key={answer.call} label={label} change={answer} trans={trans} />;
      })}
    </section>
  );
}

function TextDiff({ label, change, trans }: { label: string; change: TextChange; trans: TranslationBundle }): React.ReactElement | null {
  if (change.before === null && change.after === null && !change.changed) return null;
  return (
    <div className={`lt-LogCompare-text${change.changed ? " lt-mod-changed" : ""}`}>
      <div className="lt-LogCompare-label">
        {label}: {change.changed ? trans.__("changed") : trans.__("the same")}
      </div>
      {change.changed && change.parts.length > 0 && <Diff parts={change.parts} />}
      {change.changed && change.parts.length === 0 && (
        <p className="lt-LogDiff">{trans.__("(the records keep no text; the answers' hashes differ)")}</p>
      )}
    </div>
  );
}

function Diff({ parts }: { parts: readonly DiffPart[] }): React.ReactElement {
  // Each part keyed by where it starts in the diff's text: stable, and unique within one diff.
  let offset = 0;
  const elements = parts.map((part) => {
    const key = `${offset}`;
    offset += part.text.length + 1;
    if (part.kind === "removed") return <del key={key}>{part.text}</del>;
    if (part.kind === "added") return <ins key={key}>{part.text}</ins>;
    return <span key={key}>{part.text}</span>;
  });
  return <p className="lt-LogDiff">{elements}</p>;
}
