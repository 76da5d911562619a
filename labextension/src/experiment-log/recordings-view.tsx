/**
 * The Experiment Log's Recordings section: each recorded request beside the notebook (model, request
 * summary, samples, size, last used, the cells that use it), those no cell uses any more marked, and a
 * toolbar button for the prune command. The files are read only while the section is shown.
 */
import { Time } from "@jupyterlab/coreutils";
import type { TranslationBundle } from "@jupyterlab/translation";
import { ReactWidget, UseSignal } from "@jupyterlab/ui-components";
import { formatBytes, type RecordingRow } from "labtrail/core";
import * as React from "react";
import type { ExperimentLogModel } from "./model";

/** Lumino's message type, named through a public method (the package is not a direct dependency). */
type Message = Parameters<ReactWidget["processMessage"]>[0];

export class RecordingsView extends ReactWidget {
  constructor(
    private readonly model: ExperimentLogModel,
    private readonly trans: TranslationBundle,
  ) {
    super();
    this.addClass("lt-LogRecordings");
    this.title.label = trans.__("Recordings");
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.recordingsWanted = true;
    this.update();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) this.model.recordingsWanted = true;
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.recordingsWanted = false;
  }

  protected render(): React.ReactElement {
    return <UseSignal signal={this.model.changed}>{() => <RecordingsList model={this.model} trans={this.trans} />}</UseSignal>;
  }
}

function RecordingsList({ model, trans }: { model: ExperimentLogModel; trans: TranslationBundle }): React.ReactElement {
  if (!model.panel || !model.applies) return <p className="lt-Log-empty">{trans.__("No labtrail notebook in front.")}</p>;
  const state = model.recordings;
  if (state.kind === "idle" || state.kind === "loading") return <p className="lt-Log-empty">{trans.__("Reading the recordings…")}</p>;
  if (state.kind === "error")
    return <p className="lt-Log-empty lt-Log-error">{trans.__("Could not read the recordings: %1", state.message)}</p>;
  if (state.rows.length === 0) return <p className="lt-Log-empty">{trans.__("Nothing is recorded for this notebook yet.")}</p>;
  const unused = state.rows.filter((row) => row.unused).length;
  return (
    <div className="lt-LogRecordingList">
      <p className="lt-LogRecordings-summary">
        {trans._n("%1 recording", "%1 recordings", state.rows.length)}
        {unused > 0 ? ` · ${trans._n("%1 no cell uses", "%1 no cell uses", unused)}` : ""}
      </p>
      <ul aria-label={trans.__("Recorded model requests")}>
        {state.rows.map((row) => (
          <li key={row.name} className={`lt-LogRecording${row.unused ? " lt-mod-unused" : ""}`} data-name={row.name}>
            <RecordingItem row={row} trans={trans} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function RecordingItem({ row, trans }: { row: RecordingRow; trans: TranslationBundle }): React.ReactElement {
  const used = row.lastUsed ? new Date(row.lastUsed) : null;
  const problem =
    row.problem === "not-json" ? trans.__("not JSON") : row.problem === "not-a-recording" ? trans.__("not a labtrail recording") : null;
  return (
    <>
      <div className="lt-LogRecording-line">
        <span className="lt-LogRecording-model">{row.model ?? trans.__("unknown model")}</span>
        {row.api === "embeddings" && <span className="lt-LogRecording-api">{trans.__("embeddings")}</span>}
        <span className="lt-LogRecording-size">{formatBytes(row.size)}</span>
        {row.unused ? (
          <span className="lt-LogRecording-unused">{trans.__("unused")}</span>
        ) : (
          <span className="lt-LogRecording-cells">{trans._n("cell %2", "cells %2", row.cells.length, row.cells.join(", "))}</span>
        )}
      </div>
      {row.request !== null && (
        <div className="lt-LogRecording-request" title={row.request}>
          {row.request}
        </div>
      )}
      {problem !== null && <div className="lt-Log-error">{problem}</div>}
      <div className="lt-LogRecording-meta">
        <span title={row.name}>{row.name}</span>
        {row.samples !== null && <span>{trans._n("%1 sample", "%1 samples", row.samples)}</span>}
        <span>
          {used && Number.isFinite(used.getTime()) ? trans.__("last used %1", Time.formatHuman(used)) : trans.__("no run names it")}
        </span>
      </div>
    </>
  );
}
