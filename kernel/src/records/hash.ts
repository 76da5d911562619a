import { createHash } from "node:crypto";
import { canonicalJson } from "../core";

/**
 * SHA-256 of a text's UTF-8 bytes, as hex: the same digest as the core's sha256Hex (which the code hash
 * and the browser use), from Node's native implementation, several times faster on the replay path
 * (every model call hashes its request).
 */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hash of a value's canonical JSON: equal values, equal hashes, whatever their key order. */
export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value) ?? "null");
}
