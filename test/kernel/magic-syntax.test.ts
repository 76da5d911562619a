// The pure syntax of magics (splitting a cell, tokenizing args, body → template literal) and the
// %%ask magic's argument parsing and line-preserving rewrite.
import { parseOptions } from "../../kernel/src/models/call-options";
import { ASK_USAGE, parseAskArgs, rewriteAskCell, type AskMagicOptions } from "../../kernel/src/kernel/magics/ask-magic";
import { isIdentifier, splitMagicCell, tokenizeArgs, toTemplateLiteral, type MagicCell } from "../../kernel/src/kernel/magics/magic-syntax";

const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;
const newlines = (text: string) => (text.match(/\r\n|\r|\n/g) ?? []).length;

function cellMagic(source: string): Extract<MagicCell, { kind: "cell" }> {
  const cell = splitMagicCell(source);
  if (cell.kind !== "cell") throw new Error(`expected a cell magic, got ${cell.kind}`);
  return cell;
}

/** Evaluates a template literal with the given variables in scope. */
function evaluate(literal: string, scope: Record<string, unknown> = {}): unknown {
  const names = Object.keys(scope);
  return new Function(...names, `return ${literal};`)(...names.map((name) => scope[name]));
}

describe("splitMagicCell", () => {
  test("a cell magic after a comment header", () => {
    expect(splitMagicCell("// Tested: x\n%%ask fast\nhi")).toEqual({
      kind: "cell",
      name: "ask",
      args: "fast",
      line: 1,
      body: "hi",
      before: "// Tested: x\n",
    });
  });

  test("a cell magic after a JSDoc header and blank lines", () => {
    const source = "/**\n * @tested x\n */\n\n%%ask  --as a   --seed 1  \nline one\n\nline three\n";
    expect(splitMagicCell(source)).toEqual({
      kind: "cell",
      name: "ask",
      args: "--as a   --seed 1",
      line: 4,
      body: "line one\n\nline three\n",
      before: "/**\n * @tested x\n */\n\n",
    });
  });

  test("a cell magic on the first line, with CRLF line ends", () => {
    expect(splitMagicCell("%%ask\r\nhi\r\n")).toEqual({ kind: "cell", name: "ask", args: "", line: 0, body: "hi\r\n", before: "" });
  });

  test("a cell magic with no body", () => {
    expect(splitMagicCell("%%ask fast")).toMatchObject({ kind: "cell", name: "ask", args: "fast", line: 0, body: "" });
  });

  test("a magic after a block comment on its line keeps the comment in before", () => {
    const cell = cellMagic("/* Tested:\n   x */ %%ask\nhi");
    expect(cell.before).toBe("/* Tested:\n   x */ ");
    expect(cell.line).toBe(1);
    expect(cell.body).toBe("hi");
  });

  test("cells without magics", () => {
    expect(splitMagicCell("// Tested: x\nconst a = 1 % 2;\n%%ask\nhi")).toEqual({ kind: "none" });
    expect(splitMagicCell("")).toEqual({ kind: "none" });
    expect(splitMagicCell("// only a comment\n")).toEqual({ kind: "none" });
    expect(splitMagicCell("x\n%time")).toEqual({ kind: "none" });
  });

  test("%% or % without a name is a magic with an empty name", () => {
    expect(splitMagicCell("// Tested: x\n%%\nbody")).toEqual({
      kind: "cell",
      name: "",
      args: "",
      line: 1,
      body: "body",
      before: "// Tested: x\n",
    });
    expect(cellMagic("%% 1abc d")).toMatchObject({ name: "", args: "1abc d" });
    expect(splitMagicCell("% x\ncode")).toEqual({ kind: "line", magics: [{ name: "", args: "x", line: 0 }], rest: "\ncode" });
  });

  test("names take letters, digits, _ and -, then args follow", () => {
    expect(cellMagic("%%my_magic-2 a b")).toMatchObject({ name: "my_magic-2", args: "a b" });
    expect(cellMagic("%%ask(x)")).toMatchObject({ name: "ask", args: "(x)" });
  });

  test("line magics followed by code keep every line number", () => {
    const source = "// Tested: x\n%time\n\n%env  A=1 \nconst a = 1;\n%notmagic\nconsole.log(a);\n";
    const cell = splitMagicCell(source);
    expect(cell).toEqual({
      kind: "line",
      magics: [
        { name: "time", args: "", line: 1 },
        { name: "env", args: "A=1", line: 3 },
      ],
      rest: "// Tested: x\n\n\n\nconst a = 1;\n%notmagic\nconsole.log(a);\n",
    });
    if (cell.kind !== "line") throw new Error("unreachable");
    expect(lineCount(cell.rest)).toBe(lineCount(source));
    const original = source.split("\n");
    const rewritten = cell.rest.split("\n");
    expect(rewritten[4]).toBe(original[4]);
    expect(rewritten[6]).toBe(original[6]);
  });

  test("line magics stop at a %% line and keep CRLF ends", () => {
    const cell = splitMagicCell("%a 1\r\n  %b 2\r\n%%c\r\nx");
    expect(cell).toEqual({
      kind: "line",
      magics: [
        { name: "a", args: "1", line: 0 },
        { name: "b", args: "2", line: 1 },
      ],
      rest: "\r\n\r\n%%c\r\nx",
    });
  });
});

