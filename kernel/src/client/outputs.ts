/**
 * A cell's iopub messages to the outputs nbformat 4 stores, as nbclient builds them: consecutive
 * writes to one stream merge into one output, `clear_output` (also with `wait`) is honoured, and
 * `update_display_data` rewrites, in place, every output shown earlier under the same display id,
 * in this cell or an earlier one of the same run.
 */

import type { JupyterMessage } from "../wire/wire";

export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: string;
  text: string;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type NbOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** The outputs shown under each display id during one kernel's life, so updates can find them. */
export class DisplayRegistry {
  private readonly byId = new Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>();

  register(displayId: string, output: DisplayDataOutput | ExecuteResultOutput): void {
    const shown = this.byId.get(displayId);
    if (shown) shown.push(output);
    else this.byId.set(displayId, [output]);
  }

  update(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void {
    for (const output of this.byId.get(displayId) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }
}

export class OutputCollector {
  readonly outputs: NbOutput[] = [];
  private clearOnNextOutput = false;

  constructor(private readonly displays: DisplayRegistry = new DisplayRegistry()) {}

  /** Takes one iopub message of this cell; messages that are not outputs are ignored. */
  add(msg: JupyterMessage): void {
    const content = msg.content;
    switch (msg.header.msg_type) {
      case "stream": {
        const name = String(content.name ?? "stdout");
        const text = String(content.text ?? "");
        this.clearIfWaiting();
        const last = this.outputs[this.outputs.length - 1];
        if (last && last.output_type === "stream" && last.name === name) last.text += text;
        else this.outputs.push({ output_type: "stream", name, text });
        return;
      }
      case "display_data": {
        this.clearIfWaiting();
        const output: DisplayDataOutput = { output_type: "display_data", data: bundle(content.data), metadata: object(content.metadata) };
        this.outputs.push(output);
        this.registerDisplay(content, output);
        return;
      }
      case "execute_result": {
        this.clearIfWaiting();
        const count = typeof content.execution_count === "number" ? content.execution_count : null;
        const output: ExecuteResultOutput = {
          output_type: "execute_result",
          execution_count: count,
          data: bundle(content.data),
          metadata: object(content.metadata),
        };
        this.outputs.push(output);
        this.registerDisplay(content, output);
        return;
      }
      case "update_display_data": {
        const id = displayIdOf(content);
        if (id !== undefined) this.displays.update(id, bundle(content.data), object(content.metadata));
        return;
      }
      case "error": {
        this.clearIfWaiting();
        this.outputs.push({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return;
      }
      case "clear_output":
        if (content.wait) this.clearOnNextOutput = true;
        else this.outputs.length = 0;
        return;
    }
  }

  private clearIfWaiting(): void {
    if (!this.clearOnNextOutput) return;
    this.clearOnNextOutput = false;
    this.outputs.length = 0;
  }

  private registerDisplay(content: Record<string, unknown>, output: DisplayDataOutput | ExecuteResultOutput): void {
    const id = displayIdOf(content);
    if (id !== undefined) this.displays.register(id, output);
  }
}

function displayIdOf(content: Record<string, unknown>): string | undefined {
  const transient = content.transient;
  if (typeof transient !== "object" || transient === null) return undefined;
  const id = (transient as Record<string, unknown>).display_id;
  return typeof id === "string" ? id : undefined;
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

function bundle(value: unknown): MimeBundle {
  return object(value);
}
