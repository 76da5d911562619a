/**
 * The policy service: for each open notebook, whether labtrail applies (its kernel is one of the
 * configured kernels, or the setting extends it to every notebook) and with which header mode and
 * required keys. The labtrail kernel reports its own mode and keys in its kernel_info reply, so the
 * frontend and the kernel follow the same labtrail.config.json unless the settings say otherwise.
 * A restarted kernel may have read an edited config: every kernel_info reply (JupyterLab asks again
 * on each reconnect and restart; this service asks when a restart ends without one) replaces what the
 * kernel reported, so the policy follows the kernel without a page reload.
 */
import type { ISharedNotebook } from "@jupyter/ydoc";
import type { NotebookPanel } from "@jupyterlab/notebook";
import type { Kernel } from "@jupyterlab/services";
import { type ISignal, Signal } from "@lumino/signaling";
import { DEFAULT_REQUIRED_KEYS, LABTRAIL_KERNEL_INFO_KEY, labtrailKernelInfoSchema } from "labtrail/core";
import type { HeaderKey, HeaderMode } from "labtrail/core";
import type { LabtrailSettings } from "./settings";
import type { ILabtrailPolicies, INotebookPolicy } from "./tokens";

/** How long a run waits for the kernel to say which header mode it enforces. */
const KERNEL_INFO_WAIT_MS = 5000;

export interface KernelHeaderConfig {
  mode: HeaderMode;
  required: HeaderKey[];
}

/** The header config a kernel reports, or null for kernels that report none (any other kernel). */
export function kernelHeaderConfig(info: unknown): KernelHeaderConfig | null {
  if (typeof info !== "object" || info === null) return null;
  const parsed = labtrailKernelInfoSchema.safeParse((info as Record<string, unknown>)[LABTRAIL_KERNEL_INFO_KEY]);
  return parsed.success ? { mode: parsed.data.header.mode, required: [...parsed.data.header.required] } : null;
}

/** The policy from the settings, the notebook's kernel name and what its kernel reported. */
export function resolvePolicy(settings: LabtrailSettings, kernelName: string | null, reported: KernelHeaderConfig | null): INotebookPolicy {
  const applies = settings.allNotebooks || (kernelName !== null && settings.kernels.includes(kernelName));
  const fromKernel = settings.enforcement === "kernel" && reported !== null;
  const mode: HeaderMode = settings.enforcement === "kernel" ? (reported?.mode ?? "warn") : settings.enforcement;
  const required = settings.requiredFields.length > 0 ? settings.requiredFields : (reported?.required ?? DEFAULT_REQUIRED_KEYS);
  return { applies, mode, required, modeSource: fromKernel ? "kernel" : "settings" };
}

interface TrackedNotebook {
  panel: NotebookPanel;
  reported: KernelHeaderConfig | null;
  /** Settles once the current kernel's info has been read. */
  pending: Promise<void>;
  /** Settles `pending` when a kernel_info reply arrives after a restart or reconnect; null when none is awaited. */
  awaiting: (() => void) | null;
}

/** Kernel states after which its kernel_info may have changed (a new process, or a new connection). */
const RESTARTING: ReadonlySet<Kernel.Status> = new Set(["restarting", "autorestarting", "starting"]);

export class LabtrailPolicies implements ILabtrailPolicies {
  private _settings: LabtrailSettings;
  private readonly _changed: Signal<ILabtrailPolicies, ISharedNotebook | null> = new Signal(this);
  private readonly _tracked = new Map<ISharedNotebook, TrackedNotebook>();

  constructor(settings: LabtrailSettings) {
    this._settings = settings;
  }

  get settings(): LabtrailSettings {
    return this._settings;
  }

  get changed(): ISignal<ILabtrailPolicies, ISharedNotebook | null> {
    return this._changed;
  }

  updateSettings(settings: LabtrailSettings): void {
    this._settings = settings;
    this._emit(null);
  }

  forNotebook(notebook: ISharedNotebook | null): INotebookPolicy {
    const tracked = notebook ? this._tracked.get(notebook) : undefined;
    if (!tracked) return resolvePolicy({ ...this._settings, allNotebooks: false, kernels: [] }, null, null);
    return resolvePolicy(this._settings, kernelNameOf(tracked.panel), tracked.reported);
  }

  forPanel(panel: NotebookPanel): INotebookPolicy {
    return this.forNotebook(panel.content.model?.sharedModel ?? null);
  }

  /**
   * The policy once the notebook's kernel has said what it enforces: at most a kernel_info away, and
   * never longer than KERNEL_INFO_WAIT_MS (a kernel that does not answer must not hold up a run).
   */
  async settled(notebook: ISharedNotebook): Promise<INotebookPolicy> {
    const tracked = this._tracked.get(notebook);
    const now = this.forNotebook(notebook);
    // Only a policy that follows the kernel can still change.
    if (!tracked || !now.applies || this._settings.enforcement !== "kernel") return now;
    let timer = 0;
    const timeout = new Promise<void>((resolve) => (timer = window.setTimeout(resolve, KERNEL_INFO_WAIT_MS)));
    await Promise.race([tracked.pending, timeout]);
    window.clearTimeout(timer);
    return this.forNotebook(notebook);
  }

