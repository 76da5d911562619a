/**
 * Ids and tokens shared by the extension's plugins: plugin ids, command ids, the settings plugin
 * and the service through which every feature asks "does labtrail apply to this notebook, and how?".
 */
import { Token } from "@lumino/coreutils";
import type { ISignal } from "@lumino/signaling";
import type { NotebookPanel } from "@jupyterlab/notebook";
import type { ISharedNotebook } from "@jupyter/ydoc";
import type { HeaderKey, HeaderMode, RunRecord } from "labtrail/core";
import type { LabtrailSettings } from "./settings";

export const EXTENSION_ID = "labtrail-jupyterlab";

/** The gettext domain of the extension's strings: `translator.load(TRANSLATION_DOMAIN)`. */
export const TRANSLATION_DOMAIN = "labtrail";

/** The plugin that owns the settings (schema/settings.json), menus, shortcuts and toolbar items. */
export const SETTINGS_PLUGIN_ID = `${EXTENSION_ID}:settings`;

export namespace CommandIDs {
  export const insertHeader = "labtrail:insert-header";
  export const nextUndocumented = "labtrail:next-undocumented";
  export const exportDesignDoc = "labtrail:export-design-doc";
  export const confirmFound = "labtrail:confirm-found";
  export const openExperimentLog = "labtrail:open-experiment-log";
  export const pruneRecordings = "labtrail:prune-recordings";
}

/** What labtrail does in one notebook: whether it applies, with which mode and required keys. */
export interface INotebookPolicy {
  readonly applies: boolean;
  readonly mode: HeaderMode;
  readonly required: readonly HeaderKey[];
  /** Where the mode comes from, for messages: "kernel" (labtrail.config.json) or "settings". */
  readonly modeSource: "kernel" | "settings";
}

/** The policy of every open notebook, kept up to date with the settings and each notebook's kernel. */
export interface ILabtrailPolicies {
  readonly settings: LabtrailSettings;
  /** Fires with the notebook whose policy changed, or null when the settings changed. */
  readonly changed: ISignal<ILabtrailPolicies, ISharedNotebook | null>;
  /** The policy of the notebook a cell belongs to; labtrail does not apply to unknown notebooks. */
  forNotebook(notebook: ISharedNotebook | null): INotebookPolicy;
  forPanel(panel: NotebookPanel): INotebookPolicy;
  /** The policy once the notebook's kernel has said what it enforces (at most a kernel_info away). */
  settled(notebook: ISharedNotebook): Promise<INotebookPolicy>;
  /** Follows a notebook panel's kernel until the panel closes. */
  track(panel: NotebookPanel): void;
}

export const ILabtrailPolicies = new Token<ILabtrailPolicies>(
  `${EXTENSION_ID}:ILabtrailPolicies`,
  "Whether and how labtrail applies to each open notebook.",
);

/** The run records (`<notebook>.labtrail/runs.jsonl`) of every open notebook, read through the contents API. */
export interface ILabtrailRuns {
  /** Fires with the notebook whose records were read anew. */
  readonly changed: ISignal<ILabtrailRuns, ISharedNotebook>;
  /** The notebook's records, oldest first, as last read; none before the first read or without a runs.jsonl. */
  records(notebook: ISharedNotebook | null): readonly RunRecord[];
  /** Reads the panel's records now and after each of its executions, until the panel closes. */
  track(panel: NotebookPanel): void;
  /** Reads a tracked panel's records again now, when runs.jsonl changed since the last read. */
  refresh(panel: NotebookPanel): Promise<void>;
}

export const ILabtrailRuns = new Token<ILabtrailRuns>(
  `${EXTENSION_ID}:ILabtrailRuns`,
  "The run records of each open notebook, re-read when runs.jsonl changes.",
);
