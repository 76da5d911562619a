/**
 * `labtrail lint <notebook…>`: checks every code cell's header against the contract.
 *
 *   path:cell N:line:col: message      one line per problem on stdout (or one JSON document, --format json)
 *   path: what is wrong                 one line per unreadable notebook (or bad config) on stderr
 *
 * N is the cell's number counting every cell from the top, Markdown cells included: the numbering the
 * design-doc draft uses too (core's notebook/cell-number.ts).
 *
 * Exit 0 when clean, 1 when there are problems, 2 when an input could not be read (that wins). Required
 * keys come from the nearest labtrail.config.json (`header.required`); the header mode does not apply.
 *
 * A notebook with run records beside it (`<name>.labtrail/runs.jsonl`) is also checked for a stale
 * Found ("stale-found": the code or the results changed after Found was written), a problem like the
 * others. Records that cannot be read are warned about (stderr, or `warnings` in JSON), never fatal.
 */

import * as path from "node:path";
import { type Command, Option } from "commander";
import { formatProblem, lintNotebook, type NotebookProblem } from "../../core";
import { loadConfig } from "../../config";
import { codeHash } from "../../records/code-hash";
import { CliError } from "../errors";
import { readNotebookFile } from "./notebook-file";
import { readRunsFor, runsWarnings } from "./runs";

export type LintFormat = "text" | "json";

export interface LintReport {
  problems: (NotebookProblem & { path: string })[];
  unreadable: { path: string; message: string }[];
  /** One line each: run records that could not be read (the lint went on without them). */
  warnings: string[];
}

export interface LintJson {
  problems: {
    path: string;
    cell: number;
    cellId: string | null;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    code: string;
    key: string | null;
    message: string;
  }[];
  unreadable: { path: string; message: string }[];
  warnings: string[];
  summary: { notebooks: number; problems: number; unreadable: number };
}

/** Lints the notebooks at `paths` (as given, relative to the working directory). */
export function lintFiles(paths: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): LintReport {
  const report: LintReport = { problems: [], unreadable: [], warnings: [] };
  const configs = new Map<string, ReturnType<typeof loadConfig>>();
  for (const file of paths) {
    const dir = path.dirname(path.resolve(file));
    let config = configs.get(dir);
    if (!config) {
      config = loadConfig(dir, env);
      configs.set(dir, config);
    }
    if (!config.ok) {
      report.unreadable.push({ path: file, message: `cannot lint: ${config.error}` });
      continue;
    }
    const read = readNotebookFile(file);
    if (!read.ok) {
      report.unreadable.push({ path: file, message: read.problem });
      continue;
    }
    const runs = readRunsFor(file);
    report.warnings.push(...runsWarnings(runs));
    const records = runs.ok ? runs.records : [];
    const { problems } = lintNotebook(read.notebook, {
      required: config.config.header.required,
      runs: records.length > 0 ? { records, codeHash } : undefined,
    });
    for (const problem of problems) report.problems.push({ ...problem, path: file });
  }
  return report;
}

export function toJson(report: LintReport, notebooks: number): LintJson {
  return {
    problems: report.problems.map((p) => ({
      path: p.path,
      cell: p.cell,
      cellId: p.cellId,
      line: p.start.line,
      column: p.start.column,
      endLine: p.end.line,
      endColumn: p.end.column,
      code: p.code,
      key: p.key ?? null,
      message: p.message,
    })),
    unreadable: report.unreadable,
    warnings: report.warnings,
    summary: { notebooks, problems: report.problems.length, unreadable: report.unreadable.length },
  };
}

export function registerLintCommand(program: Command): Command {
  return program
    .command("lint")
    .description("check the header of every code cell; exit 0 clean, 1 problems, 2 unreadable input")
    .argument("<notebooks...>", "notebook files (.ipynb)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((paths: string[], options: { format: LintFormat }) => {
      const report = lintFiles(paths);
      if (options.format === "json") {
        process.stdout.write(`${JSON.stringify(toJson(report, paths.length), null, 2)}\n`);
      } else {
        let out = "";
        for (const problem of report.problems) out += `${formatProblem(problem.path, problem)}\n`;
        process.stdout.write(out);
        for (const warning of report.warnings) process.stderr.write(`${warning}\n`);
        for (const bad of report.unreadable) process.stderr.write(`${bad.path}: ${bad.message}\n`);
      }
      // The exit code travels as a CliError: main() prints its one-line summary and exits with it.
      if (report.unreadable.length > 0) {
        throw new CliError(`${report.unreadable.length} of ${plural(paths.length, "notebook")} could not be read`, 2);
      }
      if (report.problems.length > 0) {
        const files = new Set(report.problems.map((p) => p.path)).size;
        throw new CliError(`${plural(report.problems.length, "header problem")} in ${plural(files, "notebook")}`, 1);
      }
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
