import { SourceAligner } from "../../kernel/src/kernel/execution/stack-mapping";

// Real pairs: the TypeScript of a cell and the JavaScript tslab 1.0.22 emitted for it.
const source = [
  "// Tested: x",
  'import * as fs from "fs";',
  "interface Foo { a: number }",
  "",
  "const a: Foo = {a: 1};",
  "function f(x: number) {",
  "",
  "  // comment",
  '  if (x > 1) throw new Error("boom " + x);',
  "  return x;",
  "}",
  "f(a.a + 1)",
].join("\n");
const generated = [
  'Object.defineProperty(exports, "__esModule", { value: true });',
  "exports.a = exports.fs = exports.f = exports.tsLastExpr = void 0;",
  "// Tested: x",
  'const fs = __importStar(require("fs"));',
  "exports.fs = fs;",
  "const a = { a: 1 };",
  "exports.a = a;",
  "function f(x) {",
  "    // comment",
  "    if (x > 1)",
  '        throw new Error("boom " + x);',
  "    return x;",
  "}",
  "exports.f = f;",
  "exports.tsLastExpr = f(a.a + 1);",
].join("\n");

describe("SourceAligner", () => {
  const aligner = new SourceAligner(source, generated);

  test.each([
    ["the throw's `new Error`", { line: 11, column: 15 }, { line: 9, column: 20 }],
    ["a statement split over two emitted lines", { line: 10, column: 5 }, { line: 9, column: 3 }],
    ["a call rewritten into an export assignment", { line: 15, column: 22 }, { line: 12, column: 1 }],
    ["a declaration whose type annotation was erased", { line: 6, column: 7 }, { line: 5, column: 7 }],
  ])("maps %s", (_what, from, to) => {
    expect(aligner.toSource(from)).toEqual(to);
  });

  test("code that only exists in the emitted JavaScript maps to nothing", () => {
    expect(aligner.toSource({ line: 1, column: 1 })).toBeUndefined();
    expect(aligner.toSource({ line: 40, column: 1 })).toBeUndefined();
  });
});
