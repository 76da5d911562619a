/**
 * The design-doc draft: a notebook (and, once records exist, its evidence) to one page of Markdown a
 * person edits and keeps. Claims are grouped by what a reader decides with (decisions, tradeoffs,
 * constraints), refuted hypotheses become alternatives considered, undocumented cells and drift are
 * listed rather than hidden, and every line names the cell behind it.
 *
 * Deterministic: the output depends only on the inputs (no clock, no locale, no machine paths), so two
 * exports of the same notebook and records are byte-identical.
 */

import { SPEC_KEYS, SPEC_LABELS, type SpecKey } from "../spec-lite";
import type { HeaderVerdict } from "../header/keys";
import type { HeaderKey } from "../header/keys";
import { CELL_NUMBERING } from "../notebook/cell-number";
import type { Notebook } from "../notebook/schema";
import type { CellEvidence, DesignDocEvidence, EvaluationEvidence, ModelUsage } from "./evidence";
import { cell, codeSpan, formatCount, href, inline, plural, table } from "./markdown";
import { buildDesignDocModel, type CellRef, type DesignDocModel, type Experiment, type UndocumentedCell } from "./model";

export interface RenderOptions {
  /** The notebook's file name, shown in the draft ("summaries.ipynb"). */
  notebookName: string;
  /** Path from the draft to the notebook, "/"-separated, for the cell links; default `notebookName`. */
  notebookHref?: string;
  /** Evidence from run records; when absent the draft says there are none yet. */
  evidence?: DesignDocEvidence;
  /** Required header keys (the config's `header.required`): what "documented" means, as in the status bar. */
  required?: readonly HeaderKey[];
}

/** At most this many undocumented cells are named; the rest are counted. */
const UNDOCUMENTED_LISTED = 20;

const SPEC_DISPLAY: Readonly<Record<SpecKey, string>> = { ...SPEC_LABELS, metric: "Success metric" };

export function renderDesignDoc(notebook: Notebook, options: RenderOptions): string {
  const model = buildDesignDocModel(notebook, options.notebookName, { required: options.required });
  return renderModel(model, options);
}

export function renderModel(model: DesignDocModel, options: RenderOptions): string {
  const link = href(options.notebookHref ?? options.notebookName);
  const evidence = options.evidence ? indexEvidence(options.evidence, model) : null;
  const out: string[] = [];
  // Blocks are separated by blank lines, headings included: pandoc (Quarto) wants one before a table.
  const section = (...blocks: string[]) => out.push(blocks.filter((block) => block !== "").join("\n\n"));

  section(`# ${inline(model.title)} — design doc draft`);
  const date = options.evidence?.lastRunAt ? isoDate(options.evidence.lastRunAt) : null;
  const exportCommand = codeSpan(`labtrail export ${options.notebookName}`);
  section(
    `> Draft exported from ${codeSpan(options.notebookName)}${date ? ` (results as of ${date})` : ""}; ${CELL_NUMBERING}, ` +
      `as in \`labtrail lint\`. Until you edit this file, ${exportCommand} refreshes it; once edited, export keeps your ` +
      "edits: add `--force` to replace them, or `-o` another file to write a fresh draft there.",
  );

  const tally = tallyOf(model);
  section("## Context", contextLines(model, options.evidence));
  section("## Summary", summaryLine(tally));
  section("## Experiments", experimentsTable(model.experiments, link, evidence));

  const { experiments } = model;
  section(
    "## Key decisions",
    bullets(
      experiments.filter((e) => e.decision).map((e) => `${inline(e.decision!)} (cell ${e.cell})`),
      "_None recorded yet: add `// Decision: …` to the cell that settled one._",
    ),
  );

  const refuted = experiments.filter((e) => e.verdict === "refuted");
  const tradeoffs = [
    "## Tradeoffs",
    bullets(
      experiments.filter((e) => e.tradeoff).map((e) => `${inline(e.tradeoff!)} (cell ${e.cell})`),
      "_None recorded yet: add `// Tradeoff: …` where a choice cost something._",
    ),
  ];
  if (refuted.length > 0) {
    tradeoffs.push(
      "### Alternatives considered",
      bullets(
        refuted.map((e) => `${inline(e.tested)} — refuted${e.found ? `: ${inline(e.found)}` : ""} (cell ${e.cell})`),
        "",
      ),
    );
  }
  section(...tradeoffs);

  section(
    "## Constraints the model revealed",
    bullets(
      experiments.filter((e) => e.constraint).map((e) => `${inline(e.constraint!)} (cell ${e.cell})`),
      "_None recorded yet: add `// Constraint: …` when the model shows a limit._",
    ),
  );

  section("## Open questions and next steps", bullets(openQuestions(model, tally, evidence), NOTHING_OPEN));

  section("## Evidence", ...evidenceSection(options.evidence, evidence));

  return `${out.join("\n\n")}\n`;
}

