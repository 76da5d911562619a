// The labtrail kernel over the real Jupyter protocol (jupyter_client in the project venv): replies,
// broadcasts and their fields, for every request a frontend sends.
import { join } from "node:path";
import { labtrailReplyMetadata } from "../../kernel/src/core";
import { repoRoot } from "../fixtures";
import { KernelClient, messagesOfType, streamText } from "../support/kernel-client";

let kernel: KernelClient;

beforeAll(async () => {
  kernel = await KernelClient.start({ env: { JPY_SESSION_NAME: "experiments/labels.ipynb" } });
});
afterAll(async () => {
  await kernel?.stop();
});

describe("kernel_info", () => {
  test("reports status, the real TypeScript version and a complete language_info", async () => {
    const { reply, iopub } = await kernel.request("kernel_info_request", {});
    expect(reply.msg_type).toBe("kernel_info_reply");
    const info = reply.content;
    expect(info.status).toBe("ok");
    expect(info.protocol_version).toBe("5.3");
    expect(info.implementation).toBe("labtrail");
    // The TypeScript labtrail's cell compiler is built on (the kernel's `typescript6` alias), not tslab's fork.
    const typescriptVersion = require(require.resolve("typescript6/package.json", { paths: [join(repoRoot, "kernel")] })).version;
    expect(typescriptVersion).toMatch(/^6\.0\./);
    expect(info.language_info).toEqual({
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
    });
    expect(info.banner).toContain(`TypeScript ${typescriptVersion}`);
    expect(info.help_links.length).toBeGreaterThan(0);
    expect(iopub.map((m) => m.content.execution_state)).toEqual(["busy", "idle"]);
  });

  test("answers on the control channel too", async () => {
    const { reply } = await kernel.request("kernel_info_request", {}, { channel: "control" });
    expect(reply.content.status).toBe("ok");
  });
});

