/**
 * The spec-lite: the notebook's first Markdown cell, read for a `# Title` and `Problem:`, `User:`,
 * `Metric:`, `Time box:` lines (DESIGN.md). Keys are case-insensitive and may be written as list items
 * or in bold (`- **Problem:** …`, `**User**: …`); a following non-blank line that is not a key, a
 * heading or a list item continues the value, as it would in the rendered paragraph.
 */

import type { Notebook } from "./notebook/schema";
import { indentOf, type Line, LineCursor, type Position, positionIn, trimmedEndOf } from "./text";

export const SPEC_KEYS = ["problem", "user", "metric", "timeBox"] as const;
export type SpecKey = (typeof SPEC_KEYS)[number];

export const SPEC_LABELS: Readonly<Record<SpecKey, string>> = {
  problem: "Problem",
  user: "User",
  metric: "Metric",
  timeBox: "Time box",
};

const SPEC_NAMES: Readonly<Record<string, SpecKey>> = {
  problem: "problem",
  user: "user",
  users: "user",
  metric: "metric",
  metrics: "metric",
  "success metric": "metric",
  "time box": "timeBox",
  timebox: "timeBox",
  "time-box": "timeBox",
};

export interface SpecField {
  value: string;
  start: Position;
  end: Position;
}

export interface SpecLite {
  /** 0-based index of the Markdown cell it was read from. */
  cellIndex: number;
  title?: SpecField;
  fields: Partial<Record<SpecKey, SpecField>>;
}

// "- **Problem:** x", "**Problem**: x", "Problem: x"
const KEY_LINE = /^(?:[-*+][ \t]+)?(?:\*\*|__)?([A-Za-z][A-Za-z -]*?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(.*)$/;
const ATX_H1 = /^#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_H1 = /^=+[ \t]*$/;
const BLOCK_START = /^(?:#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d+[.)][ \t]|>|```|~~~)/;

/** Reads the spec-lite from one Markdown cell's source. */
export function parseSpecLite(markdown: string, cellIndex = 0): SpecLite {
  const spec: SpecLite = { cellIndex, fields: {} };
  const cursor = new LineCursor(markdown);
  let open: { field: SpecField; parts: string[] } | null = null;
  let fence: string | null = null;
  let previous: Line | null = null;

  const close = () => {
    if (open) open.field.value = open.parts.join(" ");
    open = null;
  };

  for (let line = cursor.read(); line; previous = line, line = cursor.read()) {
    const start = indentOf(line.text);
    const end = stripHardBreak(line.text, start);
    const text = line.text.slice(start, end);
    if (fence) {
      if (text.startsWith(fence)) fence = null;
      continue;
    }
    if (text.startsWith("```") || text.startsWith("~~~")) {
      close();
      fence = text.slice(0, 3);
      continue;
    }
    if (text === "") {
      close();
      continue;
    }
    if (!spec.title) {
      const atx = ATX_H1.exec(text);
      if (atx && atx[1] !== "") {
        close();
        const titleStart = start + text.indexOf(atx[1]);
        spec.title = field(line, atx[1], titleStart);
        continue;
      }
      if (SETEXT_H1.test(text) && previous && previous.text.trim() !== "" && !open) {
        const prevStart = indentOf(previous.text);
        spec.title = field(previous, previous.text.slice(prevStart, trimmedEndOf(previous.text, prevStart)), prevStart);
        continue;
      }
    }
    const match = KEY_LINE.exec(text);
    const key = match ? SPEC_NAMES[match[1].toLowerCase().replace(/[ \t]+/g, " ")] : undefined;
    if (match && key) {
      close();
      const value = match[2];
      if (!spec.fields[key]) {
        const f = field(line, value, end - value.length);
        spec.fields[key] = f;
        open = { field: f, parts: value === "" ? [] : [value] };
      }
      continue;
    }
    if (open && !BLOCK_START.test(text)) {
      open.parts.push(text);
      open.field.end = positionIn(line, end);
      continue;
    }
    close();
  }
  close();
  return spec;
}

/** The spec-lite of a notebook: from its first Markdown cell, or null when it has none. */
export function findSpecLite(notebook: Notebook): SpecLite | null {
  const cell = notebook.cells.find((c) => c.cellType === "markdown");
  return cell ? parseSpecLite(cell.source, cell.index) : null;
}

function field(line: Line, value: string, index: number): SpecField {
  return { value, start: positionIn(line, index), end: positionIn(line, index + value.length) };
}

/** End of a Markdown line's content: trailing spaces and a hard-break backslash removed. */
function stripHardBreak(text: string, from: number): number {
  let end = trimmedEndOf(text, from);
  if (end > from && text[end - 1] === "\\") end = trimmedEndOf(text.slice(0, end - 1), from);
  return end;
}
