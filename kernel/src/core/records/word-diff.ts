/**
 * A word diff of two answers as one line of plain text, for a drifted verdict: removed words as
 * `[-old-]`, added ones as `{+new+}` (git's plain word-diff), unchanged stretches cut to a few words
 * around each change, the whole clipped. Pure and browser-safe (`diff` is plain JS with no Node APIs).
 */
import { diffWords } from "diff";

/** Unchanged words kept on each side of a change; longer stretches between changes become "…". */
const CONTEXT_WORDS = 3;

/** The one-line word diff of `before` → `after`, at most `maxChars` characters (ending in "…" when cut). */
export function wordDiff(before: string, after: string, maxChars: number): string {
  const parts = diffWords(oneLine(before), oneLine(after));
  let line = "";
  parts.forEach((part, i) => {
    // Spaces stay outside the markers, where the text had them: "is [-bug-] {+feature+}: the".
    const text = part.value.replace(/\s+/g, " ");
    const lead = text.startsWith(" ") ? " " : "";
    const trail = text.endsWith(" ") && text.trim() !== "" ? " " : "";
    const words = text.trim();
    if (part.added || part.removed) {
      const marked = part.added ? `{+${words}+}` : `[-${words}-]`;
      // A replacement reads as "[-old-] {+new+}".
      line += `${lead}${part.added && parts[i - 1]?.removed ? " " : ""}${marked}${trail}`;
    } else {
      line += `${lead}${shortenContext(words, i > 0, i < parts.length - 1)}${trail}`;
    }
  });
  line = line.replace(/\s+/g, " ").trim();
  return line.length > maxChars ? `${line.slice(0, Math.max(0, maxChars - 1))}…` : line;
}

/** An unchanged stretch: only the words next to a change, the rest as "…". */
function shortenContext(text: string, afterChange: boolean, beforeChange: boolean): string {
  const words = text.split(" ").filter(Boolean);
  const keepHead = afterChange ? CONTEXT_WORDS : 0;
  const keepTail = beforeChange ? CONTEXT_WORDS : 0;
  if (words.length <= keepHead + keepTail) return words.join(" ");
  const head = words.slice(0, keepHead);
  const tail = keepTail > 0 ? words.slice(-keepTail) : [];
  return [...head, "…", ...tail].join(" ");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
