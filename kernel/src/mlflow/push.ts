/**
 * Pushes one notebook's run records to MLflow: the experiment (created if missing), a parent run per
 * notebook run, a nested run per cell run, each with its params, tags, metrics and artifacts.
 *
 * Idempotent without local state: every run carries the record id (or notebook-run id) it came from, so
 * one search of the experiment tells what is there. A run is left RUNNING until all its data is sent and
 * only then finished, so a run found RUNNING was interrupted: its data is sent again, which MLflow stores
 * once (params of the same value, tags overwritten, metrics deduplicated, artifacts overwritten).
 */
import {
  type CallContent,
  chunkRunData,
  groupNotebookRuns,
  type MlflowRun,
  type ModelCallRecord,
  type CellRunEntry,
  type PlannedArtifact,
  type PlannedRun,
  PUSH_TAGS,
  planCellRun,
  notebookRunsFilter,
  planCellTrace,
  planNotebookRun,
  type RunRecord,
  type SpecLite,
  tagOf,
} from "../core";
import { type MlflowClient, MlflowError } from "./client";
import type * as TracesModule from "./traces";

/** Set on a cell run once its trace is in MLflow, so a later `--traces` push does not send it again. */
export const TRACES_TAG = "labtrail.traces";

export interface NotebookPushInput {
  /** The notebook's file name ("summaries.ipynb"): records name it so, and so does the parent run. */
  notebookName: string;
  records: readonly RunRecord[];
  experimentName: string;
  spec?: SpecLite | null;
  /** The cell's 1-based position in the notebook now, for the cell run's name. */
  positionOf?: (record: RunRecord) => number | undefined;
  /** Files for each parent run: the notebook, its design-doc draft. */
  notebookArtifacts?: PlannedArtifact[];
}

export interface PushOptions {
  /** Read what is there and say what would be sent; write nothing. */
  dryRun?: boolean;
  /** Called before each cell run is sent, and once more when all are. */
  onProgress?: (done: number, total: number, what: string) => void;
  /**
   * Applied to every string sent (names, params, tags, text artifacts, span attributes): the secrets
   * the project knows and anything shaped like one, as on every other path out of labtrail.
   */
  redact?: <T>(value: T) => T;
  /** Cell runs sent at once (default DEFAULT_CONCURRENCY); 1 sends them one by one. */
  concurrency?: number;
  /** Also send each cell run's model calls as a trace over OTLP, linked to the cell's run. */
  traces?: {
    /** The calls' messages on the spans; false for `--no-content`. */
    content: boolean;
    contentOf?: (call: ModelCallRecord) => CallContent | undefined;
    labtrailVersion: string;
  };
}

export type RunOutcome = "created" | "resumed" | "skipped";

export interface PushedRun {
  outcome: RunOutcome;
  /** Null in a dry run for a run that would be created. */
  runId: string | null;
}

export interface NotebookRunPush extends PushedRun {
  notebookRunId: string;
  runName: string;
  cells: (PushedRun & { recordId: string; runName: string })[];
}

export interface NotebookPushResult {
  notebook: string;
  experiment: { id: string | null; name: string; created: boolean };
  notebookRuns: NotebookRunPush[];
  counts: Record<RunOutcome, number>;
  /** Traces sent by this push (0 without `traces`, and in a dry run). */
  traces: number;
}

/** A log-batch MLflow refused, with what was in it: the one line says what was sent. */
export class RejectedBatchError extends Error {
  constructor(
    readonly cause: MlflowError,
    readonly runName: string,
    readonly sent: { params: number; tags: number; metrics: number; bytes: number },
  ) {
    super(`MLflow rejected a log-batch for run "${runName}": ${cause.detail}`);
    this.name = "RejectedBatchError";
  }
}

/** An experiment of that name exists but is deleted: MLflow keeps the name taken until it is purged. */
export class DeletedExperimentError extends Error {
  constructor(
    readonly experimentName: string,
    readonly experimentId: string,
  ) {
    super(`the MLflow experiment "${experimentName}" (id ${experimentId}) is deleted`);
    this.name = "DeletedExperimentError";
  }
}

const TERMINAL = new Set(["FINISHED", "FAILED", "KILLED"]);

