// The code below a cell's header: what the code hash covers. The core computes the hash (kernel, CLI
// and extension alike), so a frontend matches cells to their run records with the kernel's hash.
import { createHash, webcrypto } from "node:crypto";
import { codeBody, codeHash, parseHeader, sha256Hex } from "../../kernel/src/core";

describe("codeBody", () => {
  it.each([
    ["no header", "run()\n", "run()"],
    ["a header", "// Tested: t\n// Found: f\n\nconst x = 1;\nx  \n\n", "const x = 1;\nx"],
    ["a JSDoc header with code on its line", "/** @tested t */ run()", "run()"],
    ["a magic", "// Tested: t\n%%ask\nHi {name}\r\n", "%%ask\nHi {name}"],
    ["an indented first line", "// Tested: t\n  indented()\n", "indented()"],
    ["only comments", "// Tested: t\n// a note\n", ""],
    ["an empty cell", "", ""],
  ])("%s", (_name, source, body) => {
    expect(codeBody(source)).toBe(body);
    expect(codeBody(source, parseHeader(source))).toBe(body);
  });

  it("writing Found after a run leaves the body, and so the code hash, unchanged", () => {
    const before = "// Tested: t\nrun()";
    const after = "// Tested: t\n// Found: it worked\nrun()";
    expect(codeBody(after)).toBe(codeBody(before));
    expect(codeHash(after)).toBe(codeHash(before));
    expect(codeHash("// Tested: t\nrun(2)")).not.toBe(codeHash(before));
  });

  it("the kernel's code hash is SHA-256 of the body's UTF-8, as SubtleCrypto computes it in a browser", async () => {
    const source = "// Tested: ünïcode — 😀\nconst label = `naïve ✓`;\nlabel\n";
    const digest = await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(codeBody(source)));
    expect(Buffer.from(digest).toString("hex")).toBe(codeHash(source));
  });

  it("is the hash node:crypto gave before the core computed it, for any text, lone surrogates included", () => {
    for (const text of ["", "run()", "ünïcode — 😀", "a\uD800b", "x".repeat(100_000)]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
    }
    const source = "// Tested: t\n// Found: f\nconst x = 1;\nx\n";
    expect(codeHash(source)).toBe(createHash("sha256").update(codeBody(source)).digest("hex"));
  });
});
