// A notebook renamed or moved while no kernel watched (in the file browser with the notebook closed, or
// with `mv`) leaves its records folder behind under the old name. It is found by what it holds: a
// records folder beside the notebook whose own notebook is gone and whose records are of this
// notebook's cells (cell ids are random, so a shared one means the same notebook).
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseNotebook, recordsFolderName, RUNS_FILE, scanRunsLines } from "../core";
import { readLines, readRegularText } from "../files/read-file";

/** The ids of the notebook's cells as saved; none when the file cannot be read. */
export function savedCellIds(notebook: string): string[] {
  try {
    const read = parseNotebook(readRegularText(notebook));
    return read.ok ? read.notebook.cells.flatMap((cell) => (cell.id ? [cell.id] : [])) : [];
  } catch {
    return [];
  }
}

/** The orphaned records folder beside `notebook` with the most records of `cellIds`, or null. */
export function findOrphanRecords(notebook: string, cellIds: ReadonlySet<string>): string | null {
  if (cellIds.size === 0) return null;
  const folder = dirname(notebook);
  let entries: { name: string; isDirectory: boolean }[];
  try {
    entries = readdirSync(folder, { withFileTypes: true }).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
  } catch {
    return null;
  }
  // The records folders of the notebooks that are there (this one's included) are not orphans.
  const owned = new Set(entries.filter((entry) => /\.ipynb$/i.test(entry.name)).map((entry) => recordsFolderName(entry.name)));
  owned.add(recordsFolderName(basename(notebook)));
  let best: { path: string; shared: number; latest: string } | null = null;
  for (const entry of entries) {
    if (!entry.isDirectory || !entry.name.endsWith(".labtrail") || owned.has(entry.name)) continue;
    const path = join(folder, entry.name);
    const shared = new Set<string>();
    let latest = "";
    try {
      scanRunsLines(readLines(join(path, RUNS_FILE)), (record) => {
        if (!cellIds.has(record.cell)) return;
        shared.add(record.cell);
        if (record.startedAt > latest) latest = record.startedAt;
      });
    } catch {
      continue; // no runs.jsonl there: nothing says whose it is
    }
    if (shared.size === 0) continue;
    if (!best || shared.size > best.shared || (shared.size === best.shared && latest > best.latest)) {
      best = { path, shared: shared.size, latest };
    }
  }
  return best?.path ?? null;
}
