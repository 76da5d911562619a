/**
 * `labtrail reproduce <notebook> [--mode replay|record|refresh] [--output file] [--json] [--timeout s] [--no-record]`:
 * runs every code cell of the notebook, top to bottom, in a fresh kernel and reports, per cell, the
 * verdict the kernel gave it (reproduced, drifted, changed, new, failed).
 *
 * The kernel starts in the notebook's folder with LABTRAIL_NOTEBOOK (the notebook's absolute path) and
 * LABTRAIL_REPLAY_MODE set; each cell is sent with its nbformat id as `cellId` (or `cell-N`). The
 * notebook is only read; `--output` writes the executed copy (outputs, execution counts and
 * nbclient-style timing metadata) atomically. Exit 0 when every code cell reproduced, 1 when one did
 * not (or the kernel could not run them), 2 for a problem with the input.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { KernelExitedError, KernelProcess, KernelStuckError, type ExecuteResult } from "../../client";
import { readRunsFor } from "./runs";
import { ENV_RECORD_RUNS, type ReplayMode } from "../../config";
import {
  CELL_METADATA_KEY,
  cellVerdictSchema,
  decodeNotebookBytes,
  labtrailReplyMetadata,
  readNotebookBytes,
  toCellVerdict,
  type CellVerdict,
  type Change,
  type Notebook,
  type RerunVerdictKind,
} from "../../core";
import { readRegularFile } from "../../files/read-file";
import { protectedOutputProblem } from "../../files/output-target";
import { writeFileAtomic } from "../../files/write-file";
import { CliError } from "../errors";
import { requireProjectConfig } from "../project-config";
import { fileError } from "./notebook-file";

/** The replay modes that make sense for a whole rerun ("off" would not rerun anything recorded). */
export const REPRODUCE_MODES = ["replay", "record", "refresh"] as const satisfies readonly ReplayMode[];
type ReproduceMode = (typeof REPRODUCE_MODES)[number];

/** The kernel's rerun verdicts, plus "unknown" for a kernel that reported none. */
export type CellReportVerdict = RerunVerdictKind | "unknown";

/** What happened to the cell's request: the reply's status, or why there was none. */
export type CellStatus = "ok" | "error" | "aborted" | "timeout" | "not-run";

export interface CellReport {
  /** 1-based position among all the notebook's cells. */
  index: number;
  cellId: string;
  verdict: CellReportVerdict;
  summary: string;
  changes: Change[];
  status: CellStatus;
  durationMs: number;
}

export interface ReproduceReport {
  notebook: string;
  mode: ReproduceMode;
  reproduced: boolean;
  cells: CellReport[];
}

export interface ReproduceOptions {
  mode: ReproduceMode;
  output?: string;
  json?: boolean;
  timeout?: number;
  /** `--no-record`: false. */
  record: boolean;
}

/** Where the kernel put its verdict: the execute_reply's metadata, `labtrail.verdict`. */
export function verdictOf(result: Pick<ExecuteResult, "reply" | "replyMetadata">): {
  kind: CellReportVerdict;
  summary: string;
  changes: Change[];
} {
  const reported = labtrailReplyMetadata(result.replyMetadata)?.verdict;
  if (reported) return reported;
  const status = result.reply.status;
  if (status === "error") {
    const evalue = text(result.reply.evalue);
    return { kind: "failed", summary: evalue || text(result.reply.ename) || "the cell failed", changes: [] };
  }
  if (status === "aborted") return { kind: "failed", summary: "the kernel aborted the cell", changes: [] };
  return { kind: "unknown", summary: "the kernel reported no verdict", changes: [] };
}

export function registerReproduceCommand(program: Command): Command {
  return program
    .command("reproduce")
    .description("run a notebook top to bottom in a fresh kernel and check that every cell reproduces; exit 0 when all do")
    .argument("<notebook>", "notebook file (.ipynb)")
    .addOption(
      new Option("--mode <mode>", "replay: compare with the record; record: record anew; refresh: re-record what changed")
        .choices(REPRODUCE_MODES)
        .default("replay"),
    )
    .option("-o, --output <file>", "write the executed notebook (outputs, execution counts) to this file")
    .option("--json", "print one JSON report instead of the table")
    .option(
      "--no-record",
      "judge every cell against its last run without adding this run to runs.jsonl (a check that leaves the records as they are)",
    )
    .option("--timeout <seconds>", "interrupt a cell that runs longer than this and count it as failed", parseSeconds)
    .action(async (notebook: string, options: ReproduceOptions) => {
      await runReproduce(notebook, options);
    });
}

