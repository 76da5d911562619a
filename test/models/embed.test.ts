// embed() in cells, with no import, over the real kernel protocol and the real openai SDK against the
// local server's /v1/embeddings: single and batched calls in order, recordings replayed offline in a
// fresh kernel, a verdict, the export's evidence, tampered recordings, and errors as chat gives them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { parseRunsJsonl } from "../../kernel/src/core";
import { runCli } from "../fixtures";
import { KernelClient, messagesOfType, streamText, type Exchange } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { modelNotebookDir } from "../support/model-notebook";

jest.setTimeout(240_000);

const KEY = "sk-test-embed-0123456789abcdef";
let server: ModelServer;
let direct: OpenAI;
let dir: string;
let kernel: KernelClient;
/** A second kernel on the notebook, in replay mode (started by the replay test, used again after it). */
let replay: KernelClient;
const kernels: KernelClient[] = [];

async function start(env: Record<string, string> = {}): Promise<KernelClient> {
  const started = await KernelClient.start({
    cwd: dir,
    env: {
      OPENAI_BASE_URL: server.url,
      OPENAI_API_KEY: KEY,
      WRONG_KEY: "sk-test-wrong-0123456789",
      LABTRAIL_NOTEBOOK: "lab.ipynb",
      ...env,
    },
  });
  kernels.push(started);
  return started;
}

beforeAll(async () => {
  // The server checks the key, so a wrong one gets a real 401.
  server = await ModelServer.start({ apiKey: KEY });
  direct = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
  dir = modelNotebookDir({
    header: { mode: "off" },
    models: {
      default: "fast",
      defaultEmbedding: "vectors",
      aliases: {
        fast: { model: "gpt-4o-mini" },
        vectors: { model: "text-embedding-3-small", params: { dimensions: 8 } },
        wrongkey: { model: "text-embedding-3-small", apiKeyEnv: "WRONG_KEY", maxRetries: 0 },
      },
    },
  });
  kernel = await start();
});
afterAll(async () => {
  for (const k of kernels) await k.stop();
  await server?.close();
});
beforeEach(() => server.reset());

/** What the cell printed as JSON (a long string's result would be shown by util.inspect, not as JSON). */
function printed<T = { query: number[]; docs: number[][] }>(exchange: Exchange): T {
  if (exchange.reply.content.status !== "ok") throw new Error(JSON.stringify(exchange.reply.content));
  return JSON.parse(streamText(exchange)) as T;
}

function resultOf(exchange: Exchange): string {
  if (exchange.reply.content.status !== "ok") throw new Error(JSON.stringify(exchange.reply.content));
  return messagesOfType(exchange, "execute_result")[0]?.content.data["text/plain"];
}
const shown = (exchange: Exchange): string[] => messagesOfType(exchange, "display_data").map((m) => m.content.data["text/plain"]);
const verdictOf = (exchange: Exchange) => exchange.reply.metadata.labtrail.verdict;

/** The vectors the server gives these texts, asked for directly (not through labtrail). */
async function serverVectors(texts: string[], dimensions = 8): Promise<number[][]> {
  const response = await direct.embeddings.create({ model: "text-embedding-3-small", input: texts, dimensions, encoding_format: "float" });
  return response.data.map((d) => d.embedding);
}

const SIMILARITY = [
  "// Tested: a query and two documents, embedded",
  'const query = await embed("the login button does nothing");',
  'const docs = await embed(["clicking sign-in has no effect", "dark mode colours are off"], { user: "u-1" });',
  "record({ n: docs.length, dims: query.length });",
  "console.log(JSON.stringify({ query, docs }));",
].join("\n");

test("embed(text) gives its vector and embed(texts) one per text, on the default embedding alias; one usage line; recorded", async () => {
  const run = await kernel.execute(SIMILARITY, { metadata: { cellId: "cell-similarity" } });
  const { query, docs } = printed(run);
  const requests = server.embeddingRequests().map((r) => r.body);
  // The alias's params, then the call's pass-through keys; floats asked for, so what is recorded is what was sent.
  expect(requests).toEqual([
    { model: "text-embedding-3-small", input: ["the login button does nothing"], dimensions: 8, encoding_format: "float" },
    {
      model: "text-embedding-3-small",
      input: ["clicking sign-in has no effect", "dark mode colours are off"],
      dimensions: 8,
      user: "u-1",
      encoding_format: "float",
    },
  ]);
  expect(query).toEqual((await serverVectors(["the login button does nothing"]))[0]);
  expect(docs).toEqual(await serverVectors(["clicking sign-in has no effect", "dark mode colours are off"]));
  expect(shown(run)).toEqual([
    "recorded n 2 · dims 8",
    expect.stringMatching(/^2 model calls · vectors → text-embedding-3-small ×2 · 15 in \/ 0 out tokens · .* total · all live$/),
    "new: the first recorded run of this cell",
  ]);
  const recordings = readdirSync(join(dir, "lab.labtrail", "recordings"));
  expect(recordings).toHaveLength(2);
});

