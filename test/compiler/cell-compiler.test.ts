// The cell compiler on its own, each cell run by tslab's real executor: every feature cells had with
// tslab, the language of TypeScript 6, and the notebook's own rules (a later cell declares a name
// again, a rerun replaces its cell, a deleted cell is forgotten). Strict, as `tsc --init` recommends.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codes, folderWith, Notebook } from "./notebook";

const nodeMajor = Number(process.versions.node.split(".")[0]);
let notebook: Notebook;

beforeAll(() => {
  notebook = new Notebook(folderWith());
});
afterAll(() => notebook?.close());

type Row = [feature: string, cells: string[], expected: { value: unknown } | { codes: number[] }];

// Cell ids are per row, so rows do not see each other's names.
const rows: Row[] = [
  ["the last expression is the value", ["const a = 20;\na * 2 + 2"], { value: 42 }],
  ["top-level await", ["const v = await Promise.resolve(41);\nv + 1"], { value: 42 }],
  [
    "for await at top level",
    ["let s = 0;\nasync function* g() { yield 1; yield 2; }\nfor await (const x of g()) s += x;\ns"],
    { value: 3 },
  ],
  ["an earlier cell's let, assigned", ["let counter = 1;", "counter = counter + 1;\ncounter"], { value: 2 }],
  ["an earlier cell's const cannot be assigned", ["const fixed = 1;", "fixed = 2;"], { codes: [2588] }],
  ["an earlier cell's name declared again, with another type", ["const again = 1;", 'const again = "two";\nagain.length'], { value: 3 }],
  [
    "the redeclared name is the later one's in the next cell",
    ["const shadow = 1;", 'const shadow = "two";', "shadow.toUpperCase()"],
    { value: "TWO" },
  ],
  [
    "functions, classes, generics and interfaces of earlier cells",
    [
      "function inc(n: number) { return n + 1; }\nclass Box<T> { constructor(readonly v: T) {} }\ninterface Shape { sides: number }",
      "const box: Box<Shape> = new Box({ sides: inc(3) });\nbox.v.sides",
    ],
    { value: 4 },
  ],
  [
    "enums and namespaces of earlier cells",
    [
      "enum Colour { Red = 'red' }\nnamespace Geo { export const origin = 0; export type Point = { x: number } }",
      "const p: Geo.Point = { x: Geo.origin };\n`${Colour.Red}:${p.x}`",
    ],
    { value: "red:0" },
  ],
  [
    "imports of earlier cells, as values and types",
    [
      'import * as path from "node:path";\nimport { EventEmitter } from "node:events";',
      'const parsed: path.ParsedPath = path.parse("/a/b.txt");\nconst e: EventEmitter = new EventEmitter();\nparsed.ext',
    ],
    { value: ".txt" },
  ],
  ["destructured names", ["const { left, right: [first] } = { left: 1, right: [2] };", "left + first"], { value: 3 }],
  ["shorthand properties of earlier names", ["const short = 5;", "({ short })"], { value: { short: 5 } }],
  ["names beginning with __", ["const __hidden = 1;\n__hidden", "__hidden + 1"], { value: 2 }],
  ["a type error is reported with its TS code", ['const n: number = "no";'], { codes: [2322] }],
  ["strict: implicit any", ["function f(x) { return x; }"], { codes: [7006] }],
  ["strict: possibly undefined", ["const m = new Map<string, number>();\nm.get('a') + 1"], { codes: [2532] }],
  [
    "using declarations",
    ['const log: string[] = [];\n{\n  using r = { [Symbol.dispose]() { log.push("disposed"); } };\n  log.push("used");\n}\nlog'],
    { value: ["used", "disposed"] },
  ],
  [
    "await using declarations",
    ['const seen: string[] = [];\n{\n  await using r = { async [Symbol.asyncDispose]() { seen.push("closed"); } };\n}\nseen'],
    { value: ["closed"] },
  ],
  ["NoInfer", ['function pick<T extends string>(all: T[], one: NoInfer<T>) { return one; }\npick(["a", "b"], "c")'], { codes: [2345] }],
  [
    "inferred type predicates",
    ["const xs = [1, undefined, 2].filter((x) => x !== undefined);\nconst total: number = xs.reduce((a, b) => a + b, 0);\ntotal"],
    { value: 3 },
  ],
  ["toSorted (ES2023)", ["[3, 1, 2].toSorted()"], { value: [1, 2, 3] }],
  [
    "Object.groupBy and Promise.withResolvers (ES2024, on Node.js 22 and later)",
    [
      "const g = Object.groupBy([1, 2, 3], (n: number) => (n % 2 ? 'odd' : 'even'));\nconst { promise, resolve } = Promise.withResolvers<number>();\nresolve(g.odd!.length);\nawait promise",
    ],
    nodeMajor >= 22 ? { value: 2 } : { codes: [2550, 2550] },
  ],
  ["Node's types", ["process.versions.node.length > 0"], { value: true }],
  ["tslab's display module", ['import * as tslab from "tslab";\ntypeof tslab.display.html'], { value: "function" }],
  [
    "a cell that declares only types",
    [
      "type Pair = [number, number];\ninterface Named { name: string }",
      "const p: Pair = [1, 2];\nconst n: Named = { name: 'x' };\np[0] + n.name",
    ],
    { value: "1x" },
  ],
  ["an exported declaration in a cell", ["export const shared = 7;", "shared"], { value: 7 }],
];