/**
 * The id the kernel records cell `index` under: its nbformat id, `cell-N` without one, and for a later
 * cell with an id an earlier cell already has, `<id>@cell-N`, so the two never share a history.
 */
function distinctCellId(notebook: Notebook, index: number): string {
  const id = notebook.cells[index].id;
  if (id === null) return `cell-${index + 1}`;
  return notebook.cells.findIndex((cell) => cell.id === id) < index ? `${id}@cell-${index + 1}` : id;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError("expected a positive number of seconds.");
  return seconds;
}

interface CodeCellToRun {
  /** 0-based position in the notebook. */
  position: number;
  cellId: string;
  source: string;
}

/** What running the notebook's code cells gave: the kernel's result and the report of each cell. */
interface NotebookRun {
  /** By 0-based position in the notebook; only the cells the kernel answered. */
  results: Map<number, ExecuteResult>;
  reports: CellReport[];
  /** The kernel failure that kept the later cells from running, when there was one. */
  fatal?: string;
  interrupted: boolean;
}

async function runReproduce(notebookArg: string, options: ReproduceOptions): Promise<void> {
  const { notebook, raw } = readInput(notebookArg);
  const notebookPath = path.resolve(notebookArg);
  // The kernel would stop every model call on a broken config: say it once, before anything runs.
  requireProjectConfig(notebookPath, { ...process.env, LABTRAIL_REPLAY_MODE: options.mode });
  const output = options.output !== undefined ? checkOutput(options.output, notebookPath) : undefined;
  const run = await runNotebook(notebook, notebookPath, options);
  if (output !== undefined) writeExecuted(output, raw, run.results, run.reports);
  reportRun(notebookArg, options, run);
}

/** Runs every non-empty code cell, top to bottom, in a fresh kernel started in the notebook's folder. */
async function runNotebook(notebook: Notebook, notebookPath: string, options: ReproduceOptions): Promise<NotebookRun> {
  const cells: CodeCellToRun[] = notebook.cells
    .filter((cell) => cell.cellType === "code" && cell.source.trim() !== "")
    .map((cell) => ({ position: cell.index, cellId: distinctCellId(notebook, cell.index), source: cell.source }));

  const labels = shortIds(cells.map((cell) => cell.cellId));
  const progress = process.stderr.isTTY && !options.json ? new Progress(cells.length) : undefined;
  const results = new Map<number, ExecuteResult>();
  const reports: CellReport[] = [];
  /** Why the cells after a kernel failure did not run, and what that failure was. */
  let failure: string | undefined;
  let fatal: string | undefined;

  let kernel: KernelProcess | undefined;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    void kernel?.kill();
  };
  process.once("SIGINT", onSigint);
  try {
    if (cells.length > 0) {
      progress?.update(0, "starting the kernel");
      try {
        kernel = await KernelProcess.start({
          cwd: path.dirname(notebookPath),
          env: {
            ...process.env,
            LABTRAIL_NOTEBOOK: notebookPath,
            LABTRAIL_REPLAY_MODE: options.mode,
            ...(options.record === false ? { [ENV_RECORD_RUNS]: "off" } : {}),
          },
        });
      } catch (error) {
        progress?.stop();
        if (interrupted) throw new CliError("interrupted", 130);
        throw new CliError(`cannot start the kernel: ${message(error)}`, 1);
      }
    }
    for (const [done, cell] of cells.entries()) {
      if (interrupted) failure ??= "not run: interrupted";
      if (failure !== undefined || !kernel) {
        reports.push(notRun(cell, failure ?? "not run"));
        continue;
      }
      progress?.update(done, `cell ${cell.position + 1} (${labels.get(cell.cellId)})`);
      const started = Date.now();
      try {
        const result = await kernel.execute(cell.source, {
          cellId: cell.cellId,
          timeoutMs: options.timeout !== undefined ? options.timeout * 1000 : undefined,
        });
        results.set(cell.position, result);
        reports.push(reportFor(cell, result, options.timeout));
      } catch (error) {
        // The kernel cannot run anything more: this cell failed, the ones after it do not run.
        const why = interrupted
          ? "interrupted"
          : error instanceof KernelExitedError
            ? "the kernel exited"
            : error instanceof KernelStuckError
              ? "the kernel did not stop an earlier cell"
              : "the kernel failed";
        failure = `not run: ${why}`;
        fatal = message(error);
        reports.push({
          index: cell.position + 1,
          cellId: cell.cellId,
          verdict: "failed",
          summary: interrupted ? "interrupted" : message(error),
          changes: [],
          status: error instanceof KernelStuckError ? "timeout" : "error",
          durationMs: Date.now() - started,
        });
      }
    }
    progress?.update(cells.length, "done");
  } finally {
    progress?.stop();
    process.off("SIGINT", onSigint);
    await kernel?.shutdown();
  }
  return { results, reports, fatal, interrupted };
}