describe("tokenizeArgs", () => {
  test.each([
    ["", []],
    ["   ", []],
    ["a b\tc", ["a", "b", "c"]],
    ["  fast   --as  x ", ["fast", "--as", "x"]],
    ["'a b' c", ["a b", "c"]],
    ["'a \\\" b'", ['a \\" b']],
    ['"a \\" \\\\ \\n b"', ['a " \\ \\n b']],
    ["a\\ b", ["a b"]],
    ['\\"x', ['"x']],
    ["pre'mid dle'\"post\"", ["premid dlepost"]],
    ["'' \"\"", ["", ""]],
    ['--system "You are terse."', ["--system", "You are terse."]],
    ["trailing\\", ["trailing\\"]],
  ])("%j", (text, tokens) => {
    expect(tokenizeArgs(text)).toEqual({ ok: true, tokens });
  });

  test("unterminated quotes", () => {
    expect(tokenizeArgs("a 'b c")).toEqual({ ok: false, error: "unterminated ' quote" });
    expect(tokenizeArgs('a "b c\\"')).toEqual({ ok: false, error: 'unterminated " quote' });
  });
});

describe("toTemplateLiteral", () => {
  test.each([
    ["plain text", {}, "plain text"],
    ["", {}, ""],
    ["function f() { return {a:1}; }", {}, "function f() { return {a:1}; }"],
    ["sum: ${a + b}", { a: 1, b: 2 }, "sum: 3"],
    ["${ {x: 1}.x }!", {}, "1!"],
    ['${ "}" }', {}, "}"],
    ["${ '}{' + '\\'' }", {}, "}{'"],
    ["${`inner ${y}`}", { y: "why" }, "inner why"],
    ["${`a ${`b ${y} }`} c`}", { y: 1 }, "a b 1 } c"],
    ["${ a /* } */ }", { a: 5 }, "5"],
    ["back`tick and \\n and \\${a} and \\\\", { a: 1 }, "back`tick and \\n and \\1 and \\\\"],
    ["cost $5, $a, $ {a}, {b}", { a: 1 }, "cost $5, $a, $ {a}, {b}"],
    ["ends with $", {}, "ends with $"],
    ["unterminated ${a + b", {}, "unterminated ${a + b"],
    ["unterminated ${ `x } ok ${a}", { a: 2 }, "unterminated ${ `x } ok 2"],
    ["${a}`${a}", { a: 1 }, "1`1"],
  ])("%j", (body, scope, expected) => {
    const literal = toTemplateLiteral(body);
    expect(literal.startsWith("`") && literal.endsWith("`")).toBe(true);
    expect(evaluate(literal, scope)).toBe(expected);
  });

  test("placeholders are copied verbatim and code braces are text", () => {
    expect(toTemplateLiteral("f() { ${ {x: 1}.x } }")).toBe("`f() { ${ {x: 1}.x } }`");
    expect(toTemplateLiteral('a\\b`c ${ "}" }')).toBe('`a\\\\b\\`c ${ "}" }`');
    expect(toTemplateLiteral("${a")).toBe("`\\${a`");
  });

  test("line structure is kept", () => {
    const body = "first ${a}\n\n`code`\nlast ${[\n  a,\n  b,\n].join('-')}\n";
    const literal = toTemplateLiteral(body);
    expect(newlines(literal)).toBe(newlines(body));
    expect(evaluate(literal, { a: "A", b: "B" })).toBe("first A\n\n`code`\nlast A-B\n");
    const crlf = "one\r\ntwo\rthree";
    expect(newlines(toTemplateLiteral(crlf))).toBe(newlines(crlf));
  });
});

