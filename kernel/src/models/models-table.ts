// What %models shows: the default (and embed()'s), every alias with its model, endpoint and key variable, and whether
// that variable is set — never its value.
import type { ModelsConfig } from "../config";
import { DEFAULT_KEY_ENV, defaultBaseURL, resolveTarget } from "./targets";

type Env = Readonly<Record<string, string | undefined>>;

export interface ModelRow {
  name: string;
  model: string;
  endpoint: string;
  key: string;
  isDefault: boolean;
  /** The model embed() uses when a call names none. */
  isDefaultEmbedding: boolean;
}

export function modelRows(config: ModelsConfig, env: Env): ModelRow[] {
  const keyStatus = (variable: string | null) =>
    variable === null ? "none needed" : `${variable} (${env[variable]?.trim() ? "set" : "NOT SET"})`;
  const names = Object.keys(config.aliases);
  if (!names.includes(config.default)) names.unshift(config.default);
  if (!names.includes(config.defaultEmbedding)) names.push(config.defaultEmbedding);
  return names.map((name) => {
    const target = resolveTarget(config, name, env);
    return {
      name,
      model: target.model,
      endpoint: target.baseURL,
      key: keyStatus(target.apiKeyEnv),
      isDefault: name === config.default,
      isDefaultEmbedding: name === config.defaultEmbedding,
    };
  });
}

export function modelsTable(config: ModelsConfig, env: Env, configFile: string | null): { text: string; markdown: string } {
  const rows = modelRows(config, env);
  const header = ["name", "model", "endpoint", "key"];
  const label = (r: ModelRow) => {
    const roles = [r.isDefault ? "default" : "", r.isDefaultEmbedding ? "default for embed()" : ""].filter(Boolean);
    return roles.length ? `${r.name} (${roles.join(", ")})` : r.name;
  };
  const cells = rows.map((r) => [label(r), r.model, r.endpoint, r.key]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const source = configFile ? `Models from ${configFile}.` : "No labtrail.config.json found: the default models are in use.";
  const note = `Any other model id goes to ${defaultBaseURL(env)} with the key in ${DEFAULT_KEY_ENV}.`;
  const text = [line(header), ...cells.map(line), "", `${source} ${note}`].join("\n");
  const md = (v: string) => v.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
  const markdown = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...cells.map((c) => `| ${c.map(md).join(" | ")} |`),
    "",
    md(`${source} ${note}`),
  ].join("\n");
  return { text, markdown };
}
