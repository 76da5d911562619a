// The code below a cell's header: what the kernel's code hash covers, so a frontend can hash the same
// text in the browser (SubtleCrypto) and match cells to their run records.
import { webcrypto } from "node:crypto";
import { codeBody, parseHeader } from "../../kernel/src/core";
import { codeHash } from "../../kernel/src/records/code-hash";

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
});
