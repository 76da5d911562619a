import { cellMagicName } from "../../kernel/src/core";

test.each([
  ["%%ask fast\nSummarize this.", "ask"],
  ["// Tested: a prompt\n// Found: it works\n%%ask gpt-4o-mini --as s\nSummarize ${x}.", "ask"],
  ["/** @module */\n%%ask\nbody", "ask"],
  ["%%aks\nbody", "aks"],
  ["%models", null],
  ["%%\nbody", null],
  ["const a = 1; // %%ask", null],
  ["// Tested: only a header", null],
  ["", null],
])("cellMagicName(%j) is %j", (source, name) => {
  expect(cellMagicName(source)).toBe(name);
});