function contextLines(model: DesignDocModel, evidence: DesignDocEvidence | undefined): string {
  const spec = model.spec;
  const present = SPEC_KEYS.filter((key) => spec?.fields[key]?.value);
  if (!spec || (present.length === 0 && !spec.title)) {
    return "No spec-lite yet: start the notebook with a Markdown cell holding a `# Title` and `Problem:`, `User:`, `Metric:` and `Time box:` lines.";
  }
  const lines: string[] = [];
  const span = evidence?.firstRunAt && evidence.lastRunAt ? spanBetween(evidence.firstRunAt, evidence.lastRunAt) : null;
  // Of the runs behind the results shown, not of every record: runs.jsonl may hold a colleague's old runs.
  const spanText = span ? `the results below came from runs over ${span} (${RESULT_RUNS})` : null;
  for (const key of present) {
    let line = `- **${SPEC_DISPLAY[key]}:** ${inline(spec.fields[key]!.value)}`;
    if (key === "timeBox" && spanText) line += ` · ${spanText}`;
    lines.push(line);
  }
  const missing = SPEC_KEYS.filter((key) => !present.includes(key));
  if (missing.length > 0) lines.push(`- Not stated yet: ${missing.map((key) => SPEC_DISPLAY[key]).join(", ")}.`);
  if (spanText && !present.includes("timeBox")) lines.push(`- The results below came from runs over ${span} (${RESULT_RUNS}).`);
  return lines.join("\n");
}

/** Which runs the evidence and the span are of, in the draft's words (records/evidence.ts picks them). */
const RESULT_RUNS = "for each cell, the run that first gave its latest result; later reruns that reproduced it do not count";

/** The numbers the summary and the open questions both state, counted once so they cannot disagree. */
interface Tally {
  experiments: number;
  byVerdict: Readonly<Record<HeaderVerdict, number>>;
  withoutVerdict: Experiment[];
  undocumented: UndocumentedCell[];
}

function tallyOf(model: DesignDocModel): Tally {
  const count = (verdict: HeaderVerdict) => model.experiments.filter((e) => e.verdict === verdict).length;
  return {
    experiments: model.experiments.length,
    byVerdict: { supported: count("supported"), refuted: count("refuted"), inconclusive: count("inconclusive") },
    withoutVerdict: model.experiments.filter((e) => !e.verdict),
    undocumented: model.undocumented,
  };
}

function summaryLine(tally: Tally): string {
  const parts: string[] = [];
  if (tally.experiments === 0) {
    parts.push("No documented experiments yet.");
  } else {
    const counts = [
      [tally.byVerdict.supported, "supported"],
      [tally.byVerdict.refuted, "refuted"],
      [tally.byVerdict.inconclusive, "inconclusive"],
      [tally.withoutVerdict.length, "without a verdict"],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, label]) => `${formatCount(n as number)} ${label}`);
    parts.push(`${plural(tally.experiments, "experiment")}: ${counts.join(", ")}.`);
  }
  const undocumented = tally.undocumented.length;
  if (undocumented > 0) {
    parts.push(`${plural(undocumented, "cell")} ${undocumented === 1 ? "is" : "are"} undocumented.`);
  } else if (tally.experiments > 0) {
    parts.push("Every code cell is documented.");
  }
  return parts.join(" ");
}

/**
 * Shown only when openQuestions lists nothing, and it lists every experiment without a verdict and
 * every undocumented cell of the same tally: so this is true whenever it is shown.
 */
const NOTHING_OPEN = "_Nothing open: every experiment has a verdict and every code cell is documented._";