  /** Follows a notebook panel: its kernel (name and reported config) until the panel closes. */
  track(panel: NotebookPanel): void {
    void panel.context.ready.then(() => {
      const model = panel.content.model;
      if (!model || panel.isDisposed) return;
      const notebook = model.sharedModel;
      const tracked: TrackedNotebook = { panel, reported: null, pending: Promise.resolve(), awaiting: null };
      this._tracked.set(notebook, tracked);
      let unfollow = () => {};
      let followed: Kernel.IKernelConnection | null = null;
      const refresh = () => {
        const kernel = panel.sessionContext.session?.kernel ?? null;
        // A restart says "kernel changed" with the same connection, whose `info` is still the first
        // kernel's: the connection is followed already, and its replies since are what count.
        if (kernel !== null && kernel === followed) return this._emit(notebook);
        followed = kernel;
        unfollow();
        unfollow = kernel ? this._followKernel(tracked, kernel) : () => {};
        tracked.pending = this._readKernel(tracked, kernel);
        this._emit(notebook);
      };
      panel.sessionContext.kernelChanged.connect(refresh);
      // The kernel name is in the notebook's metadata before any kernel starts.
      model.metadataChanged.connect(() => this._emit(notebook));
      panel.disposed.connect(() => {
        panel.sessionContext.kernelChanged.disconnect(refresh);
        unfollow();
        followed = null;
        this._tracked.delete(notebook);
      });
      refresh();
    });
  }

  private _emit(notebook: ISharedNotebook | null): void {
    this._changed.emit(notebook);
  }

  /**
   * Follows one kernel connection: a restart or reconnect makes runs wait for the next kernel_info
   * reply, and every reply replaces what the kernel reported. Returns the function that stops it.
   */
  private _followKernel(tracked: TrackedNotebook, kernel: Kernel.IKernelConnection): () => void {
    let asked = false;
    const expect = () => {
      if (tracked.awaiting) return;
      asked = false;
      tracked.pending = new Promise<void>((resolve) => {
        tracked.awaiting = resolve;
      });
    };
    const settle = () => {
      tracked.awaiting?.();
      tracked.awaiting = null;
    };
    const onStatus = (_: Kernel.IKernelConnection, status: Kernel.Status) => {
      if (RESTARTING.has(status)) expect();
      // A restart that ended without a kernel_info reply reaching us: ask for one (the reply comes below).
      else if (status === "idle" && tracked.awaiting && !asked) {
        asked = true;
        void kernel.requestKernelInfo().catch(settle);
      } else if (status === "dead") settle();
    };
    const onConnection = (_: Kernel.IKernelConnection, status: Kernel.ConnectionStatus) => {
      if (status === "connecting") expect();
    };
    const onMessage = (_: Kernel.IKernelConnection, { msg, direction }: Kernel.IAnyMessageArgs) => {
      if (direction !== "recv" || msg.header.msg_type !== "kernel_info_reply") return;
      if (tracked.panel.sessionContext.session?.kernel !== kernel) return;
      tracked.reported = kernelHeaderConfig(msg.content);
      settle();
      const notebook = tracked.panel.content.model?.sharedModel;
      if (notebook) this._emit(notebook);
    };
    kernel.statusChanged.connect(onStatus);
    kernel.connectionStatusChanged.connect(onConnection);
    kernel.anyMessage.connect(onMessage);
    return () => {
      kernel.statusChanged.disconnect(onStatus);
      kernel.connectionStatusChanged.disconnect(onConnection);
      kernel.anyMessage.disconnect(onMessage);
      settle();
    };
  }

  private async _readKernel(tracked: TrackedNotebook, kernel: Kernel.IKernelConnection | null): Promise<void> {
    tracked.reported = null;
    if (!kernel) return;
    try {
      const info = await kernel.info;
      // A newer kernel may have replaced this one while we waited.
      if (tracked.panel.sessionContext.session?.kernel !== kernel) return;
      tracked.reported = kernelHeaderConfig(info);
    } catch {
      tracked.reported = null; // the kernel died before answering: fall back to the settings
    }
    const notebook = tracked.panel.content.model?.sharedModel;
    if (notebook) this._emit(notebook);
  }
}

function kernelNameOf(panel: NotebookPanel): string | null {
  const running = panel.sessionContext.session?.kernel?.name;
  if (running) return running;
  const spec = panel.content.model?.getMetadata("kernelspec") as { name?: unknown } | undefined;
  return typeof spec?.name === "string" ? spec.name : null;
}
