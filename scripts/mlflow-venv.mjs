#!/usr/bin/env node
// A cached Python venv with a pinned MLflow, for the tests that push to a real tracking server
// (test/mlflow/). Not part of setup: `npm start` never waits for MLflow. The first call creates
// .labtrail-setup/mlflow-venv and pip-installs MLflow (a minute or two); later calls find the stamp
// naming the pinned version and return at once. Prints the venv's `mlflow` executable on stdout.
//
// Env: LABTRAIL_PYTHON  base interpreter for the venv (default: python3, as scripts/setup.mjs)
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The MLflow the tests run against (3.18.0 needs an mlflow-tracing 3.18 this registry lacks). */
export const MLFLOW_VERSION = "3.17.2";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const venv = join(root, ".labtrail-setup", "mlflow-venv");
const python = join(venv, "bin", "python");
const mlflow = join(venv, "bin", "mlflow");
const stamp = join(venv, "labtrail-mlflow.stamp");
// pip's output goes here, not into the test run's; its end is printed when a step fails.
const log = join(root, ".labtrail-setup", "mlflow-venv.log");

function fail(step, message) {
  process.stderr.write(`mlflow-venv: ${step}: ${message}\n`);
  process.exit(1);
}

function run(step, command, args) {
  const out = openSync(log, "a");
  // PIP_USER=1 would send packages to the user's home instead of the venv.
  const result = spawnSync(command, args, { stdio: ["ignore", out, out], env: { ...process.env, PIP_USER: "0" } });
  closeSync(out);
  if (result.error) fail(step, result.error.message);
  if (result.status !== 0) {
    const tail = readFileSync(log, "utf8").trimEnd().split("\n").slice(-15).join("\n");
    process.stderr.write(`${tail}\n`);
    fail(step, `${command} ${args.join(" ")} exited with ${result.status} (the whole output: ${log})`);
  }
}

const wanted = `mlflow==${MLFLOW_VERSION}\n`;
const current = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
if (current !== wanted || !existsSync(mlflow)) {
  const started = Date.now();
  const base = process.env.LABTRAIL_PYTHON || "python3";
  process.stderr.write(`mlflow-venv: installing mlflow ${MLFLOW_VERSION} into ${venv} (first time only)…\n`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  writeFileSync(log, "");
  run("venv", base, ["-m", "venv", venv]);
  run("pip install", python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `mlflow==${MLFLOW_VERSION}`]);
  writeFileSync(stamp, wanted);
  process.stderr.write(`mlflow-venv: mlflow ${MLFLOW_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
process.stdout.write(`${mlflow}\n`);