function experimentsTable(experiments: Experiment[], link: string, evidence: EvidenceIndex | null): string {
  if (experiments.length === 0) {
    return "_No code cell has a `// Tested: …` header yet._";
  }
  const header = ["Cell", "Tested", "Expected", "Found", "Verdict"];
  if (evidence) header.push("Evidence");
  const rows = experiments.map((e) => {
    const row = [cellLink(e, link), cell(e.tested), cell(e.expect), cell(e.found), cell(e.verdictText)];
    if (evidence) row.push(evidenceCell(evidence.get(e)));
    return row;
  });
  return table(header, rows);
}

/** `[2](notebook.ipynb "cell id abc")`: the cell number, linking the notebook, naming the cell id. */
function cellLink(ref: CellRef, link: string): string {
  const title = ref.cellId && /^[A-Za-z0-9_-]{1,64}$/.test(ref.cellId) ? ` "cell id ${ref.cellId}"` : "";
  return `[${ref.cell}](${link}${title})`;
}

/**
 * The latest rerun's verdict, or "recorded" for a cell run once. No run numbers: they grow with every
 * rerun, and a rerun that reproduced must leave the draft byte for byte as it was.
 */
function evidenceCell(evidence: CellEvidence | undefined): string {
  if (!evidence) return "—";
  if (!evidence.rerun) return "recorded";
  const { verdict } = evidence.rerun;
  return `${verdict}${verdict === "drifted" || verdict === "failed" ? " ⚠" : ""}`;
}

function openQuestions(model: DesignDocModel, tally: Tally, evidence: EvidenceIndex | null): string[] {
  const items: string[] = [];
  for (const e of model.experiments) {
    if (e.next) items.push(`${inline(e.next)} (cell ${e.cell})`);
  }
  for (const e of model.experiments) {
    if (e.verdict === "inconclusive") items.push(`Inconclusive: ${inline(e.tested)} (cell ${e.cell})`);
  }
  if (tally.withoutVerdict.length > 0) {
    items.push(`Without a verdict: ${cellList(tally.withoutVerdict)}.`);
  }
  // Experiments whose header the status bar counts as undocumented, with what it is missing.
  for (const u of tally.undocumented) {
    if (!u.tested) continue;
    const onlyFound = [...u.status.missing, ...u.status.empty].every((key) => key === "found");
    items.push(
      onlyFound
        ? `Cell ${u.cell} has run, but its header does not say what was found.`
        : `Cell ${u.cell}'s header is incomplete: ${inline(u.status.badge)}.`,
    );
  }
  if (evidence) {
    for (const e of model.experiments) {
      const rerun = evidence.get(e)?.rerun;
      if (rerun?.verdict === "drifted") {
        const detail = rerun.detail ? ` (${inline(rerun.detail)})` : "";
        items.push(`Cell ${e.cell}'s last rerun drifted from the Found it states${detail}: recheck before relying on it.`);
      } else if (rerun?.verdict === "failed") {
        const detail = rerun.detail ? ` (${inline(rerun.detail)})` : "";
        items.push(`Cell ${e.cell}'s last rerun failed${detail}.`);
      }
    }
  }
  const untested = tally.undocumented.filter((u) => !u.tested);
  if (untested.length > 0) items.push(`Undocumented: ${cellList(untested)}.`);
  return items;
}

/** "cell 2, cell 5", the first UNDOCUMENTED_LISTED named and the rest counted. */
function cellList(refs: readonly CellRef[]): string {
  const named = refs.slice(0, UNDOCUMENTED_LISTED).map((ref) => `cell ${ref.cell}`);
  const rest = refs.length - named.length;
  return `${named.join(", ")}${rest > 0 ? ` and ${formatCount(rest)} more` : ""}`;
}

function evidenceSection(raw: DesignDocEvidence | undefined, evidence: EvidenceIndex | null): string[] {
  if (!raw || !evidence) {
    return ["No run records for this notebook yet, so no experiment above is backed by a recorded run."];
  }
  const rows = evidence.ordered.map(({ ref, evidence: e }) => {
    const models = [...e.models].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
    const total = (pick: (m: ModelUsage) => number) => models.reduce((sum, m) => sum + pick(m), 0);
    const calls = total((m) => m.calls);
    const metrics = Object.keys(e.metrics)
      .sort()
      .map((key) => `${inline(key)}=${inline(String(e.metrics[key]))}`)
      .join(", ");
    return [
      `${ref.cell}`,
      cell(models.map((m) => m.model).join(", ")),
      formatCount(calls),
      `${formatCount(total((m) => m.tokensIn))} / ${formatCount(total((m) => m.tokensOut))}`,
      `${formatCount(total((m) => m.replayed))}/${formatCount(calls)}`,
      metrics || "—",
    ];
  });
  const blocks = [
    rows.length > 0
      ? table(["Cell", "Model", "Calls", "Tokens in/out", "Replayed", "Metrics"], rows)
      : "The run records hold no evidence for the cells of this notebook.",
  ];
  if (rows.length > 0) blocks.push(totalsLine(evidence.ordered.map(({ evidence: e }) => e)));
  for (const { ref, evidence: e } of evidence.ordered) {
    for (const evaluation of e.evaluations ?? []) blocks.push(evaluationBlock(ref.cell, evaluation));
  }
  if (raw.reproduceCommand) blocks.push(`Reproduce: ${codeSpan(raw.reproduceCommand)}`);
  return blocks;
}

