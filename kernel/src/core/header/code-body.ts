/**
 * The code of a cell without its header: what the run records' code hash covers, so that writing
 * `// Found: …` after a run is not a code change. Pure, so a frontend can hash the very same text
 * (SubtleCrypto, SHA-256 of its UTF-8 bytes) and match it to the kernel's records.
 */

import { type ParsedHeader, parseHeader } from "./grammar";

/** The source from the first line of code or magic on, trailing whitespace removed ("" without code). */
export function codeBody(source: string, header: ParsedHeader = parseHeader(source)): string {
  return source.slice(header.body?.start.offset ?? source.length).trimEnd();
}