/** Cell runs sent at once: a remote server's latency, not its work, is what a push waits for. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * `work` over the items, at most `limit` at a time, results in the items' order. The first failure
 * stops taking new items and is thrown once the ones under way have settled.
 */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

export async function pushNotebook(client: MlflowClient, input: NotebookPushInput, options: PushOptions = {}): Promise<NotebookPushResult> {
  const dryRun = options.dryRun ?? false;
  const redact = options.redact ?? (<T>(value: T) => value);
  const groups = groupNotebookRuns(input.records);

  const experiment = await client.experimentByName(input.experimentName);
  if (experiment && experiment.lifecycle_stage !== "active") throw new DeletedExperimentError(experiment.name, experiment.experiment_id);
  let experimentCreated = false;
  let experimentId = experiment?.experiment_id ?? null;
  // Only this notebook's runs: an experiment a team shares may hold many others.
  const existing = experimentId ? await client.searchRuns(experimentId, notebookRunsFilter(input.notebookName)) : [];
  const byRecord = new Map<string, MlflowRun>();
  const byNotebookRun = new Map<string, MlflowRun>();
  for (const run of existing) {
    const kind = tagOf(run, PUSH_TAGS.kind);
    const record = tagOf(run, PUSH_TAGS.recordId);
    const notebookRun = tagOf(run, PUSH_TAGS.notebookRun);
    if (kind === "cell-run" && record) byRecord.set(record, run);
    if (kind === "notebook-run" && notebookRun) byNotebookRun.set(notebookRun, run);
  }

  const counts: Record<RunOutcome, number> = { created: 0, resumed: 0, skipped: 0 };
  let traces = 0;
  const outcomeOf = (run: MlflowRun | undefined): RunOutcome => (!run ? "created" : TERMINAL.has(run.info.status) ? "skipped" : "resumed");
  const total = input.records.length;
  let done = 0;
  const results: NotebookRunPush[] = [];

  for (const group of groups) {
    const parentPlan = redactPlan(
      planNotebookRun(group, { notebookName: input.notebookName, spec: input.spec, artifacts: input.notebookArtifacts }),
      redact,
    );
    const parentRun = byNotebookRun.get(group.id);
    const cellPlans = group.entries.map((entry) => ({
      entry,
      plan: redactPlan(
        planCellRun(entry, { notebookRunId: group.id, notebookName: input.notebookName, position: input.positionOf?.(entry.record) }),
        redact,
      ),
      run: byRecord.get(entry.id),
    }));
    const pending = cellPlans.filter(({ run }) => outcomeOf(run) !== "skipped");
    // A parent is done when it is finished and none of its cells is new or unfinished.
    const parentOutcome: RunOutcome = !parentRun
      ? "created"
      : TERMINAL.has(parentRun.info.status) && pending.length === 0
        ? "skipped"
        : "resumed";
    const push: NotebookRunPush = {
      notebookRunId: group.id,
      runName: parentPlan.runName,
      outcome: parentOutcome,
      runId: parentRun?.info.run_id ?? null,
      cells: [],
    };
    results.push(push);
    counts[parentOutcome]++;

    if (parentOutcome === "skipped" || dryRun) {
      for (const { entry, plan, run } of cellPlans) {
        const outcome = outcomeOf(run);
        counts[outcome]++;
        push.cells.push({ recordId: entry.id, runName: plan.runName, outcome, runId: run?.info.run_id ?? null });
        // A run pushed before without its trace gets it now.
        if (!dryRun && run && experimentId && options.traces && tagOf(run, TRACES_TAG) === undefined) {
          if (await sendCellTrace(client, experimentId, run.info.run_id, entry, plan, options.traces, redact)) traces++;
        }
      }
      done += group.entries.length;
      continue;
    }

    if (!experimentId) {
      experimentId = await client.createExperiment(input.experimentName);
      experimentCreated = true;
    }
    const parentId = parentRun?.info.run_id ?? (await createRun(client, experimentId, parentPlan));
    push.runId = parentId;

    const expId = experimentId;
    const cellResults = await inParallel(cellPlans, options.concurrency ?? DEFAULT_CONCURRENCY, async ({ entry, plan, run }) => {
      const outcome = outcomeOf(run);
      counts[outcome]++;
      options.onProgress?.(done, total, plan.runName);
      let runId = run?.info.run_id ?? null;
      if (outcome !== "skipped") {
        const withParent = { ...plan, identityTags: [...plan.identityTags, { key: PUSH_TAGS.parentRunId, value: parentId }] };
        const cellRunId = runId ?? (await createRun(client, expId, withParent));
        runId = cellRunId;
        await sendRun(client, expId, cellRunId, withParent, async () => {
          // Before the run is finished: a trace cut off is sent again when the push resumes.
          if (options.traces && (await sendCellTrace(client, expId, cellRunId, entry, plan, options.traces, redact))) traces++;
        });
      } else if (run && options.traces && tagOf(run, TRACES_TAG) === undefined) {
        if (await sendCellTrace(client, expId, run.info.run_id, entry, plan, options.traces, redact)) traces++;
      }
      done++;
      return { recordId: entry.id, runName: plan.runName, outcome, runId };
    });
    push.cells.push(...cellResults);
    // Last, so an interrupted push finds the parent unfinished and comes back to it.
    await sendRun(client, experimentId, parentId, parentPlan);
  }
  options.onProgress?.(total, total, "done");

  return {
    notebook: input.notebookName,
    experiment: { id: experimentId, name: input.experimentName, created: experimentCreated || (dryRun && experimentId === null) },
    notebookRuns: results,
    counts,
    traces,
  };
}

