#!/usr/bin/env node
// The labtrail kernel process: `node main.js <connection file>`, as a kernelspec's argv runs it.
// First, so that every module after it loads through V8's compile cache.
import "./compile-cache";
import { randomUUID } from "node:crypto";
import { bindHelperRuntime } from "../api/runtime";
import { configProblemText, defaultConfig, ENV_RECORD_RUNS, ENV_REPLAY_MODE, loadConfig, type MlflowConfig } from "../config";
import { AutoPusher } from "../mlflow/auto-push";
import { displayUri, TRACKING_URI_ENV, trackingUriFrom } from "../mlflow/client";
import { ModelCalls } from "../models/model-calls";
import { configuredRedactor } from "../core";
import { EnvironmentInfo } from "../records/environment";
import { labtrailVersion } from "../versions";
import { Recorder } from "../records/recorder";
import { NotebookRecords } from "../records/notebook-records";
import { recordValues } from "../records/record-values";
import { Evaluations } from "../evaluation/evaluations";
import { ReplayModeSetting } from "./magics/replay-magic";
import type * as CellRunnerModule from "./execution/cell-runner";
import { DeferredRunner } from "./execution/deferred-runner";
import { ExecutionScope } from "./execution/execution-scope";
import { OutputSink } from "./execution/output-sink";
import { helperPrelude, PRELUDE_NAME } from "./execution/prelude";
import { OutputRouter } from "./execution/output-router";
import { tslabVersion } from "./execution/tslab-package";
import { createHeaderGate, headerSettings } from "./header-gate";
import { MagicCells } from "./magics/magic-cells";
import { modelsMagic } from "./magics/models-magic";
import { NotebookLocation, startingNotebook } from "./notebook-location";
import { KernelServer } from "./protocol/kernel-server";
import { readConnectionFile } from "./transport/connection";
import { Transport } from "./transport/transport";

export interface KernelSettings {
  /** The notebook's folder: where the config, the project's types and the records are found. */
  cwd: string;
  /** The kernel's environment: keys, OPENAI_BASE_URL, LABTRAIL_* and Jupyter's session name. Read live. */
  env: NodeJS.ProcessEnv;
}

export interface Kernel {
  /** Opens the sockets named in the connection file and serves requests until shutdown. */
  start(connectionFile: string): void;
}

