/**
 * The project config file, `labtrail.config.json`, validated with zod. Later issues add their own
 * top-level sections here. Unknown keys are errors, so a misspelt key is reported instead of ignored.
 */

import { z } from "zod";
import { DEFAULT_REQUIRED_KEYS, HEADER_KEYS, HEADER_MODES, listHeaderKeys, resolveHeaderKey } from "../core";

export const CONFIG_FILE_NAME = "labtrail.config.json";

const headerKey = z
  .string({ error: "expected a header key such as \"tested\"" })
  .transform((name) => resolveHeaderKey(name) ?? name)
  .pipe(z.enum(HEADER_KEYS, { error: (issue) => `unknown header key ${JSON.stringify(issue.input)}; header keys are ${listHeaderKeys()}` }));

export const headerConfigSchema = z.strictObject({
  /** What the kernel does with a code cell that has no `Tested`: nothing, a notice, or refuse to run it. */
  mode: z.enum(HEADER_MODES, { error: 'expected "off", "warn" or "block"' }).default("warn"),
  /** Keys every code cell needs: before-run keys always, after-run keys once the cell has run. */
  required: z.array(headerKey, { error: "expected a list of header keys" }).default(() => [...DEFAULT_REQUIRED_KEYS]),
});

export const configSchema = z.strictObject({
  /** Lets editors validate the file against a JSON schema; not read by labtrail. */
  $schema: z.string().optional(),
  header: headerConfigSchema.prefault({}),
});

export type LabtrailConfig = z.output<typeof configSchema>;
export type HeaderConfig = LabtrailConfig["header"];

/** The configuration when there is no config file and no override (a fresh object each call). */
export function defaultConfig(): LabtrailConfig {
  return configSchema.parse({});
}
