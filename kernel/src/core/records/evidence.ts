/**
 * Run records → the design-doc draft's evidence (design-doc/evidence.ts), and the matching of records
 * to the notebook's cells that `labtrail runs`, `labtrail export` and `labtrail lint` share.
 *
 * A record names its cell by JupyterLab's cell id (the nbformat `id`). For a cell without an id it
 * carries a stand-in: `cell-N` (what `labtrail reproduce` sends: the cell at 1-based position N) or the
 * kernel's `#<execution>@<hash>` for a run sent with no id at all (the code cell whose code hash starts
 * with <hash>, when exactly one does; this needs `codeHash`). An id the notebook has always wins.
 * Pure: the hash function, when needed, comes from the caller.
 */

import type { CellEvidence, DesignDocEvidence, EvaluationEvidence, ModelUsage } from "../design-doc/evidence";
import type { CodeCell, Notebook } from "../notebook/schema";
import { canonicalJson } from "./canonical-json";
import type { RunRecord } from "./schema";

/** A record with its run number: its 1-based place among the notebook's (readable) records. */
export interface NumberedRun {
  run: number;
  record: RunRecord;
}

export interface LocateOptions {
  /** The kernel's cell code hash (records/code-hash.ts); lets `#N@hash` stand-ins find their cell. */
  codeHash?: (source: string) => string;
}

/** A function giving the code cell a record belongs to in `notebook`, or undefined when none does now. */
export function cellLocator(notebook: Notebook, options: LocateOptions = {}): (record: RunRecord) => CodeCell | undefined {
  const byId = new Map<string, CodeCell>();
  for (const cell of notebook.cells) {
    if (cell.cellType === "code" && cell.id !== null && !byId.has(cell.id)) byId.set(cell.id, cell);
  }
  let byHash: Map<string, CodeCell | null> | undefined;
  const hashIndex = (codeHash: (source: string) => string) => {
    if (!byHash) {
      byHash = new Map();
      for (const cell of notebook.cells) {
        if (cell.cellType !== "code") continue;
        const hash = codeHash(cell.source);
        // Two cells with the same code: a stand-in cannot tell them apart.
        byHash.set(hash, byHash.has(hash) ? null : cell);
      }
    }
    return byHash;
  };
  return (record) => {
    const byCellId = byId.get(record.cell);
    if (byCellId) return byCellId;
    // `labtrail reproduce` sends `cell-N` as the cell id of a cell without one: so whatever cellSource says.
    const position = /^cell-(\d+)$/.exec(record.cell);
    if (position) {
      const cell = notebook.cells[Number(position[1]) - 1];
      return cell?.cellType === "code" ? cell : undefined;
    }
    const standIn = /^#\d+@([0-9a-f]{4,64})$/.exec(record.cell);
    if (standIn && options.codeHash) {
      let found: CodeCell | undefined;
      for (const [hash, cell] of hashIndex(options.codeHash)) {
        if (!hash.startsWith(standIn[1])) continue;
        if (found || cell === null) return undefined;
        found = cell;
      }
      return found;
    }
    return undefined;
  };
}

/** The notebook's records numbered in file order and grouped by the cell (0-based index) they belong to. */
export function runsByCell(notebook: Notebook, records: readonly RunRecord[], options: LocateOptions = {}): Map<number, NumberedRun[]> {
  const locate = cellLocator(notebook, options);
  const out = new Map<number, NumberedRun[]>();
  records.forEach((record, i) => {
    const cell = locate(record);
    if (!cell) return;
    const runs = out.get(cell.index) ?? [];
    if (runs.length === 0) out.set(cell.index, runs);
    runs.push({ run: i + 1, record });
  });
  return out;
}

export interface EvidenceOptions extends LocateOptions {
  /** The notebook's file name ("summaries.ipynb"), for the reproduce command. */
  notebookFileName: string;
}

/**
 * The draft's evidence from the notebook's run records: per code cell its latest run (metrics, models,
 * tokens, replayed calls, the rerun verdict), the span of the runs behind those results and the command
 * that replays them. Undefined when there are no records. Depends only on its inputs, so the draft stays
 * deterministic; and a rerun that reproduced leaves it unchanged (see `resultRun`).
 */
