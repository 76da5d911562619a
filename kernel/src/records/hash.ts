import { canonicalJson, sha256Hex } from "../core";

/** SHA-256 of a text's UTF-8 bytes, as hex: the core's implementation, the one the code hash uses. */
export function sha256(text: string): string {
  return sha256Hex(text);
}

/** The hash of a value's canonical JSON: equal values, equal hashes, whatever their key order. */
export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value) ?? "null");
}
