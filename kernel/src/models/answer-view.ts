// How a %%ask answer appears in the cell: one display that fills in as the stream arrives (throttled,
// so a fast stream does not flood the frontend), then the answer as Markdown and a usage line.
import { randomUUID } from "node:crypto";
import type { Display } from "../api/display";

const UPDATE_EVERY_MS = 100;

export class AnswerView {
  private readonly displayId = randomUUID();
  private lastUpdate = 0;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The last answer text shown (null while only the placeholder is up). */
  private lastShown: string | null = null;

  constructor(
    private readonly display: Display,
    waitingFor: string,
  ) {
    this.show(`*waiting for ${escapeMarkdown(waitingFor)}…*`, false);
  }

  /** The answer so far. */
  update(snapshot: string): void {
    this.pending = snapshot;
    const wait = UPDATE_EVERY_MS - (Date.now() - this.lastUpdate);
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** The final rendering (the whole answer), then the usage line under it. */
  finish(markdown: string, usageLine: string): void {
    this.cancel();
    this.show(markdown, true);
    this.display({ data: { "text/plain": usageLine }, metadata: { labtrail: { usage: true } } }, false);
  }

  /** Leaves whatever arrived in place (the call failed; the error follows). */
  abandon(): void {
    if (this.pending !== null) this.flush();
    else if (this.lastShown === null) this.show("*no answer: see the error below*", true);
    this.cancel();
  }

  private flush(): void {
    this.cancel();
    if (this.pending === null) return;
    this.show(this.pending, true);
    this.pending = null;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private show(markdown: string, update: boolean): void {
    this.lastUpdate = Date.now();
    if (update) this.lastShown = markdown;
    this.display(
      { data: { "text/markdown": markdown, "text/plain": markdown }, metadata: {}, transient: { display_id: this.displayId } },
      update,
    );
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/** A structured result, shown as a JSON block. */
export function jsonMarkdown(value: unknown): string {
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}