let row = 0;
test.each(rows)("%s", async (_feature, cells, expected) => {
  const prefix = `row${row++}-`;
  const run = await notebook.runAll(cells.map((source, i) => [`${prefix}${i}`, source]));
  if ("value" in expected) {
    expect(run.ok ? undefined : run.diagnostics.map((d) => `TS${d.code}: ${d.messageText}`)).toBeUndefined();
    expect(run.ok && run.value).toEqual(expected.value);
  } else {
    expect(codes(run)).toEqual(expected.codes);
  }
});

describe("cells by id", () => {
  test("a rerun replaces what its cell declared", async () => {
    expect((await notebook.run("rerun-a", "const rerunName = 1;")).ok).toBe(true);
    expect((await notebook.run("rerun-b", "rerunName + 1")).ok).toBe(true);
    // The same cell, edited: rerunName is gone, rerunOther is new (no redeclaration error either).
    expect((await notebook.run("rerun-a", 'const rerunOther = "x";')).ok).toBe(true);
    expect(codes(await notebook.run("rerun-c", "rerunName"))).toEqual([2304]);
    expect((await notebook.run("rerun-c", "rerunOther")).ok).toBe(true);
  });

  test("a cell that failed leaves what its cell id declared before", async () => {
    await notebook.run("kept", "const keptName = 1;");
    expect(codes(await notebook.run("kept", 'const keptName: number = "x";'))).toEqual([2322]);
    expect(await notebook.run("kept-use", "keptName")).toMatchObject({ ok: true, value: 1 });
  });

  test("a deleted cell's names are forgotten", async () => {
    await notebook.run("deleted", "const deletedName = 1;");
    notebook.compiler.drop(["deleted"]);
    expect(codes(await notebook.run("after-delete", "deletedName"))).toEqual([2304]);
  });

  test("more cells than a batch of slots: every name stays visible, and a rerun frees its slot", async () => {
    for (let i = 0; i < 70; i++) expect((await notebook.run(`many-${i}`, `const many${i} = ${i};`)).ok).toBe(true);
    expect(await notebook.run("many-sum", "many0 + many33 + many69")).toMatchObject({ ok: true, value: 102 });
    expect((await notebook.run("many-5", 'const manyOther = "x";')).ok).toBe(true);
    // "Cannot find name 'many5'. Did you mean 'many0'?"
    expect(codes(await notebook.run("many-use", "many5"))).toEqual([2552]);
    expect((await notebook.run("many-71", "const many71 = 71;")).ok).toBe(true);
    expect(await notebook.run("many-use", "manyOther + many71 + many69")).toMatchObject({ ok: true, value: "x7169" });
  });

  test("a cell that depends on a rerun cell keeps its type", async () => {
    await notebook.run("base", "const baseValue = 2;");
    await notebook.run("derived", "const derivedValue = baseValue * 2;");
    await notebook.run("base", "const baseValue = 3;");
    expect(await notebook.run("use-derived", "const d: number = derivedValue;\nd")).toMatchObject({ ok: true, value: 4 });
  });
});

describe("emit", () => {
  test("an earlier cell's name is read from the executor's exports", async () => {
    await notebook.run("emit-a", "let emitted = 1;");
    const run = await notebook.run("emit-b", "emitted = 2;");
    expect(run.ok && run.output.output).toContain("exports.emitted = 2");
  });

  test("top-level await is reported to the executor, await inside a function is not", async () => {
    const top = await notebook.run("tla-1", "await 0;");
    const inner = await notebook.run("tla-2", "async function later() { await 0; }");
    expect(top.ok && top.output.hasToplevelAwait).toBe(true);
    expect(inner.ok && inner.output.hasToplevelAwait).toBe(false);
  });

  test("diagnostics are at the cell's own line and column", async () => {
    const run = await notebook.run("where", "const ok = 1;\nconst bad: string = ok;");
    expect(run.ok).toBe(false);
    expect(!run.ok && run.diagnostics[0]).toMatchObject({ code: 2322, start: { line: 1, character: 6 } });
  });
});

describe("modules", () => {
  test("a local module or a package added while the kernel runs is found by the next cell", async () => {
    expect(codes(await notebook.run("late", 'import { late } from "./late-module";\nlate'))).toEqual([2307]);
    expect(codes(await notebook.run("late-pkg", 'import { pkg } from "late-package";\npkg'))).toEqual([2307]);
    writeFileSync(join(notebook.dir, "late-module.ts"), "export const late = 1;\n");
    mkdirSync(join(notebook.dir, "node_modules", "late-package"), { recursive: true });
    writeFileSync(join(notebook.dir, "node_modules", "late-package", "package.json"), '{ "name": "late-package", "main": "index.js" }');
    writeFileSync(join(notebook.dir, "node_modules", "late-package", "index.js"), "exports.pkg = 2;\n");
    writeFileSync(join(notebook.dir, "node_modules", "late-package", "index.d.ts"), "export declare const pkg: number;\n");
    expect(await notebook.run("late", 'import { late } from "./late-module";\nlate')).toMatchObject({ ok: true, value: 1 });
    expect(await notebook.run("late-pkg", 'import { pkg } from "late-package";\npkg')).toMatchObject({ ok: true, value: 2 });
  });

  test("an @module cell is imported by later cells as ./name", async () => {
    expect((await notebook.run("mod", "/** @module shapes */\nexport const area = (w: number, h: number) => w * h;")).ok).toBe(true);
    expect(await notebook.run("mod-use", 'import { area } from "./shapes";\narea(6, 7)')).toMatchObject({ ok: true, value: 42 });
    // Edited and added again: the new code runs.
    await notebook.run("mod", "/** @module shapes */\nexport const area = (w: number, h: number) => w * h + 1;");
    expect(await notebook.run("mod-use", 'import { area } from "./shapes";\narea(6, 7)')).toMatchObject({ ok: true, value: 43 });
  });
});