/** Prints the report (JSON, or the table) and fails the command unless every cell reproduced. */
function reportRun(notebookArg: string, options: ReproduceOptions, run: NotebookRun): void {
  const { reports, fatal, interrupted } = run;
  const report: ReproduceReport = {
    notebook: notebookArg,
    mode: options.mode,
    reproduced: reports.every((cell) => cell.verdict === "reproduced"),
    cells: reports,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    // A runs.jsonl that cannot be read (a directory, say) keeps no records: rerunning would not help.
    const runs = readRunsFor(notebookArg);
    process.stdout.write(renderTable(report, options.output, runs.ok ? undefined : `${runs.file}: ${runs.problem}`));
  }

  if (interrupted) throw new CliError("interrupted", 130);
  if (!report.reproduced) {
    const bad = reports.filter((cell) => cell.verdict !== "reproduced").length;
    const reason = fatal !== undefined && !interrupted ? `; ${fatal}` : "";
    throw new CliError(`${bad} of ${plural(reports.length, "code cell")} did not reproduce${reason}`, 1);
  }
}

function reportFor(cell: CodeCellToRun, result: ExecuteResult, timeout: number | undefined): CellReport {
  const verdict = verdictOf(result);
  // The client's run time: the clock and span the timeout counts (the kernel's dates start later).
  const durationMs = result.runMs;
  const status: CellStatus = result.timedOut
    ? "timeout"
    : result.reply.status === "ok"
      ? "ok"
      : result.reply.status === "aborted"
        ? "aborted"
        : "error";
  if (result.timedOut) {
    return {
      index: cell.position + 1,
      cellId: cell.cellId,
      verdict: "failed",
      summary: `timed out after ${timeout} s and was interrupted`,
      changes: verdict.changes,
      status,
      durationMs,
    };
  }
  return {
    index: cell.position + 1,
    cellId: cell.cellId,
    verdict: verdict.kind,
    summary: verdict.summary,
    changes: verdict.changes,
    status,
    durationMs,
  };
}

function notRun(cell: CodeCellToRun, why: string): CellReport {
  return { index: cell.position + 1, cellId: cell.cellId, verdict: "failed", summary: why, changes: [], status: "not-run", durationMs: 0 };
}

// --- input and output files ----------------------------------------------------------------------

/** The notebook, typed, and its JSON as written (so the executed copy keeps everything else as it was). */
function readInput(file: string): { notebook: Notebook; raw: Record<string, unknown> } {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(file);
  } catch (error) {
    throw new CliError(`${file}: ${fileError(error)}`, 2);
  }
  const read = readNotebookBytes(bytes);
  if (!read.ok) throw new CliError(`${file}: ${read.problem}`, 2);
  const text = decodeNotebookBytes(bytes);
  if (!text.ok) throw new CliError(`${file}: ${text.problem}`, 2);
  const raw = JSON.parse(text.text.charCodeAt(0) === 0xfeff ? text.text.slice(1) : text.text) as Record<string, unknown>;
  return { notebook: read.notebook, raw };
}