test("a long array goes in batches of batchSize, in order; a failure part-way keeps the answered batches, a rerun asks for the rest", async () => {
  const texts = Array.from({ length: 7 }, (_, i) => `text number ${i}`);
  const cell = `const vectors = await embed(${JSON.stringify(texts)}, { batchSize: 3 });\nconsole.log(JSON.stringify(vectors));`;
  const vectors = printed<number[][]>(await kernel.execute(cell));
  expect(server.embeddingRequests().map((r) => r.body.input)).toEqual([texts.slice(0, 3), texts.slice(3, 6), texts.slice(6)]);
  expect(vectors).toEqual(await serverVectors(texts));

  server.reset();
  const more = Array.from({ length: 10 }, (_, i) => `another text ${i}`);
  const partial = `(await embed(${JSON.stringify(more)}, { batchSize: 4 })).length`;
  server.scriptEmbeddings({}, { status: 400, error: { message: "Something about batch two." } });
  const failed = await kernel.execute(partial);
  expect(failed.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
  expect(failed.reply.content.evalue).toBe(`${server.url} rejected the request (400): Something about batch two.`);
  expect(server.embeddingRequests()).toHaveLength(2);

  server.reset();
  expect(resultOf(await kernel.execute(partial))).toBe("10");
  // The first batch replays; only the two that had no answer are asked for.
  expect(server.embeddingRequests().map((r) => r.body.input)).toEqual([more.slice(4, 8), more.slice(8)]);
});

test("a fresh kernel replays offline: the same vectors, no request, reproduced; the run record and the export count the calls", async () => {
  const live = await kernel.execute(SIMILARITY, { metadata: { cellId: "cell-similarity" } });
  server.reset();
  replay = await start({ LABTRAIL_REPLAY_MODE: "replay" });
  const again = await replay.execute(SIMILARITY, { metadata: { cellId: "cell-similarity" } });
  expect(printed(again)).toEqual(printed(live));
  expect(server.requests).toHaveLength(0);
  expect(verdictOf(again)).toMatchObject({ kind: "reproduced" });
  expect(shown(again)[1]).toMatch(/· 15 in \/ 0 out tokens · .* · all replayed$/);

  const { records, problems } = parseRunsJsonl(readFileSync(join(dir, "lab.labtrail", "runs.jsonl"), "utf8"));
  expect(problems).toEqual([]);
  const last = records[records.length - 1];
  expect(last.calls.map((c) => [c.name, c.model, c.params, c.inputTokens, c.outputTokens, c.replayed, c.finishReason])).toEqual([
    ["vectors", "text-embedding-3-small", { model: "text-embedding-3-small", dimensions: 8 }, 5, 0, true, null],
    ["vectors", "text-embedding-3-small", { model: "text-embedding-3-small", dimensions: 8, user: "u-1" }, 10, 0, true, null],
  ]);
  expect(last.calls[0].answer).toMatch(/^1 vector × 8 dimensions: \[-?0\.\d+, -?0\.\d+, -?0\.\d+, -?0\.\d+, …\]$/);

  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: "code", id: "cell-similarity", source: SIMILARITY, metadata: {}, outputs: [], execution_count: null }],
  };
  writeFileSync(join(dir, "lab.ipynb"), JSON.stringify(notebook));
  expect(runCli(["export", "lab.ipynb"], { cwd: dir })).toMatchObject({ status: 0, stderr: "" });
  const draft = readFileSync(join(dir, "lab.design.md"), "utf8");
  expect(draft).toContain("| text-embedding-3-small | 2 | 15 / 0 | 2/2 | dims=8, n=2 |");
});

