/**
 * The extension's settings (schema/settings.json, edited in the Settings Editor) as one typed value.
 * JupyterLab validates the user's JSON against the schema; zod here gives the composite its types
 * and defaults, and keeps a value from an older schema version from reaching the features.
 */
import { z } from "zod";
import { DEFAULT_DRAFT_FILE_NAME, HEADER_TEMPLATE, headerKeySchema } from "labtrail/core";

/** "kernel": use the mode the labtrail kernel reports (labtrail.config.json / LABTRAIL_HEADER_MODE). */
export const ENFORCEMENT_CHOICES = ["kernel", "off", "warn", "block"] as const;

/** The kernelspec name `labtrail install` writes by default. */
const LABTRAIL_KERNEL = "labtrail";

export const settingsSchema = z.object({
  enforcement: z.enum(ENFORCEMENT_CHOICES).catch("kernel"),
  /** Empty: the kernel's required keys (labtrail.config.json), else Tested and Found. */
  requiredFields: z.array(headerKeySchema).catch([]),
  headerTemplate: z.string().catch(HEADER_TEMPLATE),
  kernels: z.array(z.string()).catch([LABTRAIL_KERNEL]),
  allNotebooks: z.boolean().catch(false),
  exportFileName: z.string().catch(DEFAULT_DRAFT_FILE_NAME),
  /** The Experiment Log shows each cell's newest runs, this many (the rest one click away). */
  logRunsPerCell: z.number().int().min(1).max(1000).catch(5),
});

export type LabtrailSettings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: LabtrailSettings = settingsSchema.parse({});

/** The settings from the registry's composite value; a bad or missing entry takes its default. */
export function readSettings(composite: unknown): LabtrailSettings {
  const input = typeof composite === "object" && composite !== null ? composite : {};
  return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...input });
}
