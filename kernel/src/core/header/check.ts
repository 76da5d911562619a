/**
 * The contract on top of the grammar: which keys a cell must have, and what the kernel does about a
 * cell that lacks them (mode off | warn | block). Pure; the kernel and `labtrail lint` both call it.
 */

import type { Position } from "../text";
import { type HeaderField, type HeaderProblem, type ParsedHeader, parseHeader } from "./grammar";
import { DEFAULT_REQUIRED_KEYS, HEADER_KEY_LABELS, HEADER_KEY_PHASE, type HeaderKey } from "./keys";
import { HEADER_PLACEHOLDERS, HEADER_TEMPLATE, isPlaceholder } from "./template";

export interface CheckOptions {
  /** Whether the cell has run (it has an execution count or outputs): after-run keys apply. */
  hasRun: boolean;
  /** Required keys; default Tested and Found. Before-run keys always apply, after-run keys once run. */
  required?: readonly HeaderKey[];
}

/** True when a field holds a real value: not empty and not a template placeholder. */
export function isFilled(field: HeaderField | undefined): boolean {
  return field !== undefined && field.value !== "" && !isPlaceholder(field.value);
}

/** The value of a key when it is filled in (see `isFilled`). */
export function filledValue(header: ParsedHeader, key: HeaderKey): string | undefined {
  const field = header.byKey[key];
  return field && isFilled(field) ? field.value : undefined;
}

/**
 * Every problem with a cell's header, sorted by position: the grammar's own (unknown, duplicate keys,
 * invalid verdict) and the contract's (a required key missing or empty). A cell with no code after its
 * comments is not an experiment, so the contract's checks skip it.
 */
export function checkHeader(header: ParsedHeader, options: CheckOptions): HeaderProblem[] {
  const problems = [...header.problems, ...requiredProblems(header, options)];
  problems.sort((a, b) => a.start.offset - b.start.offset);
  return problems;
}

/** Parses and checks a code cell's source in one call. */
export function lintCellSource(source: string, options: CheckOptions): { header: ParsedHeader; problems: HeaderProblem[] } {
  const header = parseHeader(source);
  return { header, problems: checkHeader(header, options) };
}

function requiredProblems(header: ParsedHeader, options: CheckOptions): HeaderProblem[] {
  if (!header.body) return [];
  const problems: HeaderProblem[] = [];
  for (const key of options.required ?? DEFAULT_REQUIRED_KEYS) {
    const afterRun = HEADER_KEY_PHASE[key] === "after-run";
    if (afterRun && !options.hasRun) continue;
    const field = header.byKey[key];
    const label = HEADER_KEY_LABELS[key];
    if (!field) {
      problems.push(missingProblem(header, key, afterRun));
    } else if (!isFilled(field)) {
      const why =
        field.value === ""
          ? afterRun
            ? `${label} is empty, but the cell has run: write what the run showed`
            : `${label} is empty: write ${describe(key)}`
          : `${label} still holds the template placeholder "${field.value}"`;
      problems.push({ code: "empty-key", key, message: why, start: field.start, end: field.end });
    }
  }
  return problems;
}

function describe(key: HeaderKey): string {
  return HEADER_PLACEHOLDERS[key].slice(1, -1);
}

function missingProblem(header: ParsedHeader, key: HeaderKey, afterRun: boolean): HeaderProblem {
  const label = HEADER_KEY_LABELS[key];
  const line = `"// ${label}: ${HEADER_PLACEHOLDERS[key]}"`;
  // A before-run key belongs at the top of the cell; an after-run key is added to the header there is.
  const top: Position = { line: 1, column: 1, offset: 0 };
  if (afterRun) {
    const start = header.fields[0]?.start ?? top;
    return { code: "missing-key", key, message: `missing ${label}: the cell has run; add ${line} to its header`, start, end: start };
  }
  const misplaced = findMisplacedKey(header, key);
  if (misplaced && header.body) {
    const what = header.body.kind === "magic" ? `the ${magicName(header.body.text)} line` : "the code";
    return {
      code: "missing-key",
      key,
      message: `missing ${label}: the header must be at the very top of the cell; move "${label}:" from line ${misplaced.line} above ${what} at line ${header.body.start.line}`,
      start: misplaced,
      end: misplaced,
    };
  }
  const where = header.body?.kind === "magic" ? ` above the ${magicName(header.body.text)} line` : " at the top of the cell";
  return { code: "missing-key", key, message: `missing ${label}: add ${line}${where}`, start: top, end: top };
}

function magicName(text: string): string {
  return /^%+[^\s]*/.exec(text)?.[0] ?? "%";
}

const misplacedPatterns = new Map<HeaderKey, RegExp>();

/** Matches a line that starts a `key` field in any of the three forms. */
function misplacedPattern(key: HeaderKey): RegExp {
  let pattern = misplacedPatterns.get(key);
  if (!pattern) {
    // "g" so that the search can start at `lastIndex`, without copying the rest of the source.
    pattern = new RegExp(`^[ \\t]*(?:\\/\\/\\|?[ \\t]?${key}[ \\t]*:|(?:\\/\\*\\*|\\*)?[ \\t]*@${key}\\b)`, "gim");
    misplacedPatterns.set(key, pattern);
  }
  return pattern;
}

/** A `key:` line (any of the three forms) somewhere below the header, where it has no effect. */
function findMisplacedKey(header: ParsedHeader, key: HeaderKey): Position | undefined {
  const body = header.body;
  if (!body) return undefined;
  const source = header.source;
  const from = body.start.offset - (body.start.column - 1);
  const pattern = misplacedPattern(key);
  pattern.lastIndex = from;
  const match = pattern.exec(source);
  if (!match) return undefined;
  let line = body.start.line;
  let lineStart = from;
  for (let i = from; i < match.index; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const offset = match.index + (match[0].length - match[0].trimStart().length);
  return { line, column: offset - lineStart + 1, offset };
}

export const HEADER_MODES = ["off", "warn", "block"] as const;
export type HeaderMode = (typeof HEADER_MODES)[number];

export type GateDecision =
  /** Run the cell; show `notice` (one short line) first when it is not null. */
  | { run: true; notice: string | null }
  /** Do not run the cell; reply with `error` (several lines: what is wrong, the template, how to opt out). */
  | { run: false; error: string };

/**
 * What the kernel does with a code cell before running it. Only before-run keys are checked (the cell
 * has not run yet); a cell without code is always run.
 */
export function gateCell(source: string, options: { mode: HeaderMode; required?: readonly HeaderKey[] }): GateDecision {
  if (options.mode === "off") return { run: true, notice: null };
  const header = parseHeader(source);
  const problems = requiredProblems(header, { hasRun: false, required: options.required });
  if (problems.length === 0) return { run: true, notice: null };
  const reasons = problems.map((problem) => problem.message).join("; ");
  if (options.mode === "warn") {
    return { run: true, notice: `labtrail: ${reasons} (\`labtrail lint\` lists every cell)` };
  }
  const error = [
    `labtrail did not run this cell (header mode: block): ${reasons}.`,
    "Paste this at the top of the cell, fill it in and run the cell again:",
    "",
    HEADER_TEMPLATE.trimEnd(),
    "",
    'To run cells without a header, set "header": { "mode": "warn" } in labtrail.config.json, or LABTRAIL_HEADER_MODE=warn.',
  ].join("\n");
  return { run: false, error };
}
