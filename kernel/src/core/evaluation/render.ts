/**
 * How evaluate() shows itself: the live progress line, the results table (items × scores, failures
 * marked, long outputs clipped with the whole text on hover) and, for variants, the summaries side by
 * side with a small Vega-Lite chart. Pure: the kernel renders, and nothing here reaches a file system.
 * Every string from a cell or a model is escaped, so an output cannot inject markup.
 */
import { formatDuration } from "../duration";
import { SUMMARY_FIELDS } from "./schema";

export interface ItemView {
  index: number;
  trial: number;
  /** The item as text (clipped here); absent where it is not known (a run record keeps no inputs). */
  input?: string;
  /** The whole output as text; null when the run failed. */
  output: string | null;
  scores: Record<string, number>;
  error?: string;
}

export interface EvaluationView {
  name: string;
  variant: string | null;
  scores: readonly string[];
  summary: Record<string, number | null>;
  items: readonly ItemView[];
  /** How many item runs there were, when `items` holds only some (a record keeps a bounded number). */
  runs?: number;
}

export interface ProgressView {
  name: string;
  done: number;
  total: number;
  errors: number;
  elapsedMs: number;
  tokensIn: number;
  tokensOut: number;
  calls: number;
  replayed: number;
  finished: boolean;
  /** How many item runs may run at once now, when the endpoint's rate limits slowed the evaluation down. */
  atOnce?: number;
}

/** A MIME bundle: what a display carries. */
export type Bundle = Record<string, unknown>;

const CELL_CHARS = 80;
const INPUT_CHARS = 60;
/** How many item rows the table shows; the rest are counted in a last row. */
export const TABLE_ROWS = 200;
const CSS = "border-collapse:collapse;font-size:12px;margin:4px 0;" + "font-family:var(--jp-ui-font-family,sans-serif)";
const TD = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top";
/** Failures: a red that reads on light and dark backgrounds alike (a sanitizer keeps only plain colours). */
const FAIL = "color:#e53935";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function clipText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits).replace(/0+$/, "").replace(/\.$/, "");
}

function title(view: { name: string; variant: string | null }): string {
  return view.variant === null ? view.name : `${view.name} › ${view.variant}`;
}

/** The progress line: done/total, errors, elapsed, ETA, tokens so far. */
export function renderProgress(p: ProgressView): Bundle {
  const eta = p.done > 0 && !p.finished ? ((p.total - p.done) * p.elapsedMs) / p.done : null;
  const parts = [
    `${p.done}/${p.total} done`,
    `${p.errors} error${p.errors === 1 ? "" : "s"}`,
    `${formatDuration(p.elapsedMs)} elapsed`,
    ...(eta === null ? [] : [`ETA ${formatDuration(eta)}`]),
    `tokens ${p.tokensIn} in / ${p.tokensOut} out`,
    `${p.calls} call${p.calls === 1 ? "" : "s"} (${p.replayed} replayed)`,
    ...(p.atOnce === undefined ? [] : [`slowed to ${p.atOnce} at once by the endpoint's limits`]),
  ];
  const text = `evaluate "${p.name}": ${p.finished ? "finished · " : ""}${parts.join(" · ")}`;
  const html =
    `<div class="labtrail-evaluate-progress" style="font-family:var(--jp-ui-font-family,sans-serif);font-size:12px">` +
    `<progress value="${p.done}" max="${Math.max(p.total, 1)}" style="width:200px;vertical-align:middle"></progress> ` +
    `<span>${escapeHtml(text)}</span></div>`;
  return { "text/plain": text, "text/html": html };
}

function summaryKeys(view: EvaluationView): string[] {
  return [...view.scores, ...SUMMARY_FIELDS];
}

function summaryText(view: EvaluationView): string {
  return summaryKeys(view)
    .map((key) => `${key} ${formatNumber(view.summary[key])}`)
    .join(" · ");
}

/** The results of one evaluation: a summary line, then items × scores. */
export function renderResults(view: EvaluationView): Bundle {
  const shown = view.items.slice(0, TABLE_ROWS);
  const trials = view.items.some((item) => item.trial > 1);
  const inputs = view.items.some((item) => item.input !== undefined);
  const head = ["#", ...(trials ? ["trial"] : []), ...(inputs ? ["input"] : []), "output", ...view.scores];
  const rows = shown.map((item) => {
    const output =
      item.error !== undefined
        ? `<td style="${TD};${FAIL}" title="${escapeHtml(item.error)}">✗ ${escapeHtml(clipText(item.error, CELL_CHARS))}</td>`
        : `<td style="${TD}" title="${escapeHtml(item.output ?? "")}">${escapeHtml(clipText(item.output ?? "", CELL_CHARS))}</td>`;
    const scores = view.scores.map((s) => {
      const value = item.scores[s];
      const failed = value === 0;
      return `<td style="${TD}${failed ? `;${FAIL}` : ""}">${escapeHtml(formatNumber(value))}</td>`;
    });
    return (
      `<tr><td style="${TD}">${item.index}</td>${trials ? `<td style="${TD}">${item.trial}</td>` : ""}` +
      (inputs
        ? `<td style="${TD}" title="${escapeHtml(item.input ?? "")}">${escapeHtml(clipText(item.input ?? "", INPUT_CHARS))}</td>`
        : "") +
      `${output}${scores.join("")}</tr>`
    );
  });
  const more = Math.max(view.runs ?? 0, view.items.length) - shown.length;
  const html =
    `<div class="labtrail-evaluate-results"><div style="font-size:12px"><b>${escapeHtml(title(view))}</b>: ${escapeHtml(summaryText(view))}</div>` +
    `<table style="${CSS}"><thead><tr>${head.map((h) => `<th style="${TD}">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.join("") +
    (more > 0 ? `<tr><td style="${TD}" colspan="${head.length}">… ${more} more</td></tr>` : "") +
    `</tbody></table></div>`;
  const lines = shown.map((item) => {
    const what = item.error !== undefined ? `✗ ${clipText(item.error, CELL_CHARS)}` : clipText(item.output ?? "", CELL_CHARS);
    const scores = view.scores.map((s) => `${s} ${formatNumber(item.scores[s])}`).join(" ");
    return `  ${item.index}${trials ? `.${item.trial}` : ""}  ${what}${scores ? `  [${scores}]` : ""}`;
  });
  const text = [`${title(view)}: ${summaryText(view)}`, ...lines, ...(more > 0 ? [`  … ${more} more`] : [])].join("\n");
  return { "text/plain": text, "text/html": html };
}

