import type { DisplayData } from "../../api/display";

export type StreamName = "stdout" | "stderr";

/** Where one execution's outputs go. The protocol layer implements it; the runner only writes to it. */
export interface OutputPublisher {
  stream(name: StreamName, text: string): void;
  display(data: DisplayData, update: boolean): void;
}

const FLUSH_DELAY_MS = 50;
const FLUSH_BYTES = 64 * 1024;

/**
 * One execution's output channel. Stream writes are coalesced (a chatty cell sends a few large
 * `stream` messages, not one per line) but never reordered against rich displays.
 */
export class OutputSink {
  private pending: { name: StreamName; chunks: string[]; size: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Set once the execution has replied: later output (timers, callbacks) still goes to its cell. */
  finished = false;

  constructor(private readonly publisher: OutputPublisher) {}

  write(name: StreamName, text: string): void {
    if (text.length === 0) return;
    if (this.pending && this.pending.name !== name) this.flush();
    if (!this.pending) this.pending = { name, chunks: [], size: 0 };
    this.pending.chunks.push(text);
    this.pending.size += text.length;
    if (this.pending.size >= FLUSH_BYTES) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  display(data: DisplayData, update: boolean): void {
    this.flush();
    this.publisher.display(data, update);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const pending = this.pending;
    this.pending = null;
    if (pending) this.publisher.stream(pending.name, pending.chunks.join(""));
  }
}
