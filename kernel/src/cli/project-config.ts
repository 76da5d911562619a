// The project config as a CLI command needs it: loaded for the notebook's folder, or one line and
// exit 2. Never the defaults in its place (an invalid value is a mistake to fix, not a fallback).
import * as path from "node:path";
import { type LabtrailConfig, loadConfig } from "../config";
import { CliError } from "./errors";

export function requireProjectConfig(notebook: string, env: Readonly<Record<string, string | undefined>> = process.env): LabtrailConfig {
  const loaded = loadConfig(path.dirname(path.resolve(notebook)), env);
  if (!loaded.ok) throw new CliError(`invalid config: ${loaded.error}`, 2);
  return loaded.config;
}
