/** Where a notebook's records folder is, and where a rename takes it: contents-API paths (`/`-separated, maybe with a drive prefix). Pure. */
import { recordsFolderName } from "labtrail/core";

/** The records folder beside a notebook: `dir/<name>.labtrail` for `dir/<name>.ipynb` (contents-API paths, `/`-separated). */
export function recordsFolderPath(notebookPath: string): string {
  const slash = notebookPath.lastIndexOf("/");
  return notebookPath.slice(0, slash + 1) + recordsFolderName(notebookPath.slice(slash + 1));
}

const NOTEBOOK = /\.ipynb$/i;

/** The records folder move a rename from `from` to `to` calls for, or null (not a notebook both sides, or the same folder). */
export function recordsFolderMove(from: string | null | undefined, to: string | null | undefined): { from: string; to: string } | null {
  if (!from || !to || !NOTEBOOK.test(from) || !NOTEBOOK.test(to)) return null;
  const move = { from: recordsFolderPath(from), to: recordsFolderPath(to) };
  return move.from === move.to ? null : move;
}
