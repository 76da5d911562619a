import { inspect } from "node:util";

/** The protocol Deno's kernel uses: an object may render itself as a MIME bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** Plain text of a value, as Node's REPL shows it, never with terminal colour codes. */
export function plainText(value: unknown): string {
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000 });
}

/** The `execute_result` bundle for a cell's last value: its own rich bundle if it has one, plus text. */
export function toMimeBundle(value: unknown): MimeBundle {
  const render = (value as { [JUPYTER_DISPLAY]?: unknown } | null | undefined)?.[JUPYTER_DISPLAY];
  if (typeof render === "function") {
    const bundle = render.call(value);
    if (bundle && typeof bundle === "object" && !Array.isArray(bundle)) {
      const data: Record<string, unknown> = { ...(bundle as Record<string, unknown>) };
      data["text/plain"] ??= plainText(value);
      return { data, metadata: {} };
    }
  }
  return { data: { "text/plain": plainText(value) }, metadata: {} };
}
