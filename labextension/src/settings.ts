/**
 * The extension's settings (schema/settings.json, edited in the Settings Editor) as one typed value.
 * JupyterLab validates the user's JSON against the schema; zod here gives the composite its types
 * and defaults, and keeps a value from an older schema version from reaching the features.
 */
import { z } from 'zod';
import { HEADER_KEYS, HEADER_TEMPLATE, resolveHeaderKey } from 'labtrail/core';

/** "kernel": use the mode the labtrail kernel reports (labtrail.config.json / LABTRAIL_HEADER_MODE). */
export const ENFORCEMENT_CHOICES = ['kernel', 'off', 'warn', 'block'] as const;
export type Enforcement = (typeof ENFORCEMENT_CHOICES)[number];

/** The kernelspec name `labtrail install` writes by default. */
export const LABTRAIL_KERNEL = 'labtrail';

const headerKey = z
  .string()
  .transform(name => resolveHeaderKey(name) ?? name)
  .pipe(z.enum(HEADER_KEYS));

export const settingsSchema = z.object({
  enforcement: z.enum(ENFORCEMENT_CHOICES).catch('kernel'),
  /** Empty: the kernel's required keys (labtrail.config.json), else Tested and Found. */
  requiredFields: z.array(headerKey).catch([]),
  headerTemplate: z.string().catch(HEADER_TEMPLATE),
  kernels: z.array(z.string()).catch([LABTRAIL_KERNEL]),
  allNotebooks: z.boolean().catch(false),
  exportFileName: z.string().catch('{name}.design.md')
});

export type LabtrailSettings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: LabtrailSettings = settingsSchema.parse({});

/** The settings from the registry's composite value; a bad or missing entry takes its default. */
export function readSettings(composite: unknown): LabtrailSettings {
  const input = typeof composite === 'object' && composite !== null ? composite : {};
  return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...input });
}

/**
 * The draft's file name for a notebook: `{name}` in the pattern is the notebook's name without
 * `.ipynb`. A pattern that would leave the notebook's folder or name no Markdown file is refused.
 */
export function draftFileName(pattern: string, notebookFileName: string): string {
  const name = notebookFileName.replace(/\.ipynb$/i, '');
  const fileName = pattern.split('{name}').join(name).trim();
  if (fileName === '' || /[\\/]/.test(fileName) || fileName === '.' || fileName === '..') {
    throw new Error(
      `the export file name setting "${pattern}" must be a file name such as "{name}.design.md" (no folders)`
    );
  }
  if (fileName === notebookFileName) {
    throw new Error(`the export file name setting "${pattern}" would overwrite the notebook itself`);
  }
  return fileName;
}
