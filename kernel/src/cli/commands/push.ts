/**
 * `labtrail push <notebook.ipynb…> [--tracking-uri URL] [--experiment NAME] [--dry-run] [--json]`:
 * sends each notebook's run records (`<name>.labtrail/runs.jsonl`) to an MLflow tracking server, one
 * parent run per notebook run and a nested run per cell run (kernel/src/mlflow/push.ts says how a push
 * stays idempotent). Reads local files only; nothing local is ever written.
 *
 * Tracking server: --tracking-uri, else MLFLOW_TRACKING_URI, else labtrail.config.json's
 * `mlflow.trackingUri`. Auth: MLFLOW_TRACKING_TOKEN, else MLFLOW_TRACKING_USERNAME/_PASSWORD.
 */
import { createHash } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { z } from "zod";
import {
  type CallContent,
  cellLocator,
  configuredRedactor,
  experimentNameFor,
  experimentUrl,
  findSpecLite,
  type ModelCallRecord,
  type PlannedArtifact,
  RECORDINGS_FOLDER,
} from "../../core";
import { LockBusyError, withExclusiveLock } from "../../files/exclusive-lock";
import { readRegularFile } from "../../files/read-file";
import {
  displayUri,
  MlflowClient,
  MlflowError,
  PASSWORD_ENV,
  TOKEN_ENV,
  TRACKING_URI_ENV,
  trackingUriFrom,
  USERNAME_ENV,
} from "../../mlflow/client";
import { DeletedExperimentError, type NotebookPushResult, pushNotebook, RejectedBatchError } from "../../mlflow/push";
import { codeHash } from "../../records/code-hash";
import { CliError } from "../errors";
import { requireProjectConfig } from "../project-config";
import { defaultDraftPath } from "./export";
import { readNotebookFile } from "./notebook-file";
import { readRunsFor, runsFileFor, runsWarnings } from "./runs";
import { labtrailVersion } from "../../versions";

export interface PushCommandOptions {
  trackingUri?: string;
  experiment?: string;
  traces?: boolean;
  /** False for `--no-content`. */
  content: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function registerPushCommand(program: Command): Command {
  return program
    .command("push")
    .description("push notebooks' run records to an MLflow tracking server (a parent run per notebook run, a nested run per cell)")
    .argument("<notebooks...>", "notebook files (.ipynb)")
    .option(
      "--tracking-uri <url>",
      `the MLflow tracking server (default: $${TRACKING_URI_ENV}, else "mlflow.trackingUri" in labtrail.config.json)`,
    )
    .option("--experiment <name>", "the MLflow experiment (default: the notebook's title, else its file name); created if missing")
    .option(
      "--traces",
      "also send each model call as an OpenTelemetry span (GenAI conventions) to MLflow's /v1/traces, linked to its cell's run",
    )
    .option("--no-content", "with --traces: leave the calls' input and output messages out of the spans")
    .option("--dry-run", "say what would be created, send nothing")
    .option("--json", "print a machine-readable summary")
    .action(async (notebooks: string[], options: PushCommandOptions) => {
      const summaries: (NotebookPushResult & { trackingUri: string; experimentUrl: string | null })[] = [];
      for (const notebook of notebooks) {
        const summary = await pushOne(notebook, options);
        summaries.push(summary);
        if (!options.json) process.stdout.write(describe(summary, options.dryRun ?? false));
      }
      if (options.json) {
        const counts = { created: 0, resumed: 0, skipped: 0 };
        for (const summary of summaries)
          for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += summary.counts[key];
        const traces = summaries.reduce((n, summary) => n + summary.traces, 0);
        process.stdout.write(`${JSON.stringify({ dryRun: options.dryRun ?? false, counts, traces, notebooks: summaries }, null, 2)}\n`);
      }
    });
}

async function pushOne(notebook: string, options: PushCommandOptions) {
  const read = readNotebookFile(notebook);
  if (!read.ok) throw new CliError(`${notebook}: ${read.problem}`, 2);
  const config = requireProjectConfig(notebook);
  const trackingUri = resolveTrackingUri(options.trackingUri, process.env[TRACKING_URI_ENV], config.mlflow.trackingUri);
  const runs = readRunsFor(notebook);
  if (!runs.ok) throw new CliError(`${runs.file}: ${runs.problem}`, 2);
  for (const warning of runsWarnings(runs)) process.stderr.write(`${warning}\n`);

  const notebookName = path.basename(notebook);
  const spec = findSpecLite(read.notebook);
  const experimentName = experimentNameFor({ flag: options.experiment, configured: config.mlflow.experiment, spec, notebookName });
  const locate = cellLocator(read.notebook, { codeHash });
  const client = new MlflowClient({ trackingUri });
  // The project's key variables and endpoint credentials, as export and the kernel know them.
  const redactor = configuredRedactor(config.models, process.env);
  const shownUri = displayUri(trackingUri);

  const progress = process.stderr.isTTY && !options.json && !options.dryRun ? new PushProgress() : undefined;
  try {
    // A dry run sends nothing, so it need not wait for a push in progress.
    const locked = <T>(work: () => Promise<T>) =>
      options.dryRun ? work() : withExclusiveLock(pushLockFile(notebook, shownUri), PUSH_LOCK_WAIT_MS, work);
    const result = await locked(() =>
      pushNotebook(
        client,
        {
          notebookName,
          // Records that name this notebook: a renamed notebook's folder may still hold its old name's.
          records: runs.records,
          experimentName,
          spec,
          positionOf: (record) => {
            const cell = locate(record);
            return cell ? cell.index + 1 : undefined;
          },
          notebookArtifacts: notebookArtifacts(notebook),
        },
        {
          dryRun: options.dryRun,
          redact: (value) => redactor.redactValue(value),
          onProgress: progress ? (done, total, what) => progress.update(done, total, what) : undefined,
          traces: options.traces
            ? { content: options.content, contentOf: recordedContent(notebook), labtrailVersion: labtrailVersion }
            : undefined,
        },
      ),
    );
    return {
      ...result,
      trackingUri: shownUri,
      experimentUrl: result.experiment.id ? experimentUrl(shownUri, result.experiment.id) : null,
    };
  } catch (err) {
    throw new CliError(`${notebook}: ${pushProblem(err, shownUri)}`, 2);
  } finally {
    progress?.stop();
  }
}

/** The first of flag, environment and config; http(s) only (MLflow's file: and databricks URIs are not servers labtrail can reach). */
export function resolveTrackingUri(flag: string | undefined, env: string | undefined, configured: string | undefined): string {
  const named = trackingUriFrom(flag, env, configured);
  if (!named) {
    throw new CliError(
      `no MLflow tracking server named: pass --tracking-uri, set ${TRACKING_URI_ENV}, or add "mlflow": { "trackingUri": "http://…" } to labtrail.config.json`,
      2,
    );
  }
  const { uri, from } = named;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new CliError(`${from}: "${displayUri(uri)}" is not a URL; expected the tracking server's, such as http://127.0.0.1:5000`, 2);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(
      `${from}: labtrail push talks to an MLflow tracking server over http(s), not "${url.protocol}" (start one with: mlflow server)`,
      2,
    );
  }
  return uri;
}

