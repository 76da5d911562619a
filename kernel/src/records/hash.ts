import { createHash } from "node:crypto";
import { canonicalJson } from "../core";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hash of a value's canonical JSON: equal values, equal hashes, whatever their key order. */
export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value) ?? "null");
}
