/**
 * What the kernel adds to each execute_reply's metadata, under the `labtrail` key: which cell ran, in
 * which notebook, and the rerun verdict the recorder gave it. The kernel builds it; the CLI's reproduce
 * and the JupyterLab extension parse it with this schema.
 */

import { z } from "zod";
import { rerunVerdictSchema } from "./records/schema";

/** The key of labtrail's object in the execute_reply's metadata. */
export const LABTRAIL_REPLY_METADATA_KEY = "labtrail";

/** Not strict: a newer kernel may add fields an older frontend does not know. */
export const labtrailReplyMetadataSchema = z.object({
  /** The cellId the execute_request's metadata carried, or null when it had none. */
  cellId: z.string().nullable(),
  /** The notebook the kernel serves, or null when it does not know it. */
  notebook: z.string().nullable(),
  /** Null when nothing was recorded (no notebook, a silent request, a cell the header gate stopped). */
  verdict: rerunVerdictSchema.nullable(),
});

export type LabtrailReplyMetadata = z.output<typeof labtrailReplyMetadataSchema>;

/** labtrail's object in an execute_reply's metadata, or null when it is missing or of another shape. */
export function labtrailReplyMetadata(metadata: unknown): LabtrailReplyMetadata | null {
  if (typeof metadata !== "object" || metadata === null) return null;
  const parsed = labtrailReplyMetadataSchema.safeParse((metadata as Record<string, unknown>)[LABTRAIL_REPLY_METADATA_KEY]);
  return parsed.success ? parsed.data : null;
}