test("a recording tampered with is refused in replay mode, never replayed; record mode records it again", async () => {
  // Two recordings, one per kind of tampering: a kernel keeps a recording it has read.
  const swappedText = "a text whose recorded request is edited";
  const editedText = "a text whose recorded vector is edited";
  for (const text of [swappedText, editedText]) resultOf(await kernel.execute(`(await embed(${JSON.stringify(text)})).length`));
  const folder = join(dir, "lab.labtrail", "recordings");
  const fileOf = (text: string) =>
    readdirSync(folder)
      .map((f) => join(folder, f))
      .find((f) => f.endsWith(".json") && readFileSync(f, "utf8").includes(text))!;
  const swapped = fileOf(swappedText);
  const edited = fileOf(editedText);
  const swappedRecording = JSON.parse(readFileSync(swapped, "utf8"));
  writeFileSync(swapped, JSON.stringify({ ...swappedRecording, request: { ...swappedRecording.request, input: ["another text"] } }));
  const editedRecording = JSON.parse(readFileSync(edited, "utf8"));
  const sample = editedRecording.samples[0];
  writeFileSync(
    edited,
    JSON.stringify({
      ...editedRecording,
      samples: [{ ...sample, response: { ...sample.response, data: [{ index: 0, embedding: "AAAA" }] } }],
    }),
  );

  const other = await replay.execute(`await embed(${JSON.stringify(swappedText)})`);
  expect(other.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
  expect(other.reply.content.evalue).toContain(`the recording ${swapped} holds another request than the one it is filed under`);
  expect(other.reply.content.evalue).toContain('text "another text"');
  const notVectors = await replay.execute(`await embed(${JSON.stringify(editedText)})`);
  expect(notVectors.reply.content.evalue).toContain(`sample 1 of the recording ${edited} is not an embeddings response (data.0.embedding:`);
  expect(server.embeddingRequests()).toHaveLength(2);

  const record = await start({ LABTRAIL_REPLAY_MODE: "record" });
  const rerecorded = await record.execute(`(await embed(${JSON.stringify(editedText)})).length`);
  expect(resultOf(rerecorded)).toBe("8");
  expect(streamText(rerecorded, "stderr")).toContain("is not an embeddings response");
  expect(server.embeddingRequests()).toHaveLength(3);
  expect(readFileSync(edited, "utf8")).not.toContain('"AAAA"');
});

describe("errors are the chat calls' errors", () => {
  async function failure(code: string): Promise<string> {
    const exchange = await kernel.execute(code);
    expect(exchange.reply.content).toMatchObject({ status: "error", ename: "ModelCallError" });
    const evalue = String(exchange.reply.content.evalue);
    expect(JSON.stringify(exchange)).not.toContain(KEY);
    return evalue;
  }

  test("an unknown model is a 404 that names it and lists the aliases, as ask()'s does", async () => {
    const embedError = await failure('await embed("x", { model: "no-such-embedder" })');
    const askError = await failure('await ask("x", { model: "no-such-embedder" })');
    expect(embedError).toBe(askError);
    expect(embedError).toBe(
      `model "no-such-embedder" was not found at ${server.url} (404): The model \`no-such-embedder\` does not exist or you do not have access to it. (configured aliases: fast, vectors, wrongkey; %models lists them)`,
    );
  });

  test("a bad key is a 401 that names its variable; a refused parameter is the endpoint's 400", async () => {
    expect(await failure('await embed("x", { model: "wrongkey" })')).toBe(
      `${server.url} rejected the API key from WRONG_KEY (401): Incorrect API key provided.`,
    );
    expect(await failure('await embed("x", { model: "text-embedding-ada-002", dimensions: 8 })')).toBe(
      `${server.url} rejected the request (400): This model does not support specifying dimensions.`,
    );
  });

  test("bad input is one clear error before any request", async () => {
    expect(await failure('await embed(["fine", ""])')).toBe("embed(): texts[1] is empty; the embeddings API refuses empty input");
    expect(await failure('await embed("x", { temperature: 0 })')).toBe(
      "embed(): options.temperature is for chat models; embeddings take model, dimensions, batchSize, timeoutMs, maxRetries",
    );
    expect(await failure('await embed(["x"], { batchSize: 5000 })')).toBe(
      "embed(): options.batchSize must be between 1 and 2048, got 5000",
    );
    expect(await failure("await embed(42 as any)")).toBe("embed(): expected a string or an array of strings, got number");
    expect(server.embeddingRequests()).toHaveLength(0);
    expect(resultOf(await kernel.execute("JSON.stringify(await embed([]))"))).toBe("'[]'");
  });
});

test("misuse is a type error: a string's vector is number[], an array's number[][], and nothing else is an input", async () => {
  const typeError = async (code: string) => {
    const exchange = await kernel.execute(code);
    expect(exchange.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
    return String(exchange.reply.content.evalue);
  };
  expect(await typeError('const rows: number[][] = await embed("one text");')).toMatch(/TS2322: Type 'number\[\]' is not assignable/);
  expect(await typeError('const row: number[] = await embed(["a", "b"]);')).toMatch(/TS2322: Type 'number\[\]\[\]' is not assignable/);
  expect(await typeError("await embed(42);")).toMatch(/TS2769: No overload matches this call/);
  expect(await typeError('await embed("x", { dimensions: "8" });')).toMatch(/TS2769: No overload matches this call/);
  expect(server.requests).toHaveLength(0);
});
