/**
 * Run records → MLflow runs (what `labtrail push` sends), pure: the same records always give the same
 * payloads, which is what makes a push idempotent. Params cannot change once written and metrics with
 * the same key, value, timestamp and step are stored once, so sending a run's data again is harmless.
 *
 * Shape: one parent run per notebook run (a kernel session or a `labtrail reproduce`), one nested run per
 * cell run under it (tag `mlflow.parentRunId`), so MLflow's run table shows notebook runs side by side,
 * each expanding into its cells.
 */
import { HEADER_KEY_LABELS, type HeaderKey } from "../header/keys";
import { canonicalJson } from "../records/canonical-json";
import { sha256Hex } from "../records/code-hash";
import { withoutEvaluations } from "../records/evidence";
import type { ModelCallRecord, RunRecord } from "../records/schema";
import { SPEC_KEYS, SPEC_LABELS, type SpecLite } from "../spec-lite";
import { clipValue, MAX_PARAM_VALUE_LENGTH, MAX_TAG_VALUE_LENGTH, mlflowKey, type RunData } from "./batch";
import type { MlflowKeyValue, MlflowMetric } from "./schema";

/** The tags push reads back to know what it already sent; the server's tags are push's only memory. */
export const PUSH_TAGS = {
  kind: "labtrail.kind",
  recordId: "labtrail.record_id",
  notebookRun: "labtrail.notebook_run",
  notebook: "labtrail.notebook",
  parentRunId: "mlflow.parentRunId",
} as const;

export type PushedRunKind = "notebook-run" | "cell-run";

/**
 * A record's identity: a hash of what tells two runs apart (notebook, cell, start, code, execution
 * count), not of the whole record, so a newer labtrail reading the same line gives the same id.
 */
export function recordId(record: RunRecord): string {
  const { notebook, cell, startedAt, codeHash, execution } = record;
  return sha256Hex(canonicalJson({ notebook, cell, startedAt, codeHash, execution })).slice(0, 32);
}

export interface CellRunEntry {
  id: string;
  record: RunRecord;
}

export interface NotebookRunGroup {
  /** The id of its first record: stable while later cells of the same session are appended. */
  id: string;
  entries: CellRunEntry[];
}

/**
 * The notebook runs in the records, in file order. Records name no kernel session, but each session
 * counts executions from 1 (a `labtrail reproduce` runs a fresh kernel too), so a notebook run starts
 * wherever the execution count does not go up, or the environment (node, labtrail, tslab) changes. A
 * record without a count belongs to the run before it.
 */
export function groupNotebookRuns(records: readonly RunRecord[]): NotebookRunGroup[] {
  const groups: NotebookRunGroup[] = [];
  let current: NotebookRunGroup | undefined;
  let lastExecution: number | null = null;
  let lastEnv = "";
  for (const record of records) {
    const env = `${record.env.node} ${record.env.labtrail} ${record.env.tslab}`;
    const restarted = record.execution !== null && lastExecution !== null && record.execution <= lastExecution;
    if (!current || restarted || env !== lastEnv) {
      current = { id: recordId(record), entries: [] };
      groups.push(current);
      lastExecution = null;
    }
    current.entries.push({ id: recordId(record), record });
    if (record.execution !== null) lastExecution = record.execution;
    lastEnv = env;
  }
  return groups;
}

export interface PlannedRun {
  runName: string;
  startTime: number;
  endTime: number;
  /** The status the run ends with; push leaves a run RUNNING until all its data is sent. */
  status: "FINISHED" | "FAILED";
  /** Sent with runs/create, so the run is found by a later push from the moment it exists. */
  identityTags: MlflowKeyValue[];
  data: RunData;
  artifacts: PlannedArtifact[];
}

export interface PlannedArtifact {
  /** Path under the run's artifact root, "/"-separated. */
  path: string;
  contentType: string;
  content: string | Uint8Array;
}

export interface CellRunContext {
  /** The cell's 1-based position in the notebook now, when it still has the cell. */
  position?: number;
  notebookRunId: string;
  /** The notebook's file name: what a later push searches the experiment by (see notebookRunsFilter). */
  notebookName: string;
}

