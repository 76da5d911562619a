/**
 * What the kernel tells a frontend about itself in the kernel_info_reply, under the `labtrail` key:
 * the settings the frontend must agree with (the header mode and required keys the kernel enforces,
 * the replay mode in force). The kernel builds it; the JupyterLab extension parses it with this schema.
 */

import { z } from "zod";
import { HEADER_MODES } from "./header/check";
import { HEADER_KEYS } from "./header/keys";
import { REPLAY_MODES } from "./records/replay-modes";

/** The key of labtrail's object in the kernel_info_reply's content. */
export const LABTRAIL_KERNEL_INFO_KEY = "labtrail";

/** Not strict: a newer kernel may add fields an older frontend does not know. */
export const labtrailKernelInfoSchema = z.object({
  /** The labtrail package version the kernel runs. */
  version: z.string(),
  /** The header contract the kernel enforces before a cell runs. */
  header: z.object({
    mode: z.enum(HEADER_MODES),
    required: z.array(z.enum(HEADER_KEYS)),
  }),
  /** The replay mode in force now (`%replay` may have changed it since the kernel started). */
  replay: z.enum(REPLAY_MODES),
});

export type LabtrailKernelInfo = z.output<typeof labtrailKernelInfoSchema>;
