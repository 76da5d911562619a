/**
 * `labtrail export <notebook> [-o file]`: writes the design-doc draft.
 *
 * By default the draft goes beside the notebook as `<name>.design.md` (`summaries.ipynb` →
 * `summaries.design.md`); `-o file` writes it elsewhere, `-o -` prints it on stdout. The notebook is
 * only read. The same notebook gives the same bytes; an unchanged draft is not rewritten, and a changed
 * one is replaced atomically (written beside, then renamed), so a crash never leaves half a draft.
 *
 * When the notebook has run records (`<name>.labtrail/runs.jsonl`), the draft's evidence comes from
 * them: metrics, models, tokens, replayed calls and the reproduce command. Lines of the records that
 * cannot be read are warned about on stderr and left out; they never fail the export.
 */

import * as path from "node:path";
import type { Command } from "commander";
import { buildEvidence, renderDesignDoc } from "../../core";
import { codeHash } from "../../records/code-hash";
import { sameFile, writeIfChanged } from "../../files/write-file";
import { CliError } from "../errors";
import { fileError, readNotebookFile } from "./notebook-file";
import { readRunsFor, runsWarnings } from "./runs";

export interface ExportOptions {
  output?: string;
}

/** Where the draft of `notebook` goes by default: beside it, `.ipynb` replaced by `.design.md`. */
export function defaultDraftPath(notebook: string): string {
  const base = path.basename(notebook).replace(/\.ipynb$/i, "");
  return path.join(path.dirname(notebook), `${base}.design.md`);
}

/**
 * The draft's Markdown for the notebook at `notebook`, linking it from `fromDir`, with the warnings
 * (one line each) about run records that could not be read.
 */
export function draftFor(notebook: string, fromDir: string): { draft: string; warnings: string[] } {
  const read = readNotebookFile(notebook);
  if (!read.ok) throw new CliError(`${notebook}: ${read.problem}`, 2);
  const notebookHref = path.relative(fromDir, path.resolve(notebook)).split(path.sep).join("/");
  const notebookName = path.basename(notebook);
  const runs = readRunsFor(notebook);
  const evidence = runs.ok ? buildEvidence(read.notebook, runs.records, { notebookFileName: notebookName, codeHash }) : undefined;
  return { draft: renderDesignDoc(read.notebook, { notebookName, notebookHref, evidence }), warnings: runsWarnings(runs) };
}

export function registerExportCommand(program: Command): Command {
  return program
    .command("export")
    .description("write the design-doc draft of a notebook (default: <name>.design.md beside it)")
    .argument("<notebook>", "notebook file (.ipynb)")
    .option("-o, --output <file>", 'where to write the draft; "-" for stdout')
    .action((notebook: string, options: ExportOptions) => {
      if (options.output === "-") {
        const { draft, warnings } = draftFor(notebook, process.cwd());
        for (const warning of warnings) process.stderr.write(`${warning}\n`);
        process.stdout.write(draft);
        return;
      }
      const output = options.output ?? defaultDraftPath(notebook);
      if (path.resolve(output) === path.resolve(notebook) || sameFile(output, notebook)) {
        throw new CliError(`${output}: refusing to overwrite the notebook with its draft; pass another -o file`, 2);
      }
      const { draft, warnings } = draftFor(notebook, path.dirname(path.resolve(output)));
      for (const warning of warnings) process.stderr.write(`${warning}\n`);
      if (writeDraft(output, draft)) process.stdout.write(`wrote ${output}\n`);
      else process.stdout.write(`${output} is up to date\n`);
    });
}

/** Writes the draft unless the file already holds exactly it; returns whether it wrote. */
function writeDraft(file: string, text: string): boolean {
  try {
    return writeIfChanged(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw new CliError(`${file}: is a directory; pass a file name to -o`, 2);
    const why = code === "ENOENT" ? "its directory does not exist" : fileError(err);
    throw new CliError(`${file}: cannot write the draft: ${why}`, 2);
  }
}