function startOf(record: RunRecord): number {
  const time = Date.parse(record.startedAt);
  return Number.isFinite(time) ? time : 0;
}

function endOf(record: RunRecord): number {
  return startOf(record) + Math.max(0, Math.round(record.durationMs));
}

function tag(key: string, value: string): MlflowKeyValue {
  return { key, value: clipValue(value, MAX_TAG_VALUE_LENGTH) };
}

function param(key: string, value: string): MlflowKeyValue {
  return { key: mlflowKey(key), value: clipValue(value, MAX_PARAM_VALUE_LENGTH) };
}

/** The header as MLflow's run description (`mlflow.note.content`, Markdown). */
function headerNote(header: Readonly<Record<string, string>>): string {
  return Object.entries(header)
    .map(([key, value]) => `**${Object.hasOwn(HEADER_KEY_LABELS, key) ? HEADER_KEY_LABELS[key as HeaderKey] : key}:** ${value}`)
    .join("\n\n");
}

/**
 * One entry per key, the first: MLflow refuses a batch that names a key twice, and two names can become
 * one key once made valid (`a:b` and `a_b`).
 */
function uniqueKeys(entries: readonly MlflowKeyValue[]): MlflowKeyValue[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.key) && seen.add(entry.key));
}

/** Each request parameter's values over the calls: one value as it is, several sorted and joined. */
function callParams(calls: readonly ModelCallRecord[]): MlflowKeyValue[] {
  if (calls.length === 0) return [];
  const values = new Map<string, Set<string>>();
  const add = (key: string, value: unknown) => {
    const text = typeof value === "string" ? value : (canonicalJson(value) ?? String(value));
    const set = values.get(key) ?? new Set<string>();
    set.add(text);
    values.set(key, set);
  };
  for (const call of calls) {
    add("model", call.model);
    // An alias is what the cell asked for when it is not the model id itself.
    if (call.name !== call.model) add("alias", call.name);
    for (const [key, value] of Object.entries(call.params)) if (key !== "model") add(key, value);
  }
  return [...values.keys()].sort().map((key) => param(key, [...(values.get(key) ?? [])].sort().join(", ")));
}

/** A cell run's metrics at its start time: record() numbers and evaluate() summaries at step 0, item scores by step. */
export function cellMetrics(record: RunRecord): MlflowMetric[] {
  const timestamp = startOf(record);
  const metrics: MlflowMetric[] = [];
  const metric = (key: string, value: number, step = 0) => {
    if (Number.isFinite(value)) metrics.push({ key: mlflowKey(key), value, timestamp, step });
  };
  const values = withoutEvaluations(record);
  for (const key of Object.keys(values).sort()) {
    const value = values[key];
    if (typeof value === "number") metric(key, value);
  }
  for (const evaluation of record.evaluations ?? []) {
    const prefix = evaluation.variant === null ? evaluation.name : `${evaluation.name}/${evaluation.variant}`;
    for (const [field, value] of Object.entries(evaluation.summary)) if (value !== null) metric(`${prefix}/${field}`, value);
    // Each item run's score, step = its place in data order: MLflow draws them as a chart.
    for (const score of evaluation.scores) {
      evaluation.items.forEach((item, step) => {
        const value = item.scores[score];
        if (value !== undefined) metric(`${prefix}/items/${score}`, value, step);
      });
    }
  }
  metric("labtrail.duration_ms", record.durationMs);
  if (record.calls.length > 0) {
    metric("labtrail.calls", record.calls.length);
    metric("labtrail.replayed_calls", record.calls.filter((call) => call.replayed).length);
    metric(
      "labtrail.tokens_in",
      record.calls.reduce((sum, call) => sum + (call.inputTokens ?? 0), 0),
    );
    metric(
      "labtrail.tokens_out",
      record.calls.reduce((sum, call) => sum + (call.outputTokens ?? 0), 0),
    );
  }
  return metrics;
}

