/**
 * `labtrail export <notebook> [-o file] [--force]`: writes the design-doc draft.
 *
 * By default the draft goes beside the notebook as `<name>.design.md` (`summaries.ipynb` →
 * `summaries.design.md`); `-o file` writes it elsewhere, `-o -` prints it on stdout (its links then
 * are relative to the default place, beside the notebook, wherever the command runs). The notebook is
 * only read. The same notebook gives the same bytes; an unchanged draft is not rewritten, and a changed
 * one is replaced atomically (written beside, then renamed), so a crash never leaves half a draft.
 *
 * The draft ends with a stamp that fingerprints its text (core's `stampDraft`). A draft someone edited
 * since it was exported (or one without a stamp) is theirs: export refuses to replace it unless
 * `--force` is given, and never touches it otherwise.
 *
 * When the notebook has run records (`<name>.labtrail/runs.jsonl`), the draft's evidence comes from
 * them: metrics, models, tokens, replayed calls and the reproduce command. Lines of the records that
 * cannot be read are warned about on stderr and left out; they never fail the export.
 */

import * as path from "node:path";
import type { Command } from "commander";
import { composeDraft, configuredRedactor, DEFAULT_DRAFT_FILE_NAME, draftFileName, draftFileState } from "../../core";
import { defaultConfig, loadConfig } from "../../config";
import { codeHash } from "../../records/code-hash";
import { readRegularText } from "../../files/read-file";
import { protectedOutputProblem } from "../../files/output-target";
import { writeFileAtomic } from "../../files/write-file";
import { CliError } from "../errors";
import { fileError, readNotebookFile } from "./notebook-file";
import { readRunsFor, runsWarnings } from "./runs";

export interface ExportOptions {
  output?: string;
  /** Replace the draft even when it was edited since it was exported. */
  force?: boolean;
}

/** Where the draft of `notebook` goes by default: beside it, `.ipynb` replaced by `.design.md`. */
export function defaultDraftPath(notebook: string): string {
  return path.join(path.dirname(notebook), draftFileName(DEFAULT_DRAFT_FILE_NAME, path.basename(notebook)));
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
  const records = runs.ok ? runs.records : [];
  // The secrets the kernel would know here: the project's key variables and endpoint credentials.
  const config = loadConfig(path.dirname(path.resolve(notebook)));
  const { models, header } = config.ok ? config.config : defaultConfig();
  const redactor = configuredRedactor(models, process.env);
  const draft = composeDraft({
    notebook: read.notebook,
    notebookName,
    notebookHref,
    records,
    codeHash,
    redactor,
    required: header.required,
  });
  return { draft, warnings: runsWarnings(runs) };
}

export function registerExportCommand(program: Command): Command {
  return program
    .command("export")
    .description("write the design-doc draft of a notebook (default: <name>.design.md beside it)")
    .argument("<notebook>", "notebook file (.ipynb)")
    .option("-o, --output <file>", 'where to write the draft; "-" for stdout')
    .option("--force", "replace the draft even if it was edited since it was exported")
    .action((notebook: string, options: ExportOptions) => {
      if (options.output === "-") {
        // Printed, the draft has no place of its own: link as from where it goes by default.
        const { draft, warnings } = draftFor(notebook, path.dirname(path.resolve(defaultDraftPath(notebook))));
        for (const warning of warnings) process.stderr.write(`${warning}\n`);
        process.stdout.write(draft);
        return;
      }
      const output = options.output ?? defaultDraftPath(notebook);
      const protectedProblem = protectedOutputProblem(output, { input: notebook, draftAllowed: true });
      if (protectedProblem === "is the input notebook") {
        throw new CliError(`${output}: refusing to overwrite the notebook with its draft; pass another -o file`, 2);
      }
      if (protectedProblem) throw new CliError(`${output}: refusing to overwrite it: it ${protectedProblem}; pass another -o file`, 2);
      const { draft, warnings } = draftFor(notebook, path.dirname(path.resolve(output)));
      const existing = readExistingDraft(output);
      const state = existing === null ? null : draftFileState(existing, draft);
      if (state === "edited" && !options.force) {
        throw new CliError(`${output}: edited since it was exported; pass --force to overwrite it, or -o to write the draft elsewhere`, 2);
      }
      for (const warning of warnings) process.stderr.write(`${warning}\n`);
      if (state === "up-to-date") {
        process.stdout.write(`${output} is up to date\n`);
        return;
      }
      writeDraft(output, draft);
      process.stdout.write(`wrote ${output}\n`);
    });
}

/** The draft file's text, or null when there is none yet. */
function readExistingDraft(file: string): string | null {
  try {
    return readRegularText(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "EISDIR") throw directoryError(file);
    // Unread, it might hold someone's edits: do not write over it.
    throw new CliError(`${file}: cannot read the existing draft: ${fileError(err)}`, 2);
  }
}

function writeDraft(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EISDIR") throw directoryError(file);
    const why = code === "ENOENT" ? "its directory does not exist" : fileError(err);
    throw new CliError(`${file}: cannot write the draft: ${why}`, 2);
  }
}

function directoryError(file: string): CliError {
  return new CliError(`${file}: is a directory; pass a file name to -o`, 2);
}
