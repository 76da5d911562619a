// The nearest tsconfig.json above the notebook is honoured as far as a notebook can use it; the
// options it cannot use are named, one line each. Each case runs real cells under tslab's executor.
import { notebookOptions } from "../../kernel/src/compiler/compiler-options";
import { ts } from "../../kernel/src/compiler/typescript";
import { codes, folderWith, Notebook } from "./notebook";

const open: Notebook[] = [];
afterAll(() => {
  for (const notebook of open) notebook.close();
});

function notebookWith(compilerOptions: Record<string, unknown>, files: Record<string, string> = {}): Notebook {
  const notebook = new Notebook(folderWith({ "tsconfig.json": JSON.stringify({ compilerOptions }), ...files }));
  open.push(notebook);
  return notebook;
}

const math = { "src/lib/math.ts": "export const triple = (n: number): number => n * 3;\n" };

test("without a tsconfig.json: TypeScript's recommended options, strict on", () => {
  const { options, configFile, notes } = notebookOptions(folderWith());
  expect(configFile).toBeNull();
  expect(notes).toEqual([]);
  expect(options).toMatchObject({
    strict: true,
    skipLibCheck: true,
    noUncheckedSideEffectImports: true,
    jsx: ts.JsxEmit.ReactJSX,
    types: ["node"],
  });
});

test("strict: false turns strict checks off", async () => {
  const notebook = notebookWith({ strict: false });
  expect(await notebook.run("a", "function f(x) { return x; }\nf(1)")).toMatchObject({ ok: true, value: 1 });
});

test("paths: an alias imports a local TypeScript file, checked and run", async () => {
  const notebook = notebookWith({ paths: { "@lib/*": ["./src/lib/*"] } }, math);
  expect(await notebook.run("a", 'import { triple } from "@lib/math";\ntriple(2)')).toMatchObject({ ok: true, value: 6 });
  expect(codes(await notebook.run("b", 'import { triple } from "@lib/math";\ntriple("2")'))).toEqual([2345]);
});

test("a relative import of a local TypeScript file, in a folder found above the notebook", async () => {
  const dir = folderWith({ "tsconfig.json": "{}", ...math, "notebooks/.keep": "" });
  const notebook = new Notebook(`${dir}/notebooks`);
  open.push(notebook);
  expect(notebook.compiler.config.file).toBe(`${dir}/tsconfig.json`);
  expect(await notebook.run("a", 'import { triple } from "../src/lib/math";\ntriple(3)')).toMatchObject({ ok: true, value: 9 });
});

test("lib: an older lib has no toSorted", async () => {
  const notebook = notebookWith({ lib: ["es2022"] });
  expect(codes(await notebook.run("a", "[2, 1].toSorted()"))).toEqual([2550]);
});

test("types: [] leaves cells without Node's types", async () => {
  const notebook = notebookWith({ types: [] });
  const run = await notebook.run("a", "process.pid");
  expect(run.ok).toBe(false);
  expect([2580, 2591]).toContain(codes(run)[0]);
});

test("experimentalDecorators: legacy decorators; without it, standard decorators", async () => {
  const legacy = notebookWith({ experimentalDecorators: true });
  const field = "function tag(target: object, key: string) { (target as any)[`${key}Tagged`] = true; }\n";
  expect(await legacy.run("a", `${field}class A { @tag name = "a"; }\n(new A() as any).nameTagged`)).toMatchObject({
    ok: true,
    value: true,
  });

  const standard = notebookWith({});
  expect((await standard.run("a", `${field}class A { @tag name = "a"; }`)).ok).toBe(false);
  const method =
    "const calls: string[] = [];\nfunction logged<T extends (...a: any[]) => any>(fn: T, ctx: ClassMethodDecoratorContext) { return function (this: unknown, ...a: any[]) { calls.push(String(ctx.name)); return fn.apply(this, a); } as T; }\n";
  expect(await standard.run("b", `${method}class B { @logged hi() { return 1; } }\nnew B().hi();\ncalls`)).toMatchObject({
    ok: true,
    value: ["hi"],
  });
});

test("jsx: the tsconfig's factory, in a @jsx cell", async () => {
  const notebook = notebookWith({ jsx: "react", jsxFactory: "h" });
  const source =
    "/** @jsx */\nconst h = (tag: string, _props: unknown, ...children: unknown[]) => ({ tag, children });\n" +
    "declare global { namespace JSX { interface IntrinsicElements { b: {} } } }\n<b>hi</b>";
  expect(await notebook.run("a", source)).toMatchObject({ ok: true, value: { tag: "b", children: ["hi"] } });
});

test("options a notebook cannot use are named, one line each, and the rest still applies", () => {
  const dir = folderWith({
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        verbatimModuleSyntax: true,
        outDir: "dist",
        declaration: true,
        target: "es5",
        strict: false,
      },
    }),
  });
  const { options, notes } = notebookOptions(dir);
  expect(notes).toEqual([
    expect.stringMatching(/^tsconfig.json "module" is not used in notebooks: /),
    expect.stringMatching(/^tsconfig.json "moduleResolution" is not used in notebooks: /),
    expect.stringMatching(/^tsconfig.json "verbatimModuleSyntax" is not used in notebooks: /),
    expect.stringMatching(/^tsconfig.json "outDir", "declaration" not used: cells are emitted in memory$/),
    expect.stringMatching(/^tsconfig.json "target" is below ES2017/),
  ]);
  expect(options).toMatchObject({ strict: false, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
  expect(options.target).toBeGreaterThanOrEqual(ts.ScriptTarget.ES2017);
  for (const note of notes) expect(note).not.toContain("\n");
});

test("a tsconfig.json that does not parse is named, and the recommended options are used", () => {
  const { options, notes } = notebookOptions(folderWith({ "tsconfig.json": "{ compilerOptions: " }));
  expect(notes).toHaveLength(1);
  expect(notes[0]).toContain("recommended options");
  expect(options.strict).toBe(true);
});