/** Variants side by side: one column per variant, one row per score and summary number. */
export function renderComparison(name: string, views: readonly EvaluationView[]): Bundle {
  const keys = [...new Set(views.flatMap(summaryKeys))];
  const variants = views.map((v) => v.variant ?? v.name);
  const html =
    `<div class="labtrail-evaluate-comparison"><div style="font-size:12px"><b>${escapeHtml(name)}</b>: ${views.length} variants</div>` +
    `<table style="${CSS}"><thead><tr><th style="${TD}"></th>${variants.map((v) => `<th style="${TD}">${escapeHtml(v)}</th>`).join("")}</tr></thead><tbody>` +
    keys
      .map(
        (key) =>
          `<tr><th style="${TD}">${escapeHtml(key)}</th>${views.map((v) => `<td style="${TD}">${escapeHtml(formatNumber(v.summary[key]))}</td>`).join("")}</tr>`,
      )
      .join("") +
    `</tbody></table></div>`;
  const width = Math.max(...keys.map((k) => k.length), 7);
  const colWidth = Math.max(...variants.map((v) => v.length), 8) + 2;
  const text = [
    `${name}: ${views.length} variants`,
    `${"".padEnd(width)}  ${variants.map((v) => v.padStart(colWidth)).join("")}`,
    ...keys.map((key) => `${key.padEnd(width)}  ${views.map((v) => formatNumber(v.summary[key]).padStart(colWidth)).join("")}`),
  ].join("\n");
  return { "text/plain": text, "text/html": html };
}

const BAR_WIDTH = 20;

/**
 * The score means per variant as a chart: Vega-Lite, which JupyterLab and VS Code draw, with bars in
 * text for the rest. A bundle of its own, not part of the table's: a frontend shows one MIME type of a
 * bundle, and JupyterLab ranks HTML above Vega-Lite, so a chart beside the table's HTML is never drawn.
 * Null when there are no scores.
 */
export function renderComparisonChart(name: string, views: readonly EvaluationView[]): Bundle | null {
  const chart = comparisonChart(name, views);
  if (!chart) return null;
  const scores = [...new Set(views.flatMap((v) => v.scores))];
  const variants = views.map((v) => v.variant ?? v.name);
  const width = Math.max(...variants.map((v) => v.length));
  const lines = scores.flatMap((score) => [
    score,
    ...views.map((v, i) => {
      const mean = v.summary[score];
      const filled = typeof mean === "number" ? Math.round(Math.min(Math.max(mean, 0), 1) * BAR_WIDTH) : 0;
      return `  ${variants[i].padEnd(width)}  ${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}  ${formatNumber(mean)}`;
    }),
  ]);
  return { "text/plain": [`${name}: score means`, ...lines].join("\n"), "application/vnd.vegalite.v5+json": chart };
}

/** A grouped bar chart of each score's mean per variant; null when there are no scores. */
export function comparisonChart(name: string, views: readonly EvaluationView[]): Record<string, unknown> | null {
  const values = views.flatMap((v) => v.scores.map((score) => ({ variant: v.variant ?? v.name, score, mean: v.summary[score] ?? null })));
  if (values.length === 0) return null;
  // Scores are mostly rates: on a 0–1 axis, bars of different evaluations compare by eye.
  const rates = values.every((v) => v.mean === null || (v.mean >= 0 && v.mean <= 1));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: name,
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "score", type: "nominal", title: null, axis: { labelAngle: 0 } },
      xOffset: { field: "variant" },
      y: { field: "mean", type: "quantitative", title: "mean", ...(rates ? { scale: { domain: [0, 1] } } : {}) },
      color: { field: "variant", type: "nominal" },
      tooltip: [{ field: "variant" }, { field: "score" }, { field: "mean", format: ".3f" }],
    },
  };
}

/** One line per evaluation for `labtrail runs` and the draft's evidence: its summary. */
export function summaryLine(view: Pick<EvaluationView, "name" | "variant" | "scores" | "summary">): string {
  return `${title(view)}: ${[...view.scores, "n", "errors"].map((key) => `${key} ${formatNumber(view.summary[key])}`).join(" · ")}`;
}