/** The kernel for a notebook folder and an environment: config, model calls, recorder and magics set up. */
export function createKernel({ cwd, env }: KernelSettings): Kernel {
  const router = new OutputRouter();
  // The kernel's log is redacted too; until the config names the secrets, by the patterns alone.
  let logRedactor = configuredRedactor({ aliases: {} }, env);
  const log = (text: string) => router.log(logRedactor.redact(text));
  // The runner (TypeScript, the compiler, tslab's executor) is made when the kernel warms up, after
  // its kernel_info_reply: see deferred-runner.ts.
  const runner = new DeferredRunner({
    create: () => {
      const { CellRunner } = require("./execution/cell-runner") as typeof CellRunnerModule;
      const created = new CellRunner(router, cwd);
      const { compiler } = created;
      log(
        `TypeScript ${compiler.typescriptVersion}, options from ${compiler.config.file ?? "TypeScript's recommended defaults (no tsconfig.json)"}; ` +
          `Node.js types from ${compiler.types.from === "project" ? "the notebook's project" : "labtrail"}`,
      );
      for (const note of compiler.config.notes) log(note);
      const lacking = Object.keys(created.kernelPackages);
      if (lacking.length > 0) {
        log(
          `cells import ${lacking.join(" and ")} from labtrail's own copy: the notebook's project has none (npm install ${lacking.join(" ")} there to use your own)`,
        );
      }
      return created;
    },
    // Compiling the helpers' import builds the compiler's first program; cells wait for it.
    warmUp: async (created) => {
      const helpersLog = new OutputSink({ stream: (_name, text) => log(text.trimEnd()), display: () => {} });
      const outcome = await created.run(PRELUDE_NAME, helperPrelude(), new ExecutionScope(helpersLog));
      if (!outcome.ok) log(`the model helpers are unavailable: ${outcome.error.traceback.join("\n")}`);
      for (const problem of created.compiler.optionsDiagnostics()) log(`tsconfig.json: ${problem}`);
    },
  });

  // The project config is read once, at start (a restart picks up edits).
  const config = loadConfig(cwd);
  const configProblem = config.ok ? null : configProblemText(config);
  if (configProblem) log(configProblem);
  const settings = config.ok ? config.config : defaultConfig();
  const notebook = startingNotebook(cwd, env);
  const replayMode = new ReplayModeSetting(
    settings.replay.mode,
    config.ok && config.overrides.includes(ENV_REPLAY_MODE) ? ENV_REPLAY_MODE : null,
  );
  // Everything the kernel writes, shows or logs passes through one redactor.
  const redactor = configuredRedactor(settings.models, env);
  logRedactor = redactor;
  // The records follow the notebook when it is renamed or moved (the frontend names it with each run).
  const records = notebook ? new NotebookRecords(notebook, redactor, log) : null;
  const location = new NotebookLocation(records, env.JPY_SESSION_NAME?.trim(), log);
  const models = new ModelCalls({
    models: settings.models,
    env,
    redactor,
    scope: () => router.currentScope(),
    replay: { mode: () => replayMode.mode(), recordings: () => records?.recordings ?? null },
  });
  const evaluations = new Evaluations({
    scope: () => router.currentScope(),
    redactor,
    structured: (schema, input, options, presentation) => models.structured(schema as never, input, options, presentation),
  });
  // With a broken config every model call fails with the config's error (see configProblemText).
  const stopped = () => Promise.reject(Object.assign(new Error(configProblem ?? ""), { name: "ConfigError" }));
  bindHelperRuntime({
    ask: (...args) => (configProblem ? stopped() : models.ask(...args)),
    chat: (...args) => (configProblem ? stopped() : models.chat(...args)),
    structured: (...args) => (configProblem ? stopped() : models.structured(...args)),
    embed: (...args) => (configProblem ? stopped() : models.embed(...args)),
    record: (values) => recordValues(router.currentScope(), values),
    evaluate: (name, options) => evaluations.evaluate(name, options),
    judge: (...args) => (configProblem ? stopped() : evaluations.judge(...args)),
  });
  const append = env[ENV_RECORD_RUNS]?.trim() !== "off";
  const autoPush = records && append ? autoPusher(settings.mlflow, records, cwd, env, log) : null;
  const recorder = records
    ? new Recorder({
        records,
        environment: new EnvironmentInfo(cwd, { tslab: tslabVersion }),
        tolerance: settings.verdicts.tolerance,
        redactor,
        append,
        onAppended: autoPush ? () => autoPush.request() : undefined,
      })
    : undefined;
  log(
    records
      ? `run records and recordings in ${records.folder} (replay mode ${replayMode.mode()})`
      : "notebook unknown: no run records or recordings (set LABTRAIL_NOTEBOOK)",
  );
  const magics = new MagicCells({
    models: configProblem
      ? {
          summary: "the project config is invalid: say why",
          run: (_args, scope) => scope.display({ data: { "text/plain": configProblem }, metadata: {} }, false),
        }
      : modelsMagic(settings.models, config.file, env),
    replay: replayMode.magic(() => records?.folder ?? null),
  });
  const header = headerSettings(config);

  return {
    start(connectionFile) {
      const connection = readConnectionFile(connectionFile);
      const session = randomUUID();
      let server: KernelServer | undefined;
      const pending: Parameters<KernelServer["handle"]>[0][] = [];
      // The sockets come up on the worker thread; requests that arrive before the server exists wait in order.
      const transport = new Transport(
        connection,
        session,
        (request) => {
          runner.poke();
          if (server) server.handle(request);
          else pending.push(request);
        },
        log,
      );

      let shuttingDown = false;
      server = new KernelServer(transport, runner, {
        notebookPath: () => location.reportedPath,
        beforeExecute: (metadata, cellId) => location.beforeExecute(metadata, cellId),
        headerGate: createHeaderGate(config),
        labtrailInfo: () => ({
          version: labtrailVersion,
          header: { mode: header.mode, required: [...header.required] },
          replay: replayMode.mode(),
        }),
        magics,
        recorder,
        ready: () => runner.ready(),
        redactor,
        log,
        shutdown: () => {
          if (shuttingDown) return;
          shuttingDown = true;
          autoPush?.close();
          void transport.close().finally(() => {
            runner.close();
            process.exit(runner.exitRequested ?? 0);
          });
        },
      });
      for (const request of pending.splice(0)) server.handle(request);

      process.on("SIGINT", () => runner.interrupt());
      // Errors thrown by callbacks a cell scheduled go to that cell's output; anything else is the
      // kernel's own and goes to its log. Neither stops the kernel.
      const reportUncaught = (kind: string) => (error: unknown) => {
        const sink = router.current();
        const report = runner.describe(error);
        const text = `${kind}: ${report.traceback.join("\n")}\n`;
        if (sink) sink.write("stderr", text);
        else log(text);
      };
      process.on("uncaughtException", reportUncaught("Uncaught exception"));
      process.on("unhandledRejection", reportUncaught("Unhandled promise rejection"));

      followLauncher(env.JPY_PARENT_PID, log);

      transport.whenReady().then(
        () => {
          log(`kernel ready (session ${session})`);
          runner.warmUpWhenIdle();
        },
        (e) => {
          log(`cannot open the kernel's sockets: ${(e as Error).message}`);
          process.exit(1);
        },
      );
    },
  };
}

/**
 * Exits once the process that launched the kernel is gone (jupyter_client names it in JPY_PARENT_PID,
 * as ipykernel's parent poller reads it), so a killed Jupyter server or test driver leaves no kernel
 * running. Without the variable (labtrail reproduce, other launchers) nothing is watched.
 */
function followLauncher(parentPid: string | undefined, log: (text: string) => void): void {
  const pid = Number(parentPid);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") return; // alive, but not ours to signal
      log(`the process that started this kernel (pid ${pid}) is gone: exiting`);
      process.exit(0);
    }
  }, 1000);
  timer.unref();
}

/** The process entry: `node main.js <connection file>`, in the notebook's folder and environment. */
function main(): void {
  const connectionFile = process.argv[2];
  if (!connectionFile) {
    process.stderr.write("usage: labtrail-kernel <connection file>\n");
    process.exit(2);
  }
  createKernel({ cwd: process.cwd(), env: process.env }).start(connectionFile);
}

if (require.main === module) main();

/** With `"mlflow": { "autoPush": true }` and a tracking server to push to, the notebook's auto-push. */
function autoPusher(
  mlflow: MlflowConfig,
  records: NotebookRecords,
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: (text: string) => void,
): AutoPusher | null {
  if (!mlflow.autoPush) return null;
  const named = trackingUriFrom(undefined, env[TRACKING_URI_ENV], mlflow.trackingUri);
  if (!named) {
    log('"mlflow": { "autoPush": true } has no tracking server to push to: set "mlflow.trackingUri" or MLFLOW_TRACKING_URI');
    return null;
  }
  log(`mlflow auto-push: each record goes to ${displayUri(named.uri)} as it is written`);
  return new AutoPusher({ notebook: () => records.notebook, cwd, env, log });
}