const recordingSchema = z.object({
  request: z.record(z.string(), z.unknown()),
  samples: z.array(z.object({ response: z.record(z.string(), z.unknown()) }).nullable()),
});
const chatResponseSchema = z.object({ choices: z.array(z.object({ message: z.unknown() })) });

/**
 * A call's messages from its recording (`<name>.labtrail/recordings/<hash>.json`): the request's
 * messages (or an embedding's input) and the recorded sample's answer. Undefined when the recording is
 * missing or unreadable: the span then has the start of the answer the record kept.
 */
function recordedContent(notebook: string): (call: ModelCallRecord) => CallContent | undefined {
  const folder = path.join(path.dirname(runsFileFor(notebook)), RECORDINGS_FOLDER);
  return (call) => {
    let recording: z.output<typeof recordingSchema>;
    try {
      const parsed = recordingSchema.safeParse(
        JSON.parse(readRegularFile(path.join(folder, `${call.requestHash.slice(0, 16)}.json`)).toString("utf8")),
      );
      if (!parsed.success) return undefined;
      recording = parsed.data;
    } catch {
      return undefined;
    }
    if ("input" in recording.request && !("messages" in recording.request))
      return { operation: "embeddings", input: recording.request.input };
    const answer = chatResponseSchema.safeParse(recording.samples[call.sample - 1]?.response);
    return {
      operation: "chat",
      input: recording.request.messages,
      output: answer.success ? answer.data.choices.map((choice) => choice.message) : undefined,
    };
  };
}

/** The notebook and, when there is one beside it, its design-doc draft, as the parent run's artifacts. */
function notebookArtifacts(notebook: string): PlannedArtifact[] {
  const artifacts: PlannedArtifact[] = [
    // As text, so the redaction reaches them too.
    { path: path.basename(notebook), contentType: "application/x-ipynb+json", content: readRegularFile(notebook).toString("utf8") },
  ];
  const draft = defaultDraftPath(notebook);
  try {
    artifacts.push({
      path: path.basename(draft),
      contentType: "text/markdown; charset=utf-8",
      content: readRegularFile(draft).toString("utf8"),
    });
  } catch {
    // No draft yet (labtrail export writes it): the notebook alone.
  }
  return artifacts;
}

/** One line saying what went wrong and what to do; never a credential. */
/** How long a push waits for another push of the same notebook to the same server. */
export const PUSH_LOCK_WAIT_MS = 120_000;

/** One lock per notebook and server, on this machine (kernel/src/files/exclusive-lock.ts says why). */
function pushLockFile(notebook: string, uri: string): string {
  const key = createHash("sha256")
    .update(`${path.resolve(notebook)}\n${uri}`)
    .digest("hex")
    .slice(0, 16);
  return path.join(os.tmpdir(), `labtrail-push-${key}.lock`);
}

