/**
 * `labtrail runs <notebook> [--cell N|ID] [--json]`: the notebook's run history from the records beside
 * it (`<name>.labtrail/runs.jsonl`), one row per executed cell, oldest first:
 *
 *   run  time                 cell  exec  status  verdict     duration  calls           tokens in/out  values
 *   3    2026-11-19T09:12:04  #2    5     ok      drifted     1.4 s     10 (10 replayed) 8,120 / 610    useful=0.5
 *          ≠ useful: 0.6 → 0.5
 *
 * `run` numbers the readable records in file order (the numbers `labtrail export` and `lint` cite);
 * `cell` is the cell's 1-based position now, or a prefix of its id when the notebook no longer has it.
 * Lines of the file that cannot be read are warned about on stderr, one line each; they never stop the
 * command. Also home to the reading of runs.jsonl that `export` and `lint` share.
 */

import * as path from "node:path";
import type { Command } from "commander";
import {
  canonicalJson,
  cellLocator,
  type CodeCell,
  type EvaluationEvidence,
  evaluationEvidence,
  type Notebook,
  parseRunsLines,
  recordsFolderName,
  type RunRecord,
  RUNS_FILE,
  withoutEvaluations,
  formatDuration,
} from "../../core";
import { codeHash } from "../../records/code-hash";
import { readLines } from "../../files/read-file";
import { CliError } from "../errors";
import { fileError, readNotebookFile } from "./notebook-file";

/** Where the records of the notebook at `notebook` live, relative the way `notebook` is. */
export function runsFileFor(notebook: string): string {
  return path.join(path.dirname(notebook), recordsFolderName(path.basename(notebook)), RUNS_FILE);
}

export type RunsRead =
  | { ok: true; file: string; exists: boolean; records: RunRecord[]; problems: string[] }
  | { ok: false; file: string; problem: string };

/** Reads the records beside `notebook`. A missing file is no records; a torn line is a problem, not a failure. */
export function readRunsFor(notebook: string): RunsRead {
  const file = runsFileFor(notebook);
  try {
    // Line by line: runs.jsonl grows with every run, past the longest string V8 can hold.
    const { records, problems } = parseRunsLines(readLines(file));
    return { ok: true, file, exists: true, records, problems };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: true, file, exists: false, records: [], problems: [] };
    return {
      ok: false,
      file,
      problem: `cannot read the run records: ${code === "EISDIR" ? "is a directory, not a file" : fileError(err)}`,
    };
  }
}

/** The one-line warnings for what `readRunsFor` could not read; the command goes on without it. */
export function runsWarnings(read: RunsRead): string[] {
  if (!read.ok) return [`warning: ${read.file}: ${read.problem}`];
  return read.problems.map((problem) => `warning: ${read.file} ${problem}`);
}

export interface RunsOptions {
  cell?: string;
  json?: boolean;
}

export function registerRunsCommand(program: Command): Command {
  return program
    .command("runs")
    .description("show a notebook's run history from its records (<name>.labtrail/runs.jsonl)")
    .argument("<notebook>", "notebook file (.ipynb)")
    .option("--cell <cell>", "only this cell: its 1-based position or (a prefix of) its id")
    .option("--json", "print the records as JSON")
    .action((notebook: string, options: RunsOptions) => {
      const nb = readNotebookFile(notebook);
      if (!nb.ok) throw new CliError(`${notebook}: ${nb.problem}`, 2);
      const read = readRunsFor(notebook);
      if (!read.ok) throw new CliError(`${read.file}: ${read.problem}`, 2);
      const locate = cellLocator(nb.notebook, { codeHash });
      const all: Row[] = read.records.map((record, i) => {
        const cell = locate(record);
        return { run: i + 1, position: cell ? cell.index + 1 : null, record };
      });
      const filter = options.cell === undefined ? null : cellFilter(nb.notebook, all, options.cell, notebook);
      const rows = filter ? all.filter(filter.keep) : all;

      if (options.json) {
        const records = rows.map(({ run, position, record }) => ({ run, position, ...record }));
        process.stdout.write(`${JSON.stringify({ notebook, file: read.file, records, problems: read.problems }, null, 2)}\n`);
        return;
      }
      for (const warning of runsWarnings(read)) process.stderr.write(`${warning}\n`);
      if (rows.length === 0) {
        process.stdout.write(
          filter && all.length > 0
            ? `no runs of ${filter.label} recorded yet in ${read.file}\n`
            : `no runs recorded yet for ${notebook} (they would be in ${read.file})\n`,
        );
        return;
      }
      process.stdout.write(renderTable(rows));
    });
}