describe("iopub subscribers", () => {
  type Heard = { msg_type: string; execution_state: string | null; parent_msg_type: string | null };
  // What publishes before a subscription arrives is lost to it (ZeroMQ's slow joiner). After a restart
  // the server's socket reconnects while the new kernel answers JupyterLab's first requests; without a
  // state of its own, the notebook showed "restarting" until the next cell ran.
  test("a subscriber that joins late is told the kernel's state at once: idle, and busy during a cell", async () => {
    await kernel.executeOk("1");
    const idle = await kernel.call<Heard[]>("late_subscriber", { seconds: 2 });
    expect(idle).toEqual([{ msg_type: "status", execution_state: "idle", parent_msg_type: null }]);

    const running = await kernel.send("execute_request", {
      code: "await new Promise((resolve) => setTimeout(resolve, 3000));",
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    await kernel.call("pump", { timeout: 0.5 });
    const busy = await kernel.call<Heard[]>("late_subscriber", { seconds: 1 });
    expect(busy[0]).toEqual({ msg_type: "status", execution_state: "busy", parent_msg_type: null });
    const [exchange] = await kernel.collect([running]);
    expect(exchange.reply.content.status).toBe("ok");
  });
});

describe("execute", () => {
  test("broadcasts execute_input, streams, the last value as execute_result, and replies with the cell and notebook", async () => {
    const exchange = await kernel.execute(
      '// Tested: output order\nconsole.log("hello"); console.error("careful");\nconst answer: number = 41;\nanswer + 1',
      {
        metadata: { cellId: "cell-abc" },
      },
    );
    const types = exchange.iopub.map((m) => m.msg_type);
    expect(types[0]).toBe("status");
    expect(types[1]).toBe("execute_input");
    expect(types.at(-1)).toBe("status");
    expect(types.indexOf("execute_result")).toBeGreaterThan(types.indexOf("stream"));
    const input = messagesOfType(exchange, "execute_input")[0].content;
    expect(input.code).toContain("answer + 1");
    const [result] = messagesOfType(exchange, "execute_result");
    expect(result.content.data).toEqual({ "text/plain": "42" });
    expect(result.content.execution_count).toBe(input.execution_count);
    expect(streamText(exchange, "stdout")).toBe("hello\n");
    expect(streamText(exchange, "stderr")).toBe("careful\n");
    expect(exchange.reply.content).toMatchObject({ status: "ok", execution_count: input.execution_count });
    // Jupyter names the session after the notebook, so the run is recorded beside it and judged.
    expect(exchange.reply.metadata.labtrail).toEqual({
      cellId: "cell-abc",
      notebook: "experiments/labels.ipynb",
      verdict: { kind: "new", summary: "new: the first recorded run of this cell", changes: [] },
    });
    // What the extension and the CLI read it with: the core's schema.
    expect(labtrailReplyMetadata(exchange.reply.metadata)).toEqual(exchange.reply.metadata.labtrail);
  });

  test("shows values as plain text without terminal colour codes", async () => {
    const exchange = await kernel.execute('({ name: "x", list: [1, 2, 3], nested: { deep: true } })');
    const text = messagesOfType(exchange, "execute_result")[0].content.data["text/plain"];
    expect(text).toBe("{ name: 'x', list: [ 1, 2, 3 ], nested: { deep: true } }");
    expect(text).not.toMatch(/\u001b\[/);
  });

  test("a value that renders itself through Symbol.for('Jupyter.display') gives its MIME bundle", async () => {
    const exchange = await kernel.execute(
      'const chart = { [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>42</b>", "text/markdown": "**42**" }; } };\nchart',
    );
    const data = messagesOfType(exchange, "execute_result")[0].content.data;
    expect(data["text/html"]).toBe("<b>42</b>");
    expect(data["text/markdown"]).toBe("**42**");
    expect(typeof data["text/plain"]).toBe("string");
  });

  test("tslab's display API sends display_data to the cell", async () => {
    const exchange = await kernel.execute('import * as tslab from "tslab";\ntslab.display.html("<i>hi</i>")');
    expect(messagesOfType(exchange, "display_data")[0].content.data).toEqual({ "text/html": "<i>hi</i>" });
  });

  test("cells have Node's types although the notebook folder has no node_modules", async () => {
    const exchange = await kernel.execute('const b: Buffer = Buffer.from("ab");\nconsole.log(process.version, b.length)');
    expect(exchange.reply.content.status).toBe("ok");
    expect(streamText(exchange)).toBe(`${process.version} 2\n`);
  });

  test("silent runs publish nothing and do not count; store_history: false does not count", async () => {
    const before = await kernel.execute("1");
    const count = before.reply.content.execution_count;
    const silent = await kernel.execute('console.log("quiet"); 5', { silent: true });
    expect(silent.iopub.map((m) => m.msg_type)).toEqual(["status", "status"]);
    expect(silent.reply.content.execution_count).toBe(count);
    const unstored = await kernel.execute("6", { store_history: false });
    expect(unstored.reply.content.execution_count).toBe(count);
    const next = await kernel.execute("7");
    expect(next.reply.content.execution_count).toBe(count + 1);
  });

  test("user_expressions are evaluated after the cell", async () => {
    const exchange = await kernel.execute("const base = 20;", { user_expressions: { double: "base * 2", broken: "nope.x" } });
    const expressions = exchange.reply.content.user_expressions;
    expect(expressions.double).toEqual({ status: "ok", data: { "text/plain": "40" }, metadata: {} });
    expect(expressions.broken.status).toBe("error");
    expect(expressions.broken.evalue).toContain("nope");
  });
});

describe("errors", () => {
  test("a type error names the cell line:column and the TS code, as an error message and in the reply", async () => {
    const exchange = await kernel.execute("// Tested: types\nconst label: string = 42;");
    const [error] = messagesOfType(exchange, "error");
    expect(error.content.ename).toBe("TypeScriptError");
    expect(error.content.evalue).toBe("2:7 - TS2322: Type 'number' is not assignable to type 'string'.");
    expect(error.content.traceback[0]).toMatch(/^In\[\d+\]:2:7 - error TS2322/);
    expect(exchange.reply.content).toMatchObject({
      status: "error",
      ename: error.content.ename,
      evalue: error.content.evalue,
      traceback: error.content.traceback,
    });
  });

  test("a thrown error's stack points at the cell's own lines, across cells, without kernel internals", async () => {
    const define = await kernel.execute(
      [
        "// Tested: stack traces",
        "interface Sample { text: string }",
        "",
        "function check(sample: Sample): number {",
        "  // blank lines and types vanish from the emitted JavaScript",
        "",
        "  if (sample.text.length > 3) throw new RangeError(`too long: ${sample.text}`);",
        "  return sample.text.length;",
        "}",
      ].join("\n"),
    );
    const defineCount = define.reply.content.execution_count;
    const exchange = await kernel.execute('const n = 1;\n\ncheck({ text: "abcdef" })');
    const callCount = exchange.reply.content.execution_count;
    const [error] = messagesOfType(exchange, "error");
    expect(error.content.ename).toBe("RangeError");
    expect(error.content.evalue).toBe("too long: abcdef");
    expect(error.content.traceback).toEqual([
      "RangeError: too long: abcdef",
      `    at check (In[${defineCount}]:7:37)`,
      `    at In[${callCount}]:3:1`,
    ]);
  });

  test("a thrown non-Error value is reported too", async () => {
    const exchange = await kernel.execute("throw { code: 7 }");
    expect(exchange.reply.content).toMatchObject({ status: "error", ename: "Uncaught", evalue: "{ code: 7 }" });
  });
});

describe("introspection", () => {
  test("is_complete says complete, incomplete (with indent) or invalid", async () => {
    const ask = async (code: string) => (await kernel.request("is_complete_request", { code })).reply.content;
    expect(await ask("const x = 1;")).toEqual({ status: "complete" });
    expect(await ask("function f() {\n  if (x) {")).toMatchObject({ status: "incomplete" });
    expect((await ask("function f() {\n  if (x) {")).indent).toEqual(expect.any(String));
    expect(await ask("const = ;")).toEqual({ status: "invalid" });
    expect(await ask("let x = )(;")).toEqual({ status: "invalid" });
  });

  test("complete_request returns matches and a cursor range in code points", async () => {
    await kernel.execute("const emojiLabel = '🙂'; const emojiCount = 2;");
    const code = "const s = '🙂'; emoji";
    const { reply } = await kernel.request("complete_request", { code, cursor_pos: [...code].length });
    expect(reply.content.status).toBe("ok");
    expect(reply.content.matches).toEqual(expect.arrayContaining(["emojiLabel", "emojiCount"]));
    expect(reply.content.cursor_end).toBe([...code].length);
    expect(reply.content.cursor_start).toBe([...code].length - "emoji".length);
  });

  test("inspect_request shows the type of a symbol", async () => {
    await kernel.execute("function greet(name: string): string { return name; }");
    const { reply } = await kernel.request("inspect_request", { code: "greet", cursor_pos: 2, detail_level: 0 });
    expect(reply.content).toMatchObject({ status: "ok", found: true });
    expect(reply.content.data["text/plain"]).toContain("function greet(name: string): string");
  });

  test("history_request answers tail, range and search", async () => {
    await kernel.execute("const historyMarkerA = 1;");
    await kernel.execute("const historyMarkerB = 2;");
    const tail = (await kernel.request("history_request", { hist_access_type: "tail", n: 2, output: false, raw: true })).reply.content;
    expect(tail.status).toBe("ok");
    expect(tail.history.map((h: unknown[]) => h[2])).toEqual(["const historyMarkerA = 1;", "const historyMarkerB = 2;"]);
    const [session, line] = tail.history[1];
    const range = (
      await kernel.request("history_request", {
        hist_access_type: "range",
        session: 0,
        start: line,
        stop: line + 1,
        output: false,
        raw: true,
      })
    ).reply.content;
    expect(range.history).toEqual([[session, line, "const historyMarkerB = 2;"]]);
    const search = (
      await kernel.request("history_request", {
        hist_access_type: "search",
        pattern: "*historyMarkerA*",
        n: 10,
        output: false,
        raw: true,
        unique: true,
      })
    ).reply.content;
    expect(search.history.map((h: unknown[]) => h[2])).toEqual(["const historyMarkerA = 1;"]);
  });

  test("comm_info_request gets a comm_info_reply", async () => {
    const { reply } = await kernel.request("comm_info_request", {});
    expect(reply.msg_type).toBe("comm_info_reply");
    expect(reply.content).toEqual({ status: "ok", comms: {} });
  });

  test("an unknown request gets an error reply, never silence", async () => {
    const { reply } = await kernel.request("teleport_request", {});
    expect(reply.msg_type).toBe("teleport_reply");
    expect(reply.content).toMatchObject({ status: "error", ename: "UnknownMessageType" });
  });
});
