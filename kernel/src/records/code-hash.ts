// The hash that says whether a cell's code changed: SHA-256 of the code below the header (core's
// `codeBody`), so writing `// Found: …` after a run is not a code change.
import { createHash } from "node:crypto";
import { codeBody, parseHeader, type ParsedHeader } from "../core";

/** `header`: the source's parsed header, when the caller has it already. */
export function codeHash(source: string, header: ParsedHeader = parseHeader(source)): string {
  return createHash("sha256").update(codeBody(source, header)).digest("hex");
}