/** One evaluation: a line naming it, then its scores and counts with the variants side by side. */
function evaluationBlock(cellNumber: number, e: EvaluationEvidence): string {
  const columns = e.variants.map((v) => cell(v.variant ?? "result"));
  const number = (value: number | null) => (value === null ? "—" : String(Math.round(value * 1000) / 1000));
  const rows = [
    ...e.scores.map((score) => [cell(score), ...e.variants.map((v) => number(v.means[score] ?? null))]),
    ["n", ...e.variants.map((v) => formatCount(v.n))],
    // With trials, the runs the means and errors are over.
    ...(e.variants.some((v) => v.runs !== v.n) ? [["runs", ...e.variants.map((v) => formatCount(v.runs))]] : []),
    ["errors", ...e.variants.map((v) => formatCount(v.errors))],
  ];
  return `Evaluation ${codeSpan(e.name)} (cell ${cellNumber}):\n\n${table(["", ...columns], rows)}`;
}

/** The table's totals in words: model calls, how many replayed from recordings and how many live, tokens. */
function totalsLine(cells: readonly CellEvidence[]): string {
  const models = cells.flatMap((e) => e.models);
  const total = (pick: (m: ModelUsage) => number) => models.reduce((sum, m) => sum + pick(m), 0);
  const calls = total((m) => m.calls);
  if (calls === 0) return "Totals over the latest runs above: no model calls.";
  const replayed = total((m) => m.replayed);
  return (
    `Totals over the latest runs above: ${plural(calls, "model call")} (${formatCount(replayed)} replayed, ${formatCount(calls - replayed)} live); ` +
    `${formatCount(total((m) => m.tokensIn))} tokens in, ${formatCount(total((m) => m.tokensOut))} out.`
  );
}

interface EvidenceIndex {
  get(ref: CellRef): CellEvidence | undefined;
  /** Evidence matched to current cells, in cell order. */
  ordered: { ref: CellRef; evidence: CellEvidence }[];
}

/** Matches evidence to the notebook's cells: by cell id when the evidence names one, else by number. */
function indexEvidence(raw: DesignDocEvidence, model: DesignDocModel): EvidenceIndex {
  const byId = new Map<string, CellEvidence>();
  const byNumber = new Map<number, CellEvidence>();
  for (const e of raw.cells) {
    if (e.cellId) byId.set(e.cellId, e);
    else byNumber.set(e.cell, e);
  }
  const get = (ref: CellRef) => (ref.cellId !== null && byId.get(ref.cellId)) || byNumber.get(ref.cell);
  const refs = [...model.experiments, ...model.undocumented].sort((a, b) => a.cell - b.cell);
  const ordered: EvidenceIndex["ordered"] = [];
  for (const ref of refs) {
    const evidence = get(ref);
    if (evidence) ordered.push({ ref: { cell: ref.cell, cellId: ref.cellId }, evidence });
  }
  return { get, ordered };
}

function bullets(items: string[], none: string): string {
  return items.length === 0 ? none : items.map((item) => `- ${item}`).join("\n");
}

function isoDate(iso: string): string | null {
  return /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? null;
}

/** "40 min", "5.5 h", "1.5 days" between two ISO times, or null when either is not a time. */
function spanBetween(first: string, last: string): string | null {
  const ms = Date.parse(last) - Date.parse(first);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const minutes = ms / 60_000;
  if (minutes < 90) return `${Math.max(1, Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (hours < 24) return `${trimNumber(hours)} h`;
  return `${trimNumber(hours / 24)} days`;
}

function trimNumber(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1).replace(/\.0$/, "");
}
