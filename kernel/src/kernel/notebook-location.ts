// Which notebook file the kernel serves, kept current. Jupyter names the notebook once, when it starts
// the kernel (JPY_SESSION_NAME, an absolute path in jupyter-server 2; updated for the next restart when
// the notebook is renamed); the labtrail extension names it again with every execute_request, as the
// contents API does: relative to the server root. The root is found once, by where that path leads to
// an existing file, and the records follow each new path before the cell runs, so its model calls
// look up the recordings where they are now.
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve, sep } from "node:path";
import { labtrailRequestMetadata } from "../core";
import type { NotebookRecords } from "../records/notebook-records";

/** The notebook the kernel runs at start: LABTRAIL_NOTEBOOK (headless runners), else Jupyter's session name. */
export function startingNotebook(cwd: string, env: NodeJS.ProcessEnv): string | null {
  const explicit = env.LABTRAIL_NOTEBOOK?.trim();
  if (explicit) return resolve(cwd, explicit);
  const session = env.JPY_SESSION_NAME?.trim();
  if (!session || !/\.ipynb$/i.test(session)) return null;
  // jupyter-server 2 gives the absolute path (after a move, the kernel may restart in the old folder);
  // older servers give the path from the root, and start the kernel in the notebook's folder.
  return session.startsWith("/") ? session : join(cwd, basename(session));
}

export class NotebookLocation {
  /** The server root, once a frontend's path has led to the notebook. */
  private root: string | undefined;
  /** The path the frontend last named the notebook by (relative to the server root). */
  private named: string | undefined;
  /** Problems already said: each once. */
  private readonly said = new Set<string>();

  constructor(
    private readonly records: NotebookRecords | null,
    /** How Jupyter named the notebook when it started the kernel (JPY_SESSION_NAME), if it did. */
    private readonly sessionName: string | undefined,
    private readonly log: (text: string) => void,
  ) {}

  /** The notebook as the frontend names it now, else as Jupyter named it, else its file name. */
  get reportedPath(): string | undefined {
    return this.named ?? (this.sessionName || this.records?.notebookName);
  }

  /**
   * Before an execution: follows the path the request names and catches up with records left behind.
   * Returns a line for the cell when something went wrong (said once), or null.
   */
  beforeExecute(metadata: unknown, cellId: string | null): string | null {
    if (!this.records) return null;
    const parsed = labtrailRequestMetadata(metadata);
    try {
      if (!parsed.ok) return this.once(`labtrail: the execute request's ${parsed.problem}; the records stay in ${this.records.folder}`);
      const { notebookPath, serverRoot } = parsed.value;
      if (notebookPath !== undefined) {
        const notebook = this.resolve(notebookPath, serverRoot);
        if (!notebook) {
          return this.once(
            `labtrail: cannot find the notebook ${notebookPath} on the kernel's machine; run records and recordings stay in ${this.records.folder}`,
          );
        }
        this.named = notebookPath;
        this.records.follow(notebook);
      }
      this.records.catchUp(cellId);
      return null;
    } catch (error) {
      return this.once(`labtrail: ${(error as Error).message}`);
    }
  }

  /** The absolute notebook file a contents-API path names, or null when the root cannot be found. */
  private resolve(path: string, serverRoot: string | undefined): string | null {
    const local = path.split("/").join(sep);
    if (this.root !== undefined) return join(this.root, local);
    const current = this.records!.notebook;
    const candidates: string[] = [];
    if (serverRoot) candidates.push(expandHome(serverRoot));
    // Not renamed since the kernel started: the current file ends with the path, the rest is the root.
    if (current.endsWith(`${sep}${local}`)) candidates.push(current.slice(0, current.length - local.length - 1) || sep);
    for (const root of candidates) {
      if (isFile(join(root, local))) {
        this.root = root;
        return join(root, local);
      }
    }
    // The file is where the kernel thinks it is: nothing moved, though the root is still unknown.
    return candidates.some((root) => join(root, local) === current) ? current : null;
  }

  private once(line: string): string | null {
    if (this.said.has(line)) return null;
    this.said.add(line);
    this.log(line);
    return line;
  }
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
