// The bench's stand-in for an OpenAI-compatible endpoint: POST /v1/chat/completions answers every
// request with one fixed, non-streamed `chat.completion` (content of CONTENT_BYTES characters, usage
// included), so that the labtrail kernel can record model calls without a network. Node built-ins only.
// (test/support/model-server.ts is the full one for the tests: scripts, errors, streaming. The bench is
// plain .mjs and needs none of that.)
import { createServer } from "node:http";

export const CONTENT_BYTES = 4096;

/** ~4 KB of plain words, the same every time (a replayed answer must match the recorded one). */
function fixedContent(bytes) {
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
  let text = "";
  for (let i = 0; text.length < bytes; i++) text += `${words[i % words.length]}${i % 13 === 12 ? ".\n" : " "}`;
  return text.slice(0, bytes);
}

export async function startModelServer() {
  const content = fixedContent(CONTENT_BYTES);
  const completionTokens = content.split(/\s+/).filter(Boolean).length;
  let count = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      if (req.method !== "POST" || path !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `Unknown request URL: ${req.method} ${path}.`, type: "invalid_request_error" } }));
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "invalid JSON body", type: "invalid_request_error" } }));
        return;
      }
      const prompt = (body.messages ?? []).map((m) => (typeof m?.content === "string" ? m.content : "")).join(" ");
      const promptTokens = Math.max(1, prompt.split(/\s+/).filter(Boolean).length);
      const completion = {
        id: `chatcmpl-bench-${++count}`,
        object: "chat.completion",
        created: 1_700_000_000,
        model: body.model ?? "gpt-4o-mini",
        system_fingerprint: "fp_labtrail_bench",
        choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      };
      const json = JSON.stringify(completion);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    get requests() {
      return count;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