interface Row {
  run: number;
  /** The cell's 1-based position now, or null when no cell of the notebook matches the record. */
  position: number | null;
  record: RunRecord;
}

/** Which rows `--cell <spec>` keeps: a position, an id, or an unambiguous prefix of one. */
function cellFilter(
  notebook: Notebook,
  rows: readonly Row[],
  spec: string,
  notebookPath: string,
): { keep: (row: Row) => boolean; label: string } {
  const codeCells = notebook.cells.filter((cell): cell is CodeCell => cell.cellType === "code");
  if (/^\d+$/.test(spec)) {
    const position = Number(spec);
    const cell = notebook.cells[position - 1];
    if (!cell) {
      throw new CliError(`--cell ${spec}: ${notebookPath} has ${notebook.cells.length} cell${notebook.cells.length === 1 ? "" : "s"}`, 2);
    }
    if (cell.cellType !== "code") {
      throw new CliError(`--cell ${spec}: cell ${position} is a ${cell.cellType} cell; runs are recorded for code cells`, 2);
    }
    return { keep: (row) => row.position === position, label: `cell ${position}` };
  }
  const exact = codeCells.find((cell) => cell.id === spec);
  const matches = exact ? [exact] : codeCells.filter((cell) => cell.id?.startsWith(spec));
  if (matches.length === 1) {
    const position = matches[0].index + 1;
    return { keep: (row) => row.position === position, label: `cell ${position}` };
  }
  if (matches.length > 1) {
    const named = matches.slice(0, 5).map((cell) => `${cell.id} (cell ${cell.index + 1})`);
    throw new CliError(`--cell ${spec}: more than one cell id starts with it: ${named.join(", ")}${matches.length > 5 ? ", …" : ""}`, 2);
  }
  // A cell the notebook no longer has, known only from its records.
  const gone = [...new Set(rows.filter((row) => row.position === null).map((row) => row.record.cell))];
  const goneMatches = gone.includes(spec) ? [spec] : gone.filter((id) => id.startsWith(spec));
  if (goneMatches.length === 1) {
    const id = goneMatches[0];
    return { keep: (row) => row.position === null && row.record.cell === id, label: `cell ${id}` };
  }
  if (goneMatches.length > 1) {
    throw new CliError(`--cell ${spec}: more than one recorded cell id starts with it: ${goneMatches.slice(0, 5).join(", ")}`, 2);
  }
  throw new CliError(`--cell ${spec}: no code cell of ${notebookPath} has that position or id`, 2);
}

const HEADER = ["run", "time", "cell", "exec", "status", "verdict", "duration", "calls", "tokens in/out", "values"];
const VALUES_SHOWN = 80;

