// The hash that says whether a cell's code changed: of the code below the header only, so writing
// `// Found: …` after a run is not a code change.
import { createHash } from "node:crypto";
import { parseHeader, type ParsedHeader } from "../core";

/** `header`: the source's parsed header, when the caller has it already. */
export function codeHash(source: string, header: ParsedHeader = parseHeader(source)): string {
  const body = source.slice(header.body?.start.offset ?? source.length).trimEnd();
  return createHash("sha256").update(body).digest("hex");
}
