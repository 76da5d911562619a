// What a rich output is as tslab's display API and Jupyter's display_data carry it, and the hook
// that shows one. Types only: the helpers, the recorder and the kernel all speak it.

export interface DisplayData {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** Shows a rich output; `update` replaces the output with the same display id. */
export type Display = (data: DisplayData, update: boolean) => void;