function renderTable(rows: readonly Row[]): string {
  const cells = rows.map(({ run, position, record }) => [
    String(run),
    localTime(record.startedAt),
    position !== null ? `#${position}` : clip(record.cell, 12),
    record.execution === null ? "—" : String(record.execution),
    record.status,
    record.verdict.kind,
    formatDuration(record.durationMs),
    calls(record),
    tokens(record),
    clip(values(withoutEvaluations(record)), VALUES_SHOWN),
  ]);
  const widths = HEADER.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) =>
    row
      .map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [line(HEADER)];
  rows.forEach(({ record }, i) => {
    out.push(line(cells[i]));
    const indent = " ".repeat(widths[0] + 2);
    for (const evaluation of evaluationEvidence(record)) out.push(...evaluationLines(evaluation, indent));
    if (record.verdict.kind === "drifted") {
      // A changed answer as its word diff (what the cell's verdict line and the badge show), a value as old → new.
      for (const change of record.verdict.changes)
        out.push(
          change.diff
            ? `${indent}≠ ${change.what}: ${change.diff}`
            : `${indent}≠ ${change.what}: ${clip(change.before, 60)} → ${clip(change.after, 60)}`,
        );
    } else if (record.status === "error" && record.error) {
      out.push(`${indent}✗ ${clip(`${record.error.ename}: ${record.error.evalue}`.split("\n")[0], 120)}`);
    }
  });
  return `${out.join("\n")}\n`;
}

/** An ISO time as local time without milliseconds ("2026-11-19T09:12:04"); as given when it does not parse. */
function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

function calls(record: RunRecord): string {
  const n = record.calls.length;
  if (n === 0) return "—";
  const replayed = record.calls.filter((call) => call.replayed).length;
  return replayed > 0 ? `${n} (${replayed} replayed)` : String(n);
}

function tokens(record: RunRecord): string {
  if (record.calls.length === 0) return "—";
  const sum = (pick: (call: RunRecord["calls"][number]) => number | null) => {
    const known = record.calls.map(pick).filter((n): n is number => n !== null);
    return known.length === 0 ? "?" : count(known.reduce((a, b) => a + b, 0));
  };
  return `${sum((call) => call.inputTokens)} / ${sum((call) => call.outputTokens)}`;
}

/** `k=v` pairs in key order: plain words as they are, other strings quoted, the rest as JSON. */
function values(values: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return "";
  return keys
    .map((key) => {
      const value = values[key];
      const shown =
        typeof value === "string" ? (/^[^\s=,"]+$/.test(value) ? value : JSON.stringify(value)) : (canonicalJson(value) ?? String(value));
      return `${key}=${clip(shown, 32)}`;
    })
    .join(" ");
}

/** An evaluation's summary: one line naming it, then one per score with the variants side by side. */
function evaluationLines(e: EvaluationEvidence, indent: string): string[] {
  const number = (value: number | null) => (value === null ? "—" : String(Math.round(value * 1000) / 1000));
  if (e.variants.length === 1 && e.variants[0].variant === null) {
    const v = e.variants[0];
    const runs = v.runs !== v.n ? [`runs ${v.runs}`] : [];
    const fields = [...e.scores.map((s) => `${s} ${number(v.means[s] ?? null)}`), `n ${v.n}`, ...runs, `errors ${v.errors}`];
    return [`${indent}◆ ${e.name}: ${fields.join(" · ")}`];
  }
  const names = e.variants.map((v) => v.variant ?? "");
  const rows = [
    ...e.scores.map((s) => [s, ...e.variants.map((v) => number(v.means[s] ?? null))]),
    ["n", ...e.variants.map((v) => String(v.n))],
    ...(e.variants.some((v) => v.runs !== v.n) ? [["runs", ...e.variants.map((v) => String(v.runs))]] : []),
    ["errors", ...e.variants.map((v) => String(v.errors))],
  ];
  const first = Math.max(...rows.map((r) => r[0].length));
  const width = Math.max(...names.map((n) => n.length), ...rows.flatMap((r) => r.slice(1).map((c) => c.length)));
  return [
    `${indent}◆ ${e.name}:`,
    `${indent}  ${"".padEnd(first)}  ${names.map((n) => n.padStart(width)).join("  ")}`,
    ...rows.map(
      (r) =>
        `${indent}  ${r[0].padEnd(first)}  ${r
          .slice(1)
          .map((c) => c.padStart(width))
          .join("  ")}`,
    ),
  ];
}

function count(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