export function buildEvidence(notebook: Notebook, records: readonly RunRecord[], options: EvidenceOptions): DesignDocEvidence | undefined {
  if (records.length === 0) return undefined;
  let first: string | undefined;
  let last: string | undefined;
  const cells: CellEvidence[] = [];
  const byCell = runsByCell(notebook, records, options);
  for (const index of [...byCell.keys()].sort((a, b) => a - b)) {
    const runs = byCell.get(index)!;
    const { run, record } = runs[runs.length - 1];
    const since = resultRun(runs).startedAt;
    if (first === undefined || earlier(since, first)) first = since;
    if (last === undefined || earlier(last, since)) last = since;
    cells.push({
      cell: index + 1,
      cellId: notebook.cells[index].id,
      run,
      ...rerunOf(record),
      models: modelUsage(record),
      metrics: metricsOf(withoutEvaluations(record)),
      ...(record.evaluations?.length ? { evaluations: evaluationEvidence(record) } : {}),
    });
  }
  return {
    firstRunAt: first,
    lastRunAt: last,
    cells,
    reproduceCommand: `labtrail reproduce ${shellWord(options.notebookFileName)} --mode replay`,
  };
}

/**
 * The run that first gave a cell's latest result: the latest run, or, when it reproduced the run before
 * it (and that one the run before, …), the run at the start of that chain. Its time is when the result
 * was found; a `labtrail reproduce` that confirms it adds a run but moves nothing in the draft.
 */
function resultRun(runs: readonly NumberedRun[]): RunRecord {
  let at = runs.length - 1;
  while (at > 0 && runs[at].record.verdict.kind === "reproduced") at--;
  return runs[at].record;
}

/** The record's values without the summaries its evaluations put there (shown on their own). */
export function withoutEvaluations(record: RunRecord): Record<string, unknown> {
  const names = new Set((record.evaluations ?? []).map((e) => e.name));
  return names.size === 0 ? record.values : Object.fromEntries(Object.entries(record.values).filter(([key]) => !names.has(key)));
}

/** The run's evaluations by name, in the order they ran, each with its variants side by side. */
export function evaluationEvidence(record: RunRecord): EvaluationEvidence[] {
  const byName = new Map<string, EvaluationEvidence>();
  for (const e of record.evaluations ?? []) {
    const entry = byName.get(e.name) ?? { name: e.name, scores: [], variants: [] };
    byName.set(e.name, entry);
    for (const score of e.scores) if (!entry.scores.includes(score)) entry.scores.push(score);
    const means: Record<string, number | null> = {};
    for (const score of e.scores) means[score] = e.summary[score] ?? null;
    entry.variants.push({ variant: e.variant, n: e.summary.n ?? 0, runs: e.runs, errors: e.summary.errors ?? 0, means });
  }
  return [...byName.values()];
}

/** The record's values as metrics: numbers, strings and booleans as they are, anything else as JSON. */
export function metricsOf(values: Readonly<Record<string, unknown>>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(values).sort()) {
    const value = values[key];
    out[key] =
      typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : (canonicalJson(value) ?? "undefined");
  }
  return out;
}

/** Model calls of one run, by the model that answered, in name order. */
export function modelUsage(record: RunRecord): ModelUsage[] {
  const byModel = new Map<string, ModelUsage>();
  for (const call of record.calls) {
    const usage = byModel.get(call.model) ?? { model: call.model, calls: 0, tokensIn: 0, tokensOut: 0, replayed: 0 };
    byModel.set(call.model, usage);
    usage.calls++;
    usage.tokensIn += call.inputTokens ?? 0;
    usage.tokensOut += call.outputTokens ?? 0;
    if (call.replayed) usage.replayed++;
  }
  return [...byModel.values()].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

function rerunOf(record: RunRecord): Pick<CellEvidence, "rerun"> {
  const { kind, changes } = record.verdict;
  if (kind === "new") return {};
  if (kind === "drifted" && changes.length > 0) {
    const listed = changes.slice(0, 3).map((c) => `${c.what} ${c.before} → ${c.after}`);
    if (changes.length > 3) listed.push(`and ${changes.length - 3} more`);
    return { rerun: { verdict: kind, detail: listed.join("; ") } };
  }
  if (kind === "failed" && record.error) {
    return { rerun: { verdict: kind, detail: `${record.error.ename}: ${record.error.evalue}`.split("\n")[0] } };
  }
  return { rerun: { verdict: kind } };
}

/** Compares ISO times as times; falls back to the text when either does not parse. */
function earlier(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isFinite(ta) && Number.isFinite(tb) ? ta < tb : a < b;
}

/** A file name as one shell word: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._/+@%=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
