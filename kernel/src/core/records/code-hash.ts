/**
 * The hash that says whether a cell's code changed: SHA-256 of the code below the header (`codeBody`),
 * so writing `// Found: …` after a run is not a code change. Synchronous and browser-safe (no
 * node:crypto, no SubtleCrypto, which is async and missing outside secure contexts), so the kernel,
 * the CLI and the extension compute the same hash with this one implementation.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { codeBody } from "../header/code-body";
import { parseHeader, type ParsedHeader } from "../header/grammar";

/** SHA-256 of a text's UTF-8 bytes, as lowercase hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(text)));
}

/** `header`: the source's parsed header, when the caller has it already. */
export function codeHash(source: string, header: ParsedHeader = parseHeader(source)): string {
  return sha256Hex(codeBody(source, header));
}
