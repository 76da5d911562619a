/**
 * Prune Unused Recordings: deletes, after a confirmation that lists them, the recordings of the notebook
 * in front that no cell's current runs use (the core's buildRecordingRows). Not while a cell runs, and
 * never one written after the newest run record: a recording made by a running cell (here, in another
 * kernel or a headless reproduce) is not in the records yet and would look unused.
 */
import { Dialog, Notification, showDialog } from "@jupyterlab/apputils";
import type { Contents } from "@jupyterlab/services";
import type { TranslationBundle } from "@jupyterlab/translation";
import * as React from "react";
import type { ExperimentLogModel } from "./model";

/** How many files the dialog names before "and N more". */
const LISTED = 10;

/** Deletes the unused recordings once the user confirms; returns how many it deleted. */
export async function pruneRecordings(model: ExperimentLogModel, contents: Contents.IManager, trans: TranslationBundle): Promise<number> {
  const panel = model.panel;
  const folder = model.recordingsFolder();
  if (!panel || !folder || !model.applies) return 0;
  if (panel.sessionContext.session?.kernel?.status === "busy") {
    Notification.warning(trans.__("A cell is running: prune the recordings once it is done."), { autoClose: 5000 });
    return 0;
  }
  const state = await model.refreshRecordings();
  if (state.kind !== "ready") {
    Notification.error(trans.__("Could not read the recordings of %1.", panel.context.path), { autoClose: 5000 });
    return 0;
  }
  const unused = state.rows.filter((row) => row.prunable);
  if (unused.length === 0) {
    const waiting = state.rows.some((row) => row.unused);
    Notification.info(
      waiting
        ? trans.__("The unused recordings were written after the latest run record (a run may be in progress): nothing to prune now.")
        : trans.__("Every recording is used by a cell's latest run: nothing to prune."),
      { autoClose: 5000 },
    );
    return 0;
  }
  const body = (
    <div className="lt-PruneDialog">
      <p>
        {trans._n(
          "Delete %1 recording that no cell's latest run uses? A cell whose code makes that request again then calls the model live.",
          "Delete %1 recordings that no cell's latest run uses? A cell whose code makes one of those requests again then calls the model live.",
          unused.length,
        )}
      </p>
      <ul>
        {unused.slice(0, LISTED).map((row) => (
          <li key={row.name}>
            <code>{row.name}</code> {row.model ?? ""} {row.request ? `· ${row.request}` : ""}
          </li>
        ))}
      </ul>
      {unused.length > LISTED && <p>{trans.__("and %1 more", unused.length - LISTED)}</p>}
    </div>
  );
  const result = await showDialog({
    title: trans.__("Prune Unused Recordings"),
    body,
    buttons: [Dialog.cancelButton({ label: trans.__("Cancel") }), Dialog.warnButton({ label: trans.__("Delete") })],
  });
  if (!result.button.accept) return 0;
  let deleted = 0;
  const failed: string[] = [];
  for (const row of unused) {
    try {
      await contents.delete(`${folder}/${row.name}`);
      deleted++;
    } catch (reason) {
      console.error(trans.__("labtrail: could not delete %1", `${folder}/${row.name}`), reason);
      failed.push(row.name);
    }
  }
  await model.refreshRecordings();
  if (failed.length > 0) {
    Notification.error(trans.__("Could not delete %1 of the recordings: %2", failed.length, failed.join(", ")), { autoClose: false });
  } else {
    Notification.success(trans._n("Deleted %1 recording", "Deleted %1 recordings", deleted), { autoClose: 3000 });
  }
  return deleted;
}
