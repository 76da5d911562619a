/** What every labtrail command needs to find its notebook and cell, and to word its messages. */
import type { JupyterFrontEnd } from "@jupyterlab/application";
import type { INotebookTracker } from "@jupyterlab/notebook";
import type { TranslationBundle } from "@jupyterlab/translation";
import type { ILabtrailPolicies, ILabtrailRuns } from "../tokens";

export interface CommandContext {
  readonly app: JupyterFrontEnd;
  readonly tracker: INotebookTracker;
  readonly policies: ILabtrailPolicies;
  readonly runs: ILabtrailRuns;
  readonly trans: TranslationBundle;
}
