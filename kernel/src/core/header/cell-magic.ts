import { parseHeader } from "./grammar";

/** A magic's name as the kernel reads it (kernel/magics/magic-syntax.ts splits the whole cell). */
export const MAGIC_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*/;

/**
 * The cell magic a cell holds (`%%ask` after the header gives "ask"), or null. The extension uses it
 * to edit a magic's body in the body's own language instead of TypeScript.
 */
export function cellMagicName(source: string): string | null {
  const body = parseHeader(source).body;
  if (body?.kind !== "magic" || !body.text.startsWith("%%")) return null;
  return MAGIC_NAME_PATTERN.exec(body.text.slice(2))?.[0] ?? null;
}
