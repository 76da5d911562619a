// The hash that says whether a cell's code changed: of the code below the header only, so writing
// `// Found: …` after a run is not a code change.
import { createHash } from "node:crypto";
import { parseHeader } from "../core";

export function codeHash(source: string): string {
  const body = source.slice(parseHeader(source).body?.start.offset ?? source.length).trimEnd();
  return createHash("sha256").update(body).digest("hex");
}
