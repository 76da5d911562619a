// labtrail's cell compiler through the real kernel and protocol: tslab's converter and its TypeScript
// fork are never loaded, cells are keyed by JupyterLab's cell id (a rerun replaces, deletedCells
// forget), the language is TypeScript 6's, and completion and inspection carry types and JSDoc.
import { KernelClient, messagesOfType } from "../support/kernel-client";

let kernel: KernelClient;

beforeAll(async () => {
  kernel = await KernelClient.start();
});
afterAll(async () => {
  await kernel?.stop();
});

const resultOf = async (code: string, metadata?: Record<string, unknown>) => {
  const exchange = await kernel.execute(code, metadata ? { metadata } : {});
  expect(exchange.reply.content).toMatchObject({ status: "ok" });
  return messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"];
};

test("tslab's converter and TypeScript fork are not loaded; its executor and display module are", async () => {
  const loaded = await resultOf(
    'import * as tslab from "tslab";\ntslab.display.text("shown");\nObject.keys(require.cache).filter((p) => /tslab/.test(p)).map((p) => p.replace(/^.*node_modules\\//, ""))',
  );
  expect(loaded).toContain("'tslab/dist/executor.js'");
  expect(loaded).toContain("'tslab/dist/public.js'");
  // Both are in the cache only as labtrail's stand-ins (see kernel/src/kernel/execution/tslab.ts).
  const standIns = await resultOf(
    "const cached = (part: string) => require.cache[Object.keys(require.cache).find((p) => p.includes(part))!]!.exports;\n" +
      'const converter = cached("tslab/dist/converter.js");\nconst fork = cached("typescript-for-tslab");\n' +
      "[typeof converter.isCompleteCode, fork.version]",
  );
  expect(standIns).toMatch(/\[ 'function', '6\.0\.\d+' \]/);
  const thrown = await kernel.execute(
    'require.cache[Object.keys(require.cache).find((p) => p.endsWith("tslab/dist/converter.js"))!]!.exports.createConverter()',
  );
  expect(thrown.reply.content.evalue).toMatch(/replaced by labtrail's cell compiler/);
});

test("a rerun of a cell id replaces its declarations; a deleted cell's are forgotten", async () => {
  await resultOf("const rerunA = 1;", { cellId: "cell-a" });
  await resultOf("const rerunA = 'text'; const rerunB = 2;", { cellId: "cell-a" });
  expect(await resultOf("rerunA.length", { cellId: "cell-c" })).toBe("4");
  const gone = await kernel.execute("rerunB", { metadata: { cellId: "cell-d", deletedCells: ["cell-a"] } });
  expect(gone.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
  expect(gone.reply.content.evalue).toMatch(/TS2304: Cannot find name 'rerunB'/);
});

test("TypeScript 6: using, NoInfer, names beginning with __, strict by default", async () => {
  expect(await resultOf("const __hidden = 1; __hidden")).toBe("1");
  expect(await resultOf('const events: string[] = [];\n{ using r = { [Symbol.dispose]() { events.push("disposed"); } }; }\nevents')).toBe(
    "[ 'disposed' ]",
  );
  const noInfer = await kernel.execute('function pick<T extends string>(all: T[], one: NoInfer<T>) { return one; }\npick(["a"], "b")');
  expect(noInfer.reply.content.evalue).toMatch(/TS2345/);
  const strict = await kernel.execute("function untyped(x) { return x; }");
  expect(strict.reply.content.traceback[0]).toMatch(/^In\[\d+\]:1:18 - error TS7006: /);
});

test("complete_reply carries each candidate's kind, and the signature of the first ones", async () => {
  await kernel.execute("/** Says hello. */\nfunction greetPerson(name: string): string { return name; }\nconst greetCount = 1;");
  const code = "greet";
  const { reply } = await kernel.request("complete_request", { code, cursor_pos: code.length });
  expect(reply.content.matches).toEqual(expect.arrayContaining(["greetPerson", "greetCount"]));
  const types = reply.content.metadata._jupyter_types_experimental;
  expect(types).toEqual(
    expect.arrayContaining([
      { start: 0, end: 5, text: "greetPerson", type: "function", signature: "function greetPerson(name: string): string" },
      expect.objectContaining({ text: "greetCount", type: "constant" }),
    ]),
  );
  expect(types.map((t: { text: string }) => t.text)).toEqual(reply.content.matches);
});

test("completion of a member after a dot", async () => {
  const code = "[1, 2].toSo";
  const { reply } = await kernel.request("complete_request", { code, cursor_pos: code.length });
  expect(reply.content.matches[0]).toBe("toSorted");
  expect(reply.content.cursor_start).toBe(code.length - "toSo".length);
});

test("inspect_reply shows the signature and the JSDoc", async () => {
  await kernel.execute("/**\n * Adds one.\n * @param n the number\n */\nfunction addOne(n: number): number { return n + 1; }");
  const { reply } = await kernel.request("inspect_request", { code: "addOne(1)", cursor_pos: 3, detail_level: 0 });
  const text = reply.content.data["text/plain"];
  expect(text).toContain("function addOne(n: number): number");
  expect(text).toContain("Adds one.");
  expect(text).toContain("@param n the number");
});