/** Checks, before anything runs, that the executed notebook can be written to `output`. */
function checkOutput(output: string, notebookPath: string): string {
  const resolved = path.resolve(output);
  const protectedProblem = protectedOutputProblem(resolved, { input: notebookPath });
  if (protectedProblem) {
    const what = protectedProblem === "is the input notebook" ? "the notebook" : `it: it ${protectedProblem}`;
    throw new CliError(`${output}: refusing to overwrite ${what}; pass another --output file`, 2);
  }
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new CliError(`${output}: is a directory; pass a file name to --output`, 2);
  const dir = path.dirname(resolved);
  const dirStat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) throw new CliError(`${output}: cannot write the executed notebook: its directory does not exist`, 2);
  if (!dirStat.isDirectory())
    throw new CliError(`${output}: cannot write the executed notebook: a part of the path is a file, not a directory`, 2);
  // Probe that the folder takes a new file, before any cell runs.
  const probe = path.join(dir, `.${path.basename(resolved)}.${process.pid}.probe`);
  try {
    fs.writeFileSync(probe, "");
  } catch (error) {
    throw new CliError(`${output}: cannot write the executed notebook: ${fileError(error)}`, 2);
  } finally {
    fs.rmSync(probe, { force: true });
  }
  return resolved;
}

function writeExecuted(output: string, raw: Record<string, unknown>, results: Map<number, ExecuteResult>, reports: CellReport[]): void {
  const executed = structuredClone(raw);
  const cells = Array.isArray(executed.cells) ? (executed.cells as Record<string, unknown>[]) : [];
  const byPosition = new Map(reports.map((report) => [report.index - 1, report]));
  for (const [position, result] of results) {
    const cell = cells[position];
    const report = byPosition.get(position);
    if (!cell || !report) continue;
    cell.outputs = structuredClone(result.outputs);
    cell.execution_count = result.executionCount;
    cell.metadata = executedCellMetadata(cell.metadata, result, report);
  }
  const text = `${JSON.stringify(executed, null, 1)}\n`;
  try {
    writeFileAtomic(output, text);
  } catch (error) {
    throw new CliError(`${output}: cannot write the executed notebook: ${fileError(error)}`, 2);
  }
}

/**
 * A run cell's metadata in the executed copy: nbclient-style timing, and its verdict as the core's
 * cell-metadata schema has it (what the extension's badge reads). An unknown verdict is not one the
 * extension could show, so that cell keeps no verdict at all, rather than a stale one from its input.
 */
export function executedCellMetadata(
  metadata: unknown,
  result: Pick<ExecuteResult, "startedAt" | "finishedAt">,
  report: Pick<CellReport, "verdict" | "changes" | "durationMs">,
): Record<string, unknown> {
  const executed = { ...(record(metadata) ?? {}) };
  executed.execution = {
    "iopub.execute_input": result.startedAt.toISOString(),
    "shell.execute_reply": result.finishedAt.toISOString(),
  };
  // Other fields under the key stay; the verdict's own are replaced.
  const labtrail = { ...(record(executed[CELL_METADATA_KEY]) ?? {}) };
  for (const field of Object.keys(cellVerdictSchema.shape)) delete labtrail[field];
  const verdict: CellVerdict | undefined =
    report.verdict === "unknown"
      ? undefined
      : { ...toCellVerdict({ kind: report.verdict, changes: report.changes }), durationMs: report.durationMs };
  Object.assign(labtrail, verdict);
  if (Object.keys(labtrail).length > 0) executed[CELL_METADATA_KEY] = labtrail;
  else delete executed[CELL_METADATA_KEY];
  return executed;
}

// --- the report ----------------------------------------------------------------------------------

const WIDTH = 100;
const ORDER: CellReportVerdict[] = ["reproduced", "new", "drifted", "changed", "failed", "unknown"];

