/** The inputs of this kernel session, answered through `history_request` (tail, range, search). */
export type HistoryEntry = [session: number, line: number, input: string];

export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type?: "tail" | "range" | "search" | string;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** Glob as IPython's history search understands it: `*` any run, `?` one character, anchored. */
function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${escaped}$`);
}

export class History {
  private readonly entries: HistoryEntry[] = [];
  /** Sessions are numbered per kernel process; the current one is 1. */
  private readonly session = 1;

  add(line: number, input: string): void {
    this.entries.push([this.session, line, input]);
  }

  query(request: HistoryRequest): Array<HistoryEntry | [number, number, [string, null]]> {
    const selected = this.select(request);
    return request.output ? selected.map(([s, l, input]) => [s, l, [input, null]]) : selected;
  }

  private select(request: HistoryRequest): HistoryEntry[] {
    const n = request.n ?? 10;
    switch (request.hist_access_type) {
      case "tail":
        return n > 0 ? this.entries.slice(-n) : [];
      case "range": {
        const session = request.session ?? 0;
        if (session !== 0 && session !== this.session) return [];
        const start = request.start ?? 0;
        const stop = request.stop ?? Number.MAX_SAFE_INTEGER;
        return this.entries.filter(([, line]) => line >= start && line < stop);
      }
      case "search": {
        const re = globToRegExp(request.pattern ?? "*");
        let found = this.entries.filter(([, , input]) => re.test(input));
        if (request.unique) {
          const seen = new Set<string>();
          found = found
            .reverse()
            .filter(([, , input]) => !seen.has(input) && seen.add(input))
            .reverse();
        }
        return n > 0 ? found.slice(-n) : found;
      }
      default:
        return [];
    }
  }
}
