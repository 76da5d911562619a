import { readFileSync } from "node:fs";
import { z } from "zod";

/** The connection file Jupyter writes for a kernel (jupyter_client's `write_connection_file`). */
export const ConnectionInfoSchema = z.object({
  transport: z.enum(["tcp", "ipc"]).default("tcp"),
  ip: z.string().min(1),
  key: z.string().default(""),
  signature_scheme: z.string().default("hmac-sha256"),
  shell_port: z.number().int().nonnegative(),
  control_port: z.number().int().nonnegative(),
  stdin_port: z.number().int().nonnegative(),
  iopub_port: z.number().int().nonnegative(),
  hb_port: z.number().int().nonnegative(),
  kernel_name: z.string().optional(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

export function readConnectionFile(path: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read connection file ${path}: ${(e as Error).message}`);
  }
  const parsed = ConnectionInfoSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`invalid connection file ${path}: ${z.prettifyError(parsed.error)}`);
  }
  if (!/^hmac-sha256$/.test(parsed.data.signature_scheme)) {
    throw new Error(`unsupported signature scheme ${parsed.data.signature_scheme} in ${path}`);
  }
  return parsed.data;
}
