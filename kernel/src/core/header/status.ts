/**
 * One cell's header status as a frontend shows it on the cell: documented or not, a compact badge,
 * the full messages and the line the marker belongs on. Built on `checkHeader`, so the notebook view
 * and `labtrail lint` never disagree about a cell.
 */

import { lintCellSource, type CheckOptions } from "./check";
import type { HeaderProblem } from "./grammar";
import { HEADER_KEY_LABELS, HEADER_KEYS, type HeaderKey } from "./keys";

export interface CellHeaderStatus {
  /** No required key is missing or empty. */
  documented: boolean;
  /** Required keys absent from the header, in the contract's key order. */
  missing: HeaderKey[];
  /** Required keys present but empty or still a template placeholder, in the contract's key order. */
  empty: HeaderKey[];
  /** Compact: "needs Tested", "Found empty", "needs Tested · Found empty"; "" when documented. */
  badge: string;
  /** The full problem messages, in source order, joined with "; "; "" when documented. Plain text. */
  message: string;
  /** 1-based line the marker belongs on: the first problem's line; 1 when there is none. */
  line: number;
}

/**
 * The header status of a code cell's source. Only the contract's problems (a required key missing or
 * empty) count: grammar problems such as an unknown key are lint's business, not the cell's marker.
 * A cell with no code below its comments is documented (it is not an experiment).
 */
export function cellHeaderStatus(source: string, options: CheckOptions): CellHeaderStatus {
  const problems = lintCellSource(source, options).problems.filter(isContractProblem);
  const missing = keysOf(problems, "missing-key");
  const empty = keysOf(problems, "empty-key");
  const badge: string[] = [];
  if (missing.length > 0) badge.push(`needs ${labels(missing)}`);
  if (empty.length > 0) badge.push(`${labels(empty)} empty`);
  return {
    documented: problems.length === 0,
    missing,
    empty,
    badge: badge.join(" · "),
    message: problems.map((problem) => problem.message).join("; "),
    line: problems[0]?.start.line ?? 1,
  };
}

function isContractProblem(problem: HeaderProblem): problem is HeaderProblem & { key: HeaderKey } {
  return (problem.code === "missing-key" || problem.code === "empty-key") && problem.key !== undefined;
}

function keysOf(problems: readonly (HeaderProblem & { key: HeaderKey })[], code: HeaderProblem["code"]): HeaderKey[] {
  const keys = new Set(problems.filter((problem) => problem.code === code).map((problem) => problem.key));
  return HEADER_KEYS.filter((key) => keys.has(key));
}

function labels(keys: readonly HeaderKey[]): string {
  return keys.map((key) => HEADER_KEY_LABELS[key]).join(", ");
}
