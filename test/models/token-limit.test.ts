// Which model ids are taken for reasoning models, and how a request's token limit is respelt for the
// wire while the body it came from (the recording key) stays as written. Pure functions.
import { isReasoningModel, spellTokenLimit, tokenLimitIn } from "../../kernel/src/models/reasoning-models";

test.each([
  ["o1", true],
  ["o1-preview", true],
  ["o3-mini", true],
  ["o4-mini-2025-04-16", true],
  ["o3-pro", true],
  ["gpt-5", true],
  ["gpt-5-mini", true],
  ["gpt-5.1-codex", true],
  ["openai/gpt-5", true],
  ["prod-o3-mini", true],
  ["gpt-5-eu-deployment", true],
  ["gpt-4o", false],
  ["gpt-4o-mini", false],
  ["chatgpt-4o-latest", false],
  ["gpt-50", false],
  ["deepseek-reasoner", false],
  ["foo1", false],
  ["llama3.1", false],
])("%s is a reasoning model id: %s", (id, expected) => {
  expect(isReasoningModel(id)).toBe(expected);
});

test("the token limit is respelt for the wire; the body it came from is not touched", () => {
  const body = { model: "o3-mini", messages: [], max_tokens: 10 };
  expect(spellTokenLimit(body, "max_completion_tokens")).toEqual({ model: "o3-mini", messages: [], max_completion_tokens: 10 });
  expect(body).toEqual({ model: "o3-mini", messages: [], max_tokens: 10 });
  expect(spellTokenLimit(body, "max_tokens")).toBe(body);
  // The other way round (an alias that passes max_completion_tokens to an endpoint that wants max_tokens).
  expect(spellTokenLimit({ max_completion_tokens: 3 }, "max_tokens")).toEqual({ max_tokens: 3 });
  // No limit, or both spellings set by the cell: sent as written.
  expect(spellTokenLimit({ temperature: 1 }, "max_completion_tokens")).toEqual({ temperature: 1 });
  const both = { max_tokens: 1, max_completion_tokens: 2 };
  expect(tokenLimitIn(both)).toBeUndefined();
  expect(spellTokenLimit(both, "max_tokens")).toBe(both);
});
