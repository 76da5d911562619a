// How a %%ask answer appears in the cell: one display that fills in as the stream arrives (throttled,
// so a fast stream does not flood the frontend), then the answer as Markdown and a usage line. A
// reasoning model's thinking sits above the answer in a collapsed <details>, open only while it is
// all that has arrived.
import { randomUUID } from "node:crypto";
import type { Display } from "../api/display";

const UPDATE_EVERY_MS = 100;

export class AnswerView {
  private readonly displayId = randomUUID();
  private lastUpdate = 0;
  private pending: { answer: string; reasoning: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Whether anything but the placeholder has been shown. */
  private shownAnswer = false;

  constructor(
    private readonly display: Display,
    waitingFor: string,
  ) {
    const waiting = `*waiting for ${escapeMarkdown(waitingFor)}…*`;
    this.show(waiting, waiting, false);
  }

  /** The answer so far, and the reasoning so far. */
  update(snapshot: string, reasoning = ""): void {
    // Composed when shown, not per chunk: a long stream would copy its whole text for every piece.
    this.pending = { answer: snapshot, reasoning };
    const wait = UPDATE_EVERY_MS - (Date.now() - this.lastUpdate);
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** The final rendering (the whole answer, below its reasoning if any), then the usage line under it. */
  finish(markdown: string, usageLine: string, reasoning = ""): void {
    this.cancel();
    this.show(withReasoning(markdown, reasoning, false), markdown, true);
    this.display({ data: { "text/plain": usageLine }, metadata: { labtrail: { usage: true } } }, false);
  }

  /** Leaves whatever arrived in place (the call failed; the error follows). */
  abandon(): void {
    if (this.pending !== null) this.flush();
    else if (!this.shownAnswer) this.show("*no answer: see the error below*", "no answer: see the error below", true);
    this.cancel();
  }

  private flush(): void {
    this.cancel();
    if (this.pending === null) return;
    const { answer, reasoning } = this.pending;
    this.show(withReasoning(answer, reasoning, true), answer === "" && reasoning !== "" ? "reasoning…" : answer, true);
    this.pending = null;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** `plain` is the answer without its reasoning: what a text-only reader of the output gets. */
  private show(markdown: string, plain: string, update: boolean): void {
    this.lastUpdate = Date.now();
    if (update) this.shownAnswer = true;
    this.display(
      { data: { "text/markdown": markdown, "text/plain": plain }, metadata: {}, transient: { display_id: this.displayId } },
      update,
    );
  }
}

/** The answer's Markdown below its reasoning; the reasoning is open while nothing of the answer has come. */
export function withReasoning(answer: string, reasoning: string, streaming: boolean): string {
  if (reasoning.trim() === "") return answer;
  const open = streaming && answer === "" ? " open" : "";
  // The reasoning is the model's text: it must not close the block it is shown in.
  const body = reasoning.trim().replace(/<\/(details|summary)/gi, "&lt;/$1");
  const block = `<details${open}><summary>reasoning</summary>\n\n${body}\n\n</details>`;
  return answer === "" ? block : `${block}\n\n${answer}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/** A structured result, shown as a JSON block. */
export function jsonMarkdown(value: unknown): string {
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}
