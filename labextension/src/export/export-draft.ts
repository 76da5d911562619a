/**
 * "Export Design Doc Draft": the notebook as JupyterLab holds it (unsaved edits included) and its run
 * records, through the same core renderer as `labtrail export`, written beside the notebook with the
 * contents API and opened as JupyterLab's rendered Markdown preview (the editor is one "Open With" away).
 * A draft edited since its last export (on disk, or unsaved in an open
 * editor) is never overwritten without the user saying so.
 */
import { Dialog, Notification, showDialog } from "@jupyterlab/apputils";
import { PathExt } from "@jupyterlab/coreutils";
import type { IDocumentManager } from "@jupyterlab/docmanager";
import type { NotebookPanel } from "@jupyterlab/notebook";
import type { Contents } from "@jupyterlab/services";
import type { TranslationBundle } from "@jupyterlab/translation";
import {
  codeHash,
  composeDraft,
  draftFileName,
  draftFileState,
  parseNotebook,
  parseRunsJsonl,
  recordsFolderName,
  RUNS_FILE,
} from "labtrail/core";
import type { HeaderKey, RunRecord } from "labtrail/core";

/** JupyterLab's rendered Markdown view (@jupyterlab/markdownviewer-extension's factory name). */
const MARKDOWN_PREVIEW = "Markdown Preview";

export type ExportOutcome = { path: string; wrote: boolean } | null;

export async function exportDesignDocDraft(
  panel: NotebookPanel,
  docManager: IDocumentManager,
  fileNamePattern: string,
  trans: TranslationBundle,
  /** The notebook's required header keys, so the draft's "documented" is the status bar's. */
  required?: readonly HeaderKey[],
): Promise<ExportOutcome> {
  const contents = docManager.services.contents;
  const notebookPath = panel.context.path;
  const notebookName = PathExt.basename(notebookPath);
  const folder = PathExt.dirname(notebookPath);
  const target = PathExt.join(folder, draftFileName(fileNamePattern, notebookName));

  const parsed = parseNotebook(JSON.stringify(panel.context.model.toJSON()));
  if (!parsed.ok) throw new Error(`${notebookName}: ${parsed.problem}`);
  const notebook = parsed.notebook;

  const runsPath = PathExt.join(folder, recordsFolderName(notebookName), RUNS_FILE);
  const runsText = await readText(contents, runsPath);
  const runs = runsText === null ? { records: [] as RunRecord[], problems: [] as string[] } : parseRunsJsonl(runsText);
  if (runs.problems.length > 0) {
    Notification.warning(
      trans.__("%1: %2 line(s) could not be read and were left out of the draft (%3)", runsPath, runs.problems.length, runs.problems[0]),
      { autoClose: 8000 },
    );
  }
  const fresh = composeDraft({ notebook, notebookName, notebookHref: notebookName, records: runs.records, codeHash, required });

  // Rendered where the app has JupyterLab's Markdown Preview; Jupyter Notebook 7 has none, and opens
  // the draft in its editor (in a browser tab of its own).
  const preview = docManager.registry.getWidgetFactory(MARKDOWN_PREVIEW) ? MARKDOWN_PREVIEW : undefined;
  // The editor and the preview share one document context: either one reverts (and shows dirty) both.
  const open = docManager.findWidget(target) ?? (preview ? docManager.findWidget(target, preview) : undefined);
  const existing = await readText(contents, target);
  const editedInEditor = open?.context.model.dirty === true;
  const state = existing === null ? "missing" : draftFileState(existing, fresh);
  if (state === "up-to-date" && !editedInEditor) {
    docManager.openOrReveal(target, preview);
    Notification.info(trans.__("%1 is up to date", PathExt.basename(target)), { autoClose: 3000 });
    return { path: target, wrote: false };
  }
  if (state === "edited" || editedInEditor) {
    const draftName = PathExt.basename(target);
    const answer = await showDialog({
      title: trans.__("Overwrite the edited draft?"),
      body: editedInEditor
        ? trans.__("%1 has unsaved edits in an open editor. A fresh export replaces the whole file and your edits are lost.", draftName)
        : trans.__("%1 was edited since it was exported. A fresh export replaces the whole file and your edits are lost.", draftName),
      buttons: [Dialog.cancelButton({ label: trans.__("Keep my edits") }), Dialog.warnButton({ label: trans.__("Overwrite") })],
      defaultButton: 0,
    });
    if (!answer.button.accept) return null;
  }
  await contents.save(target, { type: "file", format: "text", content: fresh });
  if (open) await open.context.revert();
  docManager.openOrReveal(target, preview);
  Notification.success(trans.__("Exported %1", PathExt.basename(target)), { autoClose: 3000 });
  return { path: target, wrote: true };
}

/** A text file's content, or null when there is no such file. */
async function readText(contents: Contents.IManager, path: string): Promise<string | null> {
  try {
    const model = await contents.get(path, { type: "file", format: "text", content: true });
    return typeof model.content === "string" ? model.content : null;
  } catch (reason) {
    if ((reason as { response?: { status?: number } }).response?.status === 404) return null;
    throw reason;
  }
}
