/**
 * The design-doc draft as a file a person keeps: composed from the notebook (and its run records),
 * then stamped with a fingerprint of its own text. A later export can tell a draft nobody touched
 * (safe to refresh) from one someone edited (never overwritten without being asked).
 */

import type { HeaderKey } from "../header/keys";
import type { Notebook } from "../notebook/schema";
import { buildEvidence } from "../records/evidence";
import type { RunRecord } from "../records/schema";
import type { Redactor } from "../redact";
import { fnv1a64 } from "./fingerprint";
import { renderDesignDoc } from "./render";

export interface DraftInput {
  notebook: Notebook;
  /** The notebook's file name ("summaries.ipynb"). */
  notebookName: string;
  /** Path from the draft to the notebook, "/"-separated; default `notebookName`. */
  notebookHref?: string;
  /** The notebook's run records; with none, the draft says there is no evidence yet. */
  records?: readonly RunRecord[];
  /** The kernel's code hash, so records of cells sent without an id find their cell. */
  codeHash?: (source: string) => string;
  /** Applied to the draft's text before it is stamped: a key pasted into a header stays out of it. */
  redactor?: Redactor;
  /** Required header keys (the config's `header.required`), so "documented" means what the status bar means. */
  required?: readonly HeaderKey[];
}

/** Where a draft goes by default, beside its notebook: `{name}` is the notebook's name without `.ipynb`. */
export const DEFAULT_DRAFT_FILE_NAME = "{name}.design.md";

/**
 * The draft's file name for a notebook from a pattern such as DEFAULT_DRAFT_FILE_NAME. A pattern that
 * would leave the notebook's folder, or overwrite the notebook, is refused.
 */
export function draftFileName(pattern: string, notebookFileName: string): string {
  const name = notebookFileName.replace(/\.ipynb$/i, "");
  const fileName = pattern.split("{name}").join(name).trim();
  if (fileName === "" || /[\\/]/.test(fileName) || fileName === "." || fileName === "..") {
    throw new Error(`the export file name "${pattern}" must be a file name such as "${DEFAULT_DRAFT_FILE_NAME}" (no folders)`);
  }
  if (fileName === notebookFileName) throw new Error(`the export file name "${pattern}" would overwrite the notebook itself`);
  return fileName;
}

/** The stamped draft for a notebook: what `labtrail export` writes and the extension's export shows. */
export function composeDraft(input: DraftInput): string {
  const { notebook, notebookName, notebookHref, records = [], codeHash, redactor, required } = input;
  const evidence = buildEvidence(notebook, records, { notebookFileName: notebookName, codeHash });
  const markdown = renderDesignDoc(notebook, { notebookName, notebookHref, evidence, required });
  return stampDraft(redactor ? redactor.redact(markdown) : markdown);
}

/** Everything before the fingerprint is fixed; the wording after it may change between versions. */
const STAMP_PREFIX = "<!-- labtrail export fingerprint: ";
const STAMP_PATTERN = /^<!-- labtrail export fingerprint: ([0-9a-f]{16})\b[^\r\n]*-->\s*$/;

/**
 * `markdown` followed by a blank line and one stamp line:
 * `<!-- labtrail export fingerprint: <16 hex digits> — edit freely: labtrail export will not overwrite an edited draft -->`.
 * The fingerprint is a hash of the body (see `draftFileState` for what it tolerates). A stamp the
 * text already ends with is replaced, so stamping is idempotent.
 */
export function stampDraft(markdown: string): string {
  const body = splitStamp(markdown)?.body ?? markdown;
  return `${body.trimEnd()}\n\n${STAMP_PREFIX}${fingerprintOf(body)} — edit freely: labtrail export will not overwrite an edited draft -->\n`;
}

export type DraftFileState = "up-to-date" | "exported" | "edited";

/**
 * What an existing draft file is, against the `fresh` draft an export would write now:
 * - "up-to-date": byte for byte the fresh draft; nothing to write;
 * - "exported": stamped, and its body still matches its stamp, so nobody edited it since an export
 *   (line endings converted and trailing whitespace changed by an editor do not count): safe to replace;
 * - "edited": no stamp (a draft from before stamps, or a file labtrail did not write), a stamp not at
 *   the end, or a body that no longer matches its stamp: someone's work, not to be overwritten.
 */
export function draftFileState(existing: string, fresh: string): DraftFileState {
  if (existing === fresh) return "up-to-date";
  const stamped = splitStamp(existing);
  return stamped && stamped.fingerprint === fingerprintOf(stamped.body) ? "exported" : "edited";
}

/** The body and fingerprint of a text whose last non-blank line is a stamp; null otherwise. */
function splitStamp(text: string): { body: string; fingerprint: string } | null {
  let at = text.lastIndexOf(STAMP_PREFIX);
  // The stamp is a line of its own.
  while (at > 0 && text[at - 1] !== "\n" && text[at - 1] !== "\r") at = text.lastIndexOf(STAMP_PREFIX, at - 1);
  if (at === -1) return null;
  const match = STAMP_PATTERN.exec(text.slice(at));
  return match ? { body: text.slice(0, at), fingerprint: match[1] } : null;
}

/**
 * The hash of a body as an editor may save it back: without a byte order mark, with "\n" line
 * endings, without trailing spaces or tabs on any line and without trailing blank lines.
 */
function fingerprintOf(body: string): string {
  const normalised = body
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[ \t]+$/, ""))
    .join("\n")
    .trimEnd();
  return fnv1a64(normalised);
}