/** The report as a table, one row per code cell, then a count per verdict and a hint. */
export function renderTable(report: ReproduceReport, output?: string, recordsProblem?: string): string {
  const ids = shortIds(report.cells.map((cell) => cell.cellId));
  const rows = report.cells.map((cell) => [String(cell.index), ids.get(cell.cellId) ?? cell.cellId, cell.verdict, formatDuration(cell)]);
  const head = ["#", "cell", "verdict", "time"];
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cols: string[], summary: string) => {
    const left = cols.map((col, i) => (i === 0 || i === 3 ? col.padStart(widths[i]) : col.padEnd(widths[i]))).join("  ");
    return `${left}  ${truncate(summary, Math.max(20, WIDTH - left.length - 2))}`.trimEnd();
  };
  let out = "";
  if (report.cells.length > 0) {
    out += `${line(head, "summary")}\n`;
    report.cells.forEach((cell, i) => {
      out += `${line(rows[i], cell.summary)}\n`;
      if (cell.verdict !== "drifted") return;
      for (const change of cell.changes) {
        const prefix = `      ${oneLine(change.what)}: `;
        const room = Math.max(10, Math.floor((WIDTH - prefix.length - 3) / 2));
        out += `${prefix}${truncate(change.before, room)} → ${truncate(change.after, room)}\n`;
      }
    });
  }
  const counts = ORDER.map((kind) => [kind, report.cells.filter((cell) => cell.verdict === kind).length] as const).filter(([, n]) => n > 0);
  out += `${plural(report.cells.length, "cell")}${counts.length ? `: ${counts.map(([kind, n]) => `${n} ${kind}`).join(", ")}` : ""}\n`;
  const hint = hintFor(report, output, recordsProblem);
  if (hint) out += `hint: ${hint}\n`;
  return out;
}

function hintFor(report: ReproduceReport, output: string | undefined, recordsProblem: string | undefined): string | undefined {
  if (report.reproduced) return undefined;
  const has = (kind: CellReportVerdict) => report.cells.some((cell) => cell.verdict === kind);
  const file = /[^\w./-]/.test(report.notebook) ? JSON.stringify(report.notebook) : report.notebook;
  if (has("failed")) {
    return output !== undefined
      ? `failed cells raised an error or did not finish; their outputs are in ${output}`
      : "failed cells raised an error or did not finish; pass --output FILE to keep the executed notebook and see their outputs";
  }
  if (has("changed")) return `changed cells' code differs from the record; re-record them with: labtrail reproduce ${file} --mode refresh`;
  if (has("drifted"))
    return `drifted cells gave other results than the record (see the changes above); re-record on purpose with --mode refresh`;
  if (has("new") && recordsProblem) return `no run records are kept (${recordsProblem}); fix that path, then rerun`;
  if (has("new")) return `new cells have no record to compare with yet; check it with: labtrail reproduce ${file}`;
  return "the kernel reported no verdict for some cells; is it an older labtrail kernel?";
}

function formatDuration(cell: CellReport): string {
  if (cell.status === "not-run") return "-";
  const ms = cell.durationMs;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

/** Cell ids in the table: as long as needed to tell them apart, never shorter than this… */
const ID_MIN = 8;
/** …nor longer than this (a UUID's length; JupyterLab's ids are shorter). */
const ID_MAX = 36;

/**
 * Each id's shortest prefix of at least ID_MIN characters that no other id in `ids` starts with
 * (`welcome-a`, `welcome-b`, not `welcome-` twice), cut at ID_MAX with an ellipsis.
 */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const distinct = [...new Set(ids)];
  const labels = new Map<string, string>();
  for (const id of distinct) {
    let length = Math.min(ID_MIN, id.length);
    while (length < id.length && distinct.some((other) => other !== id && other.startsWith(id.slice(0, length)))) length++;
    labels.set(id, length > ID_MAX ? `${id.slice(0, ID_MAX - 1)}…` : id.slice(0, length));
  }
  return labels;
}

function oneLine(value: string): string {
  return value
    .replace(/\s*\n\s*/g, " ⏎ ")
    .replace(/\s+/g, " ")
    .trim();
}

function truncate(value: string, room: number): string {
  const flat = oneLine(value);
  const chars = [...flat];
  return chars.length <= room ? flat : `${chars.slice(0, Math.max(1, room - 1)).join("")}…`;
}

// --- progress --------------------------------------------------------------------------------------

/** A progress bar on stderr (a terminal only): cells done out of all, and the one running. */
class Progress {
  private readonly bar: SingleBar;
  private started = false;

  constructor(private readonly total: number) {
    this.bar = new SingleBar(
      {
        format: "{bar} {value}/{total} cells | {duration_formatted} | {what}",
        stream: process.stderr,
        clearOnComplete: true,
        hideCursor: true,
        barsize: 30,
        etaBuffer: 5,
      },
      Presets.shades_classic,
    );
  }

  update(done: number, what: string): void {
    if (!this.started) {
      this.started = true;
      this.bar.start(this.total, done, { what });
    } else {
      this.bar.update(done, { what });
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

// --- small helpers --------------------------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