describe("isIdentifier", () => {
  test.each(["x", "answer", "_a1", "$b", "camelCase"])("%s is an identifier", (name) => {
    expect(isIdentifier(name)).toBe(true);
  });
  test.each(["", "1x", "a-b", "a.b", "class", "const", "await", "let", "yield", "eval", "a b"])("%j is not", (name) => {
    expect(isIdentifier(name)).toBe(false);
  });
});

describe("parseAskArgs", () => {
  test("no args", () => {
    expect(parseAskArgs("")).toEqual({ ok: true, options: { params: {} } });
  });

  test("all options", () => {
    const result = parseAskArgs(
      `fast -t 0.2 --max-tokens 200 --seed -7 --system "Be terse." --reasoning-effort low --as answer --schema schemas.Ticket ` +
        `--param top_p=0.9 --param stop='["\\n"]' --param user=bob --param empty=`,
    );
    expect(result).toEqual({
      ok: true,
      options: {
        model: "fast",
        temperature: 0.2,
        maxTokens: 200,
        seed: -7,
        system: "Be terse.",
        reasoningEffort: "low",
        as: "answer",
        schema: "schemas.Ticket",
        params: { top_p: 0.9, stop: ["\n"], user: "bob", empty: "" },
      },
    });
  });

  test("--model, -m and = forms", () => {
    expect(parseAskArgs("--model gpt-4o-mini")).toEqual({ ok: true, options: { model: "gpt-4o-mini", params: {} } });
    expect(parseAskArgs("-m fast --temperature=0")).toEqual({ ok: true, options: { model: "fast", temperature: 0, params: {} } });
    expect(parseAskArgs("--seed=-1 --schema Ticket")).toEqual({ ok: true, options: { seed: -1, schema: "Ticket", params: {} } });
  });

  test.each([
    [
      "--temprature 1",
      "%%ask: unknown option --temprature; options: --model, --temperature, --max-tokens, --seed, --system, --reasoning-effort, --as, --schema, --param",
    ],
    [
      "-x",
      "%%ask: unknown option -x; options: --model, --temperature, --max-tokens, --seed, --system, --reasoning-effort, --as, --schema, --param",
    ],
    ["--temperature hot", '%%ask: --temperature expects a number, got "hot"'],
    ["-t ''", '%%ask: --temperature expects a number, got ""'],
    ["--temperature 2.5", "%%ask: --temperature must be between 0 and 2, got 2.5"],
    ["--temperature -1", "%%ask: --temperature must be between 0 and 2, got -1"],
    ["--max-tokens 0", "%%ask: --max-tokens expects a positive integer, got 0"],
    ["--max-tokens 1.5", "%%ask: --max-tokens expects a positive integer, got 1.5"],
    ["--max-tokens many", '%%ask: --max-tokens expects a positive integer, got "many"'],
    ["--seed x", '%%ask: --seed expects an integer, got "x"'],
    ["--reasoning-effort 'very high'", '%%ask: --reasoning-effort expects a word such as "low", "medium" or "high", got "very high"'],
    ["--model", "%%ask: --model expects a value"],
    ["--system -x", '%%ask: --system expects a value; to give one that starts with "-", write --system=VALUE'],
    ["fast --model slow", '%%ask: the model is given twice ("fast" and --model slow); give one'],
    ["fast slow", '%%ask: expected at most one model name, got "fast", "slow"'],
    ["--seed 1 --seed 2", "%%ask: --seed is given more than once"],
    ["--as 1x", '%%ask: --as expects a variable name, got "1x"'],
    ["--as class", '%%ask: --as expects a variable name, got "class"'],
    ["--schema schemas..Ticket", '%%ask: --schema expects a name or a dotted path such as schemas.Ticket, got "schemas..Ticket"'],
    ["--schema 'new X()'", '%%ask: --schema expects a name or a dotted path such as schemas.Ticket, got "new X()"'],
    ["--param top_p", '%%ask: --param expects KEY=VALUE, got "top_p"'],
    ["--param =1", '%%ask: --param expects KEY=VALUE with a non-empty KEY, got "=1"'],
    ["--param model=x", "%%ask: --param model is not allowed (use --model)"],
    ["--param messages=[]", "%%ask: --param messages is set by labtrail; leave it out"],
    ["--param stream=true", "%%ask: --param stream is set by labtrail; leave it out"],
    ["--param response_format={}", "%%ask: --param response_format is set by labtrail; use structured() for structured output"],
    ["--param temperature=3", "%%ask: --param temperature must be between 0 and 2, got 3"],
    ["--param __proto__={}", "%%ask: --param __proto__ is not allowed (it is not a parameter name)"],
    ["--param a=1 --param a=2", "%%ask: --param a is given more than once"],
    ["--system 'oops", "%%ask: unterminated ' quote"],
    ['"', '%%ask: unterminated " quote'],
    ["''", "%%ask: the model name is empty"],
  ])("%j", (args, error) => {
    expect(parseAskArgs(args)).toEqual({ ok: false, error });
  });

  test("a rejected option reads the same as from ask(): one schema checks both", () => {
    for (const [args, options, rule] of [
      ["--temperature 5", { temperature: 5 }, "must be between 0 and 2, got 5"],
      ["--max-tokens 0", { maxTokens: 0 }, "expects a positive integer, got 0"],
      ["--seed 1.5", { seed: 1.5 }, "expects an integer, got 1.5"],
      ["--reasoning-effort HIGH", { reasoningEffort: "HIGH" }, 'expects a word such as "low", "medium" or "high", got "HIGH"'],
      ["--param stream=true", { stream: true }, "is set by labtrail; leave it out"],
    ] as const) {
      const magic = parseAskArgs(args);
      expect(magic.ok || magic.error).toMatch(new RegExp(`^%%ask: --\\S+( \\S+)? ${escapeRegExp(rule)}$`));
      expect(() => parseOptions("ask", options)).toThrow(new RegExp(`^ask\\(\\): options\\.\\w+ ${escapeRegExp(rule)}$`));
    }
  });

  test("errors are one line", () => {
    for (const args of ["--system -x", "--nope", "--model"]) {
      const result = parseAskArgs(args);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).not.toMatch(/\n/);
    }
  });

  test("usage", () => {
    expect(ASK_USAGE).toBe(
      "%%ask [model] [--model NAME] [--temperature N] [--max-tokens N] [--seed N] [--system TEXT] [--reasoning-effort WORD] [--as NAME] [--schema NAME] [--param KEY=VALUE]…",
    );
  });
});

