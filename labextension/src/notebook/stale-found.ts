/**
 * Which code cells have a Found that may be stale, from the notebook and its run records, as
 * `labtrail lint` judges it (the core's runsByCell and findStaleFound), and the "Found still holds"
 * confirmation that would clear one. Pure: the caller passes the notebook as the core reads it.
 */
import {
  CELL_METADATA_KEY,
  codeHash,
  filledValue,
  findStaleFound,
  type FoundConfirmation,
  type NumberedRun,
  type Notebook,
  parseFoundConfirmation,
  parseHeader,
  type RunRecord,
  runsByCell,
  type StaleFoundReason,
} from "labtrail/core";

export interface StaleFoundMark {
  reason: StaleFoundReason;
  /** The core's one-line message, as `labtrail lint` prints it. */
  message: string;
  /** 1-based line of the Found field in the cell. */
  line: number;
  /**
   * What "Found still holds" writes into the cell's metadata: the current Found, the code's hash and
   * the latest run. Null when a confirmation cannot clear it (the code changed after the last run: rerun instead).
   */
  confirmation: FoundConfirmation | null;
}

/** The stale-Found marks of every code cell that has one, by 0-based cell index. */
export function staleFoundMarks(notebook: Notebook, records: readonly RunRecord[]): Map<number, StaleFoundMark> {
  const out = new Map<number, StaleFoundMark>();
  if (records.length === 0) return out;
  for (const [index, history] of runsByCell(notebook, records, { codeHash })) {
    const mark = markOf(notebook, index, history);
    if (mark) out.set(index, mark);
  }
  return out;
}

/** The stale-Found mark of one cell (0-based index), or null. */
export function staleFoundMark(notebook: Notebook, records: readonly RunRecord[], index: number): StaleFoundMark | null {
  if (records.length === 0) return null;
  const history = runsByCell(notebook, records, { codeHash }).get(index);
  return history ? markOf(notebook, index, history) : null;
}

function markOf(notebook: Notebook, index: number, history: readonly NumberedRun[]): StaleFoundMark | null {
  const cell = notebook.cells[index];
  if (cell?.cellType !== "code") return null;
  const header = parseHeader(cell.source);
  const found = filledValue(header, "found");
  const field = header.byKey.found;
  if (found === undefined || !field) return null;
  const hash = codeHash(cell.source);
  const stale = findStaleFound(found, hash, history, { confirmation: parseFoundConfirmation(cell.metadata[CELL_METADATA_KEY]) });
  if (!stale) return null;
  const confirmation: FoundConfirmation = { found, codeHash: hash, run: history[history.length - 1].run };
  // Offer the confirmation only where the core would then take the Found as standing.
  const clears = findStaleFound(found, hash, history, { confirmation }) === null;
  return { reason: stale.reason, message: stale.message, line: field.start.line, confirmation: clears ? confirmation : null };
}