export function pushProblem(err: unknown, uri: string): string {
  if (err instanceof LockBusyError) {
    return `another labtrail push of this notebook to ${uri} (process ${err.owner ?? "unknown"}) has run for over ${PUSH_LOCK_WAIT_MS / 1000} s: try again once it ends (a push that was killed frees it)`;
  }
  if (err instanceof DeletedExperimentError) {
    return (
      `the MLflow experiment "${err.experimentName}" (id ${err.experimentId}) is deleted at ${uri}: restore it ` +
      `(mlflow experiments restore --experiment-id ${err.experimentId}, or in MLflow's UI) or pick another name with --experiment`
    );
  }
  if (err instanceof RejectedBatchError) {
    const { params, tags, metrics, bytes } = err.sent;
    return (
      `${uri} rejected a log-batch for the run "${err.runName}" (${params} params, ${tags} tags, ${metrics} metrics, ${bytes} bytes): ` +
      `${err.cause.errorCode ?? err.cause.status}: ${err.cause.detail}; nothing local changed, and a push after the fix resumes where this one stopped`
    );
  }
  if (err instanceof MlflowError) {
    if (err.failure === "unreachable") {
      return `cannot reach the MLflow tracking server at ${uri} (${err.detail}): start it (mlflow server --host 127.0.0.1 --port 5000) or set ${TRACKING_URI_ENV} (or --tracking-uri) to a running one`;
    }
    if (err.status === 401 || err.status === 403) {
      const given = process.env[TOKEN_ENV]
        ? TOKEN_ENV
        : process.env[USERNAME_ENV] || process.env[PASSWORD_ENV]
          ? `${USERNAME_ENV}/${PASSWORD_ENV}`
          : null;
      const what = err.status === 401 ? "401 Unauthorized" : "403 Forbidden";
      return given
        ? `${uri} refused the credentials in ${given} (${what}): check them, or set ${TOKEN_ENV} (a bearer token) or ${USERNAME_ENV} and ${PASSWORD_ENV} to ones with access`
        : `${uri} needs credentials (${what}): set ${TOKEN_ENV} (a bearer token) or ${USERNAME_ENV} and ${PASSWORD_ENV}`;
    }
    if (err.failure === "invalid-response")
      return `${uri} answered ${err.endpoint} in a way labtrail cannot read (${err.detail}); is it an MLflow 3 tracking server?`;
    return `MLflow at ${uri} refused ${err.endpoint}: ${err.status}${err.errorCode ? ` ${err.errorCode}` : ""}: ${err.detail}`;
  }
  throw err;
}

function describe(summary: NotebookPushResult & { experimentUrl: string | null }, dryRun: boolean): string {
  const { experiment, counts, notebookRuns } = summary;
  const cells = notebookRuns.reduce((n, run) => n + run.cells.length, 0);
  const verb = dryRun
    ? { created: "would create", resumed: "would resume", skipped: "already there" }
    : { created: "created", resumed: "resumed", skipped: "already there" };
  const where = experiment.id
    ? `experiment "${experiment.name}" (id ${experiment.id}${experiment.created ? ", created" : ""})`
    : `experiment "${experiment.name}" (${dryRun ? "would be created" : "none"})`;
  if (notebookRuns.length === 0) return `${summary.notebook}: no runs recorded yet, nothing to push\n`;
  const lines = [
    `${summary.notebook} → ${where}: ${notebookRuns.length} notebook run${notebookRuns.length === 1 ? "" : "s"}, ${cells} cell run${cells === 1 ? "" : "s"}; ` +
      (["created", "resumed", "skipped"] as const)
        .filter((key) => counts[key] > 0)
        .map((key) => `${counts[key]} ${verb[key]}`)
        .join(", "),
  ];
  if (dryRun) {
    for (const run of notebookRuns) {
      lines.push(`  ${verb[run.outcome]}: ${run.runName}`);
      for (const cell of run.cells) lines.push(`    ${verb[cell.outcome]}: ${cell.runName}`);
    }
  }
  if (summary.traces > 0)
    lines.push(`  ${summary.traces} trace${summary.traces === 1 ? "" : "s"} sent (one per cell run with model calls)`);
  if (summary.experimentUrl) lines.push(`  ${summary.experimentUrl}`);
  return `${lines.join("\n")}\n`;
}

/** A progress bar on stderr (a terminal only): cell runs sent out of all. */
class PushProgress {
  private bar: SingleBar | undefined;

  update(done: number, total: number, what: string): void {
    if (!this.bar) {
      this.bar = new SingleBar(
        {
          format: "{bar} {value}/{total} cell runs | {what}",
          stream: process.stderr,
          clearOnComplete: true,
          hideCursor: true,
          barsize: 30,
        },
        Presets.shades_classic,
      );
      this.bar.start(total, done, { what });
    } else {
      this.bar.setTotal(total);
      this.bar.update(done, { what });
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