describe("rewriteAskCell", () => {
  function rewrite(source: string): string {
    const cell = cellMagic(source);
    const parsed = parseAskArgs(cell.args);
    if (!parsed.ok) throw new Error(parsed.error);
    const result = rewriteAskCell(cell, parsed.options);
    if (!result.ok) throw new Error(result.error);
    expect(lineCount(result.code)).toBe(lineCount(source));
    return result.code;
  }

  /** Runs the rewritten code with a fake `labtrail$magic` that records its calls. */
  async function run(code: string, scope: Record<string, unknown>, result?: string) {
    const calls: unknown[][] = [];
    const magic = {
      ask: async (...args: unknown[]) => {
        calls.push(["ask", ...args]);
        return "the answer";
      },
      structured: async (...args: unknown[]) => {
        calls.push(["structured", ...args]);
        return { structured: true };
      },
    };
    const names = ["labtrail$magic", ...Object.keys(scope)];
    const tail = result ? `\nreturn ${result};` : "";
    const fn = new Function(...names, `return (async () => {\n${code}${tail}\n})();`);
    const value = await fn(magic, ...Object.keys(scope).map((name) => scope[name]));
    return { calls, value };
  }

  test("--as with a model: exact code", () => {
    expect(rewrite("// Tested: x\n%%ask fast --as answer\nWhat is ${x}?")).toBe(
      '// Tested: x\nconst answer = await labtrail$magic.ask({"model":"fast"}, \n`What is ${x}?`);',
    );
  });

  test("without --as: exact code", () => {
    expect(rewrite("%%ask\nhello")).toBe("void (await labtrail$magic.ask({}, \n`hello`));");
  });

  test("--schema with and without --as: exact code", () => {
    expect(rewrite("%%ask --schema schemas.Ticket --as ticket -t 0\nFile a ticket")).toBe(
      'const ticket = await labtrail$magic.structured(schemas.Ticket, {"temperature":0}, \n`File a ticket`);',
    );
    expect(rewrite("%%ask --schema Ticket\nFile a ticket")).toBe("void (await labtrail$magic.structured(Ticket, {}, \n`File a ticket`));");
  });

  test("options in order, params last", () => {
    expect(rewrite("%%ask --param top_p=1 --system S --seed 3 --max-tokens 9 -t 1 -m m --param temperature=0.5 --as a\nq")).toBe(
      'const a = await labtrail$magic.ask({"model":"m","temperature":0.5,"maxTokens":9,"seed":3,"system":"S","top_p":1}, \n`q`);',
    );
  });

  test("trailing blank lines stay after the call; line structure is kept", () => {
    const source = "/**\n * @tested x\n */\n%%ask --as a\n\nfirst ${n}\n`quoted` \\n\n\nlast  \n\n  \n";
    const code = rewrite(source);
    expect(code).toBe(
      "/**\n * @tested x\n */\nconst a = await labtrail$magic.ask({}, \n`\nfirst ${n}\n\\`quoted\\` \\\\n\n\nlast  `);\n\n  \n",
    );
    const lines = code.split("\n");
    expect(lines[3]).toMatch(/^const a = /);
    expect(lines[4]).toBe("`");
    expect(lines[8]).toBe("last  `);");
  });

  test("the rewritten code runs and passes the prompt and options", async () => {
    const code = rewrite("// Tested: x\n%%ask fast --as answer --param stop='[\"x\"]'\nHi ${name}, `a\\b` {braces}\n\n");
    const { calls, value } = await run(code, { name: "Ada" }, "answer");
    expect(value).toBe("the answer");
    expect(calls).toEqual([["ask", { model: "fast", stop: ["x"] }, "Hi Ada, `a\\b` {braces}"]]);

    const structured = rewrite("%%ask --schema s.T\nline 1\n  line 2");
    const ran = await run(structured, { s: { T: "schema-T" } });
    expect(ran.calls).toEqual([["structured", "schema-T", {}, "line 1\n  line 2"]]);
  });

  test("CRLF cells keep their line count", () => {
    const source = "// Tested: x\r\n%%ask --as a\r\nhi\r\nthere\r\n\r\n";
    const code = rewrite(source);
    expect(code).toBe("// Tested: x\r\nconst a = await labtrail$magic.ask({}, \n`hi\r\nthere`);\r\n\r\n");
  });

  test("an empty prompt is an error", () => {
    const empty = { ok: false, error: "%%ask: the prompt is empty; write it on the lines below %%ask" };
    const options: AskMagicOptions = { params: {} };
    expect(rewriteAskCell(cellMagic("%%ask"), options)).toEqual(empty);
    expect(rewriteAskCell(cellMagic("%%ask\n"), options)).toEqual(empty);
    expect(rewriteAskCell(cellMagic("%%ask\n  \n\t\n"), options)).toEqual(empty);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