function environmentTags(record: RunRecord): MlflowKeyValue[] {
  const tags = [
    tag("labtrail.version", record.env.labtrail),
    tag("labtrail.tslab_version", record.env.tslab),
    tag("labtrail.node_version", record.env.node),
  ];
  if (record.env.git) {
    tags.push(tag("mlflow.source.git.commit", record.env.git.commit), tag("labtrail.git_dirty", String(record.env.git.dirty)));
  }
  return tags;
}

/** The nested run for one cell run. */
export function planCellRun(entry: CellRunEntry, context: CellRunContext): PlannedRun {
  const { record } = entry;
  const identityTags = [
    tag(PUSH_TAGS.kind, "cell-run" satisfies PushedRunKind),
    tag(PUSH_TAGS.recordId, entry.id),
    tag(PUSH_TAGS.notebookRun, context.notebookRunId),
    tag(PUSH_TAGS.notebook, context.notebookName),
  ];
  const tags = [
    tag("mlflow.source.name", record.notebook),
    tag("mlflow.source.type", "NOTEBOOK"),
    tag("labtrail.cell", record.cell),
    tag("labtrail.code_hash", record.codeHash),
    tag("labtrail.status", record.status),
    tag("labtrail.rerun", record.verdict.kind),
    tag("labtrail.rerun_summary", record.verdict.summary),
  ];
  if (context.position !== undefined) tags.push(tag("labtrail.cell_position", String(context.position)));
  if (record.execution !== null) tags.push(tag("labtrail.execution", String(record.execution)));
  for (const [key, value] of Object.entries(record.header)) tags.push(tag(`labtrail.header.${mlflowKey(key)}`, value));
  // The author's conclusion, where MLflow's run table can show it as a column.
  if (record.header.verdict) tags.push(tag("labtrail.verdict", record.header.verdict));
  if (record.error) tags.push(tag("labtrail.error", `${record.error.ename}: ${record.error.evalue}`));
  const note = headerNote(record.header);
  if (note) tags.push(tag("mlflow.note.content", note));
  tags.push(...environmentTags(record));

  const values = withoutEvaluations(record);
  const recordParams = Object.keys(values)
    .sort()
    .filter((key) => typeof values[key] !== "number")
    .map((key) => {
      const value = values[key];
      return param(`record.${key}`, typeof value === "string" ? value : (canonicalJson(value) ?? String(value)));
    });

  const outputs = { status: record.status, error: record.error, outputs: record.outputs, verdict: record.verdict };
  return {
    runName: context.position !== undefined ? `#${context.position} ${record.cell}` : record.cell,
    startTime: startOf(record),
    endTime: endOf(record),
    status: record.status === "error" ? "FAILED" : "FINISHED",
    identityTags,
    data: { params: uniqueKeys([...callParams(record.calls), ...recordParams]), tags: uniqueKeys(tags), metrics: cellMetrics(record) },
    artifacts: [
      { path: "outputs.json", contentType: "application/json", content: `${JSON.stringify(outputs, null, 2)}\n` },
      { path: "record.json", contentType: "application/json", content: `${JSON.stringify(record, null, 2)}\n` },
    ],
  };
}

export interface NotebookRunContext {
  notebookName: string;
  spec?: SpecLite | null;
  /** The notebook file and its design-doc draft, as they are now. */
  artifacts?: PlannedArtifact[];
}

/**
 * The parent run of a notebook run. No params: a session that goes on after a push adds cells, and a
 * param cannot change; what grows (models, counts) goes in tags and metrics. Each cell's step-0 metrics
 * repeat here with the step counting the cells that logged the key, so one chart spans the notebook.
 */