/** The plan with every string redacted; binary artifacts as they are. */
function redactPlan(plan: PlannedRun, redact: <T>(value: T) => T): PlannedRun {
  return {
    ...plan,
    runName: redact(plan.runName),
    identityTags: redact(plan.identityTags),
    data: redact(plan.data),
    artifacts: plan.artifacts.map((artifact) =>
      typeof artifact.content === "string" ? { ...artifact, content: redact(artifact.content) } : artifact,
    ),
  };
}

async function createRun(client: MlflowClient, experimentId: string, plan: PlannedRun): Promise<string> {
  const run = await client.createRun({ experimentId, runName: plan.runName, startTime: plan.startTime, tags: plan.identityTags });
  return run.info.run_id;
}

/** The cell run's trace and the tag that says it was sent; false for a cell without model calls. */
async function sendCellTrace(
  client: MlflowClient,
  experimentId: string,
  runId: string,
  entry: CellRunEntry,
  plan: PlannedRun,
  traces: NonNullable<PushOptions["traces"]>,
  redact: <T>(value: T) => T,
): Promise<boolean> {
  const planned = redact(
    planCellTrace(entry, { runName: plan.runName, experimentId, content: traces.content, contentOf: traces.contentOf }),
  );
  if (!planned) return false;
  // Loaded on first use: the OpenTelemetry packages take a third of a second that other commands need not wait.
  const { sendTrace } = require("./traces") as typeof TracesModule;
  await sendTrace(planned, client.traceTarget(experimentId, runId), traces.labtrailVersion);
  await client.logBatch(runId, {
    params: [],
    metrics: [],
    tags: [{ key: TRACES_TAG, value: traces.content ? "sent" : "sent without content" }],
  });
  return true;
}

/** The run's data in batches within MLflow's limits, its artifacts, then its final status. */
async function sendRun(
  client: MlflowClient,
  experimentId: string,
  runId: string,
  plan: PlannedRun,
  beforeFinish?: () => Promise<void>,
): Promise<void> {
  for (const batch of chunkRunData(plan.data)) {
    try {
      await client.logBatch(runId, batch);
    } catch (err) {
      if (err instanceof MlflowError && err.failure === "http" && err.status === 400) {
        const bytes = new TextEncoder().encode(JSON.stringify(batch)).length;
        throw new RejectedBatchError(err, plan.runName, {
          params: batch.params.length,
          tags: batch.tags.length,
          metrics: batch.metrics.length,
          bytes,
        });
      }
      throw err;
    }
  }
  for (const artifact of plan.artifacts)
    await client.uploadArtifact(experimentId, runId, artifact.path, artifact.content, artifact.contentType);
  await beforeFinish?.();
  await client.updateRun(runId, plan.status, plan.endTime);
}
