// The stream accumulator on chunk sequences the local server does not send as a whole: tool calls in
// pieces without a role, several choices, logprobs, a usage chunk, junk between chunks. Pure: chunks in,
// the completion the unstreamed request would have got out.
import { CompletionAccumulator, reasoningOf } from "../../kernel/src/models/completion-stream";

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id: "c1", model: "m", created: 5, choices, ...extra });

test("tool calls arrive in pieces, without a role; several choices stay apart, in index order", () => {
  const acc = new CompletionAccumulator();
  acc.add(chunk([{ index: 1, delta: { content: "second" } }]));
  acc.add(
    chunk([
      {
        index: 0,
        delta: { content: null, tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "" } }] },
      },
    ]),
  );
  acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] } }]));
  acc.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] } }]));
  acc.add(
    chunk([
      { index: 0, finish_reason: "tool_calls" },
      { index: 1, delta: {}, finish_reason: "stop" },
    ]),
  );
  acc.add(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }));
  acc.add("not a chunk");
  const completion = acc.completion();
  expect(completion).toMatchObject({ id: "c1", object: "chat.completion", model: "m", created: 5, usage: { total_tokens: 7 } });
  expect(completion.choices).toEqual([
    {
      index: 0,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [{ id: "call_a", type: "function", function: { name: "f", arguments: '{"x":1}' } }],
      },
      finish_reason: "tool_calls",
      logprobs: null,
    },
    { index: 1, message: { role: "assistant", content: "second", refusal: null }, finish_reason: "stop", logprobs: null },
  ]);
});

test("add() says when the first choice's answer or reasoning grew; logprobs are joined; reasoning is read from either field", () => {
  const acc = new CompletionAccumulator();
  expect(acc.add(chunk([{ index: 0, delta: { role: "assistant", content: "" } }]))).toBe(false);
  expect(acc.add(chunk([{ index: 0, delta: { reasoning_content: "hmm" } }]))).toBe(true);
  expect(acc.add(chunk([{ index: 1, delta: { content: "other" } }]))).toBe(false);
  expect(acc.add(chunk([{ index: 0, delta: { content: "a" }, logprobs: { content: [{ token: "a" }] } }]))).toBe(true);
  expect(acc.add(chunk([{ index: 0, delta: { content: "b" }, logprobs: { content: [{ token: "b" }] } }]))).toBe(true);
  expect(acc.progress()).toEqual({ answer: "ab", reasoning: "hmm" });
  const [first] = acc.completion().choices;
  expect(first.logprobs).toEqual({ content: [{ token: "a" }, { token: "b" }], refusal: null });
  expect(reasoningOf(first.message)).toBe("hmm");
  expect(reasoningOf({ content: "x", reasoning: "vLLM's field" })).toBe("vLLM's field");
  expect(reasoningOf({ content: "x" })).toBe("");
});
