// A jest-side handle on a real kernel, driven over the real Jupyter protocol by jupyter_client
// (test/support/kernel_driver.py) in the project's venv.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { kernelMain, requireSetup, venvPython } from "./paths";

export interface Message {
  msg_type: string;
  header: Record<string, any>;
  parent_header: Record<string, any>;
  metadata: Record<string, any>;
  content: Record<string, any>;
}

/** One line of kernel_driver.py's answer: a command's result, or why it failed. */
const driverAnswerSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export interface Exchange {
  reply: Message;
  iopub: Message[];
}

export interface StartOptions {
  /** The kernel's working directory (the notebook's folder); a fresh temp dir by default. */
  cwd?: string;
  env?: Record<string, string>;
}

/** A kernelspec for the kernel built in this checkout, in a private JUPYTER_PATH. */
export function writeKernelspec(): string {
  const root = mkdtempSync(join(tmpdir(), "labtrail-kernelspec-"));
  const dir = join(root, "kernels", "labtrail-test");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "kernel.json"),
    JSON.stringify({
      argv: [process.execPath, kernelMain, "{connection_file}"],
      display_name: "TypeScript (labtrail test)",
      language: "typescript",
      interrupt_mode: "signal",
    }),
  );
  return root;
}

/** An execute_request's flags and metadata; unset flags take JupyterLab's values. */
export type ExecuteFlags = Partial<{
  silent: boolean;
  store_history: boolean;
  stop_on_error: boolean;
  user_expressions: Record<string, string>;
  metadata: Record<string, unknown>;
}>;

function executeContent(code: string, flags: Omit<ExecuteFlags, "metadata">): Record<string, unknown> {
  return { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...flags };
}

export class KernelClient {
  private readonly answers: ((line: string) => void)[] = [];
  private stderr = "";

  private constructor(private readonly driver: ChildProcessWithoutNullStreams) {
    let buffered = "";
    driver.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        this.answers.shift()?.(line);
      }
    });
    driver.stderr.on("data", (d) => (this.stderr += d));
  }

  static async start(options: StartOptions = {}): Promise<KernelClient> {
    requireSetup();
    const jupyterPath = writeKernelspec();
    const driver = spawn(venvPython, [join(__dirname, "kernel_driver.py")], {
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PYTHONUNBUFFERED: "1" },
    });
    const client = new KernelClient(driver);
    const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), "labtrail-nb-"));
    // Protocol tests run header-less cells: enforcement is off unless a test asks for a mode.
    const env = { ...(process.env as Record<string, string>), LABTRAIL_HEADER_MODE: "off", ...options.env };
    await client.call("start", { kernel_name: "labtrail-test", cwd, env });
    return client;
  }

  /** Kills the driver (the kernel's launcher, as a Jupyter server is) without stopping the kernel. */
  killLauncher(): void {
    this.driver.kill("SIGKILL");
  }

  /** What the driver and the kernel wrote to stderr: the kernel's log. */
  get log(): string {
    return this.stderr;
  }

  /** One driver command; rejects with the driver's error text. `T`: the result the driver sends for `op`. */
  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      this.answers.push((line) => {
        const answer = driverAnswerSchema.parse(JSON.parse(line));
        if (answer.ok) resolve(answer.result as T);
        else reject(new Error(`${op}: ${answer.error}${this.stderr ? `\n${this.stderr}` : ""}`));
      });
      this.driver.stdin.write(`${JSON.stringify({ op, ...args })}\n`);
    });
  }

  send(
    msgType: string,
    content: Record<string, unknown>,
    options: { channel?: "shell" | "control"; metadata?: Record<string, unknown> } = {},
  ): Promise<string> {
    return this.call("send", { channel: options.channel ?? "shell", msg_type: msgType, content, metadata: options.metadata ?? null });
  }

  collect(msgIds: string[], timeout = 30): Promise<Exchange[]> {
    return this.call("collect", { msg_ids: msgIds, timeout });
  }

  async request(
    msgType: string,
    content: Record<string, unknown>,
    options: { channel?: "shell" | "control"; metadata?: Record<string, unknown>; timeout?: number } = {},
  ): Promise<Exchange> {
    const id = await this.send(msgType, content, options);
    const [exchange] = await this.collect([id], options.timeout);
    return exchange;
  }

  sendExecute(code: string, options: ExecuteFlags = {}): Promise<string> {
    const { metadata, ...flags } = options;
    return this.send("execute_request", executeContent(code, flags), { metadata });
  }

  /**
   * Sends execute_requests as JupyterLab's Run All does: written to the shell socket back to back,
   * before any reply is read. Resolves to their msg_ids, in order.
   */
  sendExecuteBurst(cells: { code: string; options?: ExecuteFlags }[]): Promise<string[]> {
    const messages = cells.map(({ code, options = {} }) => {
      const { metadata, ...flags } = options;
      return { channel: "shell", msg_type: "execute_request", content: executeContent(code, flags), metadata: metadata ?? null };
    });
    return this.call("send_many", { messages });
  }

  async execute(code: string, options: Parameters<KernelClient["sendExecute"]>[1] & { timeout?: number } = {}): Promise<Exchange> {
    const { timeout, ...rest } = options;
    const [exchange] = await this.collect([await this.sendExecute(code, rest)], timeout);
    return exchange;
  }

  /** Runs a cell that must succeed; a failure throws with the cell and its reply, so the test says why. */
  async executeOk(code: string, options: Parameters<KernelClient["execute"]>[1] = {}): Promise<Exchange> {
    const exchange = await this.execute(code, options);
    if (exchange.reply.content.status !== "ok") throw new Error(`${code}\n→ ${JSON.stringify(exchange.reply.content)}`);
    return exchange;
  }

  interruptBySignal(): Promise<void> {
    return this.call("interrupt_signal");
  }

  /** iopub messages arriving within `seconds`, by parent msg_id. */
  drain(seconds: number): Promise<Record<string, Message[]>> {
    return this.call("drain", { seconds });
  }

  async waitForExit(timeout = 10): Promise<boolean> {
    const { alive } = await this.call<{ alive: boolean }>("wait_exit", { timeout });
    return !alive;
  }

  /** Waits for the kernel to exit; its exit code, or minus the signal that ended it (null: still running). */
  async exitCode(timeout = 10): Promise<number | null> {
    const { alive, returncode } = await this.call<{ alive: boolean; returncode: number | null }>("wait_exit", { timeout });
    return alive ? null : returncode;
  }

  private stopped = false;

  /** Shuts the kernel down and ends the driver; calling it again does nothing. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.driver.exitCode === null) {
      await this.call("stop").catch(() => undefined);
      this.driver.kill();
    }
  }
}

/** The text a cell printed on one stream. */
export function streamText(exchange: Exchange, name: "stdout" | "stderr" = "stdout"): string {
  return exchange.iopub
    .filter((m) => m.msg_type === "stream" && m.content.name === name)
    .map((m) => m.content.text)
    .join("");
}

export function messagesOfType(exchange: Exchange, type: string): Message[] {
  return exchange.iopub.filter((m) => m.msg_type === type);
}

/** The cell's displays and their updates, in order. */
export function displaysOf(exchange: Exchange): Message[] {
  return exchange.iopub.filter((m) => m.msg_type === "display_data" || m.msg_type === "update_display_data");
}