export function planNotebookRun(group: NotebookRunGroup, context: NotebookRunContext): PlannedRun {
  const records = group.entries.map((entry) => entry.record);
  const first = records[0];
  const identityTags = [
    tag(PUSH_TAGS.kind, "notebook-run" satisfies PushedRunKind),
    tag(PUSH_TAGS.notebookRun, group.id),
    tag(PUSH_TAGS.notebook, context.notebookName),
  ];
  const verdicts = new Map<string, number>();
  for (const record of records) verdicts.set(record.verdict.kind, (verdicts.get(record.verdict.kind) ?? 0) + 1);
  const models = [...new Set(records.flatMap((record) => record.calls.map((call) => call.model)))].sort();
  const tags = [
    tag("mlflow.source.name", context.notebookName),
    tag("mlflow.source.type", "NOTEBOOK"),
    tag("labtrail.cells", String(records.length)),
    tag("labtrail.reruns", [...verdicts].map(([kind, n]) => `${n} ${kind}`).join(", ")),
    ...environmentTags(first),
  ];
  if (models.length > 0) tags.push(tag("labtrail.models", models.join(", ")));
  const title = context.spec?.title?.value;
  if (title) tags.push(tag("labtrail.title", title));
  const specLines = SPEC_KEYS.flatMap((key) => {
    const field = context.spec?.fields[key];
    return field ? [`**${SPEC_LABELS[key]}:** ${field.value}`] : [];
  });
  const note = [title ? `# ${title}` : "", ...specLines].filter((line) => line !== "").join("\n\n");
  if (note) tags.push(tag("mlflow.note.content", note));

  const metrics: MlflowMetric[] = [];
  const steps = new Map<string, number>();
  for (const record of records) {
    for (const metric of cellMetrics(record)) {
      if (metric.step !== 0 || metric.key.startsWith("labtrail.")) continue;
      const step = steps.get(metric.key) ?? 0;
      steps.set(metric.key, step + 1);
      metrics.push({ ...metric, step });
    }
  }
  const timestamp = startOf(first);
  const total = (key: string, value: number) => metrics.push({ key, value, timestamp, step: 0 });
  total("labtrail.cells", records.length);
  total("labtrail.failed_cells", records.filter((record) => record.status === "error").length);
  total(
    "labtrail.duration_ms",
    records.reduce((sum, record) => sum + record.durationMs, 0),
  );
  const calls = records.flatMap((record) => record.calls);
  if (calls.length > 0) {
    total("labtrail.calls", calls.length);
    total(
      "labtrail.tokens_in",
      calls.reduce((sum, call) => sum + (call.inputTokens ?? 0), 0),
    );
    total(
      "labtrail.tokens_out",
      calls.reduce((sum, call) => sum + (call.outputTokens ?? 0), 0),
    );
  }

  const base = context.notebookName.replace(/\.ipynb$/i, "");
  return {
    runName: `${base} ${first.startedAt.slice(0, 19).replace("T", " ")}`,
    startTime: startOf(first),
    endTime: Math.max(...records.map(endOf)),
    status: records.some((record) => record.status === "error") ? "FAILED" : "FINISHED",
    identityTags,
    data: { params: [], tags: uniqueKeys(tags), metrics },
    artifacts: context.artifacts ?? [],
  };
}

/**
 * The runs/search filter for the runs push made of one notebook; undefined when its name has a quote,
 * which MLflow's filter syntax cannot escape (push then reads the whole experiment).
 */
export function notebookRunsFilter(notebookName: string): string | undefined {
  return /['"`\\]/.test(notebookName) ? undefined : `tags.\`${PUSH_TAGS.notebook}\` = '${notebookName}'`;
}

/**
 * The experiment a notebook goes to: the flag, else the config's, else the notebook's spec-lite title,
 * else its file name without `.ipynb`.
 */
export function experimentNameFor(options: { flag?: string; configured?: string; spec?: SpecLite | null; notebookName: string }): string {
  const title = options.spec?.title?.value.trim();
  return options.flag?.trim() || options.configured?.trim() || title || options.notebookName.replace(/\.ipynb$/i, "");
}

/** Where MLflow's UI shows an experiment (the UI routes with a hash). */
export function experimentUrl(trackingUri: string, experimentId: string): string {
  return `${trackingUri.replace(/\/+$/, "")}/#/experiments/${encodeURIComponent(experimentId)}`;
}
