// A local stand-in for the OpenAI Chat Completions and Embeddings APIs. Tests start it on 127.0.0.1 (free port) and
// point the real `openai` SDK at `server.url`, so the kernel's model code is exercised over real
// HTTP — including the failure modes a remote API has (errors, rate limits, slow or cut streams,
// malformed bodies) — without a network or a key. Built on Node built-ins only.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * How real servers' streams differ from OpenAI's; each reproduces a shape seen in the wild, so a test
 * picks the one it is about (per reply, or for the whole server).
 */
export interface StreamQuirks {
  /** No delta carries a `role` (OpenAI sends role "assistant" first; many gateways and proxies do not). */
  noRole?: boolean;
  /** Azure OpenAI: a first chunk with `choices: []`, empty id and model, and `prompt_filter_results`. */
  azurePromptFilter?: boolean;
  /** The finish chunk's choice has no `delta` at all, only `finish_reason`. */
  finishWithoutDelta?: boolean;
  /** No usage anywhere, even when the request asks for it (`stream_options.include_usage`); unstreamed too. */
  noUsage?: boolean;
}

export interface ScriptedReply {
  /** HTTP status, default 200. */
  status?: number;
  /** Extra response headers (e.g. {"retry-after": "1"}). */
  headers?: Record<string, string>;
  /** For status >= 400: sent as {"error": {...}}; a default message by status when omitted. */
  error?: { message: string; type?: string; code?: string | null };
  /** Send exactly this body (content-type application/json) instead of a generated one. */
  rawBody?: string;
  /** Assistant content; generated when undefined (null when `toolCalls` or `refusal` are scripted). */
  content?: string | null;
  refusal?: string;
  /**
   * A reasoning model's thinking (DeepSeek, vLLM's reasoning parsers): `reasoning_content` of the
   * message, streamed as deltas before the answer's.
   */
  reasoning?: string;
  /** The field the reasoning goes under; default "reasoning_content" (newer vLLM and OpenRouter: "reasoning"). */
  reasoningField?: "reasoning_content" | "reasoning";
  /** Stream shapes other servers send; beats the server's own `quirks` key by key. */
  quirks?: StreamQuirks;
  /** Assistant tool calls (type "function"); finish_reason defaults to "tool_calls" when present. */
  toolCalls?: { id?: string; name: string; arguments: string }[];
  finishReason?: "stop" | "length" | "content_filter" | "tool_calls";
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Default "fp_labtrail_test". */
  systemFingerprint?: string;
  /** Wait before sending response headers (timeouts, interrupts); cancelled if the client leaves. */
  delayMs?: number;
  /** Streaming: wait between SSE chunks (default 5). */
  chunkDelayMs?: number;
  /** Streaming: destroy the socket after this many payload chunks (after the role chunk). */
  disconnectAfterChunks?: number;
  /** Destroy the socket without any response. */
  hangUp?: boolean;
  /** Put the request's Authorization header into the error message (secret-redaction tests). */
  echoAuthorization?: boolean;
}

export interface LoggedRequest {
  method: string;
  /** Path without query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw string if it is not JSON, undefined if empty. */
  body: any;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** True when the client closed the connection before the response finished. */
  aborted: boolean;
  /** The `x-request-id` header the server sent back, as OpenAI's API does, e.g. "req_3". */
  requestId: string;
}

/** What an embeddings request gets instead of its vectors (a failure, a wait, a broken body). */
export type EmbeddingReply = Pick<ScriptedReply, "status" | "headers" | "error" | "rawBody" | "delayMs" | "hangUp">;

export interface ModelServerOptions {
  /** Known model ids; default ["gpt-4o-mini", "gpt-4o", "test-model"]. */
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /**
   * Answers a chat request (its parsed body) when no scripted reply is queued; the default reply
   * otherwise. For servers that answer by content rather than by arrival order.
   */
  reply?: (body: Record<string, unknown>) => ScriptedReply;
  /** Stream shapes every reply has (a server that always behaves like that gateway). */
  quirks?: StreamQuirks;
  /**
   * Model ids that behave like OpenAI's reasoning models, besides the o1/o3/o4/gpt-5 ids that always do
   * (an Azure deployment named anything): they refuse `max_tokens` and a `temperature` other than 1
   * with OpenAI's 400s. Other models refuse `reasoning_effort`, as OpenAI's do.
   */
  reasoningModels?: string[];
  /**
   * Embedding model ids with the length of their vectors; default text-embedding-3-small (1536),
   * text-embedding-3-large (3072), both taking `dimensions`, and text-embedding-ada-002 (1536), which
   * refuses it, as OpenAI's do.
   */
  embeddingModels?: Record<string, { dimensions: number; shortens: boolean }>;
}

const DEFAULT_EMBEDDING_MODELS: Record<string, { dimensions: number; shortens: boolean }> = {
  "text-embedding-3-small": { dimensions: 1536, shortens: true },
  "text-embedding-3-large": { dimensions: 3072, shortens: true },
  "text-embedding-ada-002": { dimensions: 1536, shortens: false },
};
/** OpenAI's limit on texts per embeddings request. */
const MAX_EMBEDDING_INPUTS = 2048;

/** OpenAI's reasoning models, by id, as the API treats them. */
const REASONING_MODEL_ID = /^(o[134]|gpt-5)([.-]|$)/;

const CREATED = 1_700_000_000; // fixed so responses are deterministic
const CHAT_PATH = "/v1/chat/completions";
const EMBEDDINGS_PATH = "/v1/embeddings";

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Bad request.",
  401: "Incorrect API key provided.",
  403: "You are not allowed to sample from this model.",
  404: "Not found.",
  429: "Rate limit reached for requests.",
  500: "The server had an error while processing your request.",
  503: "The engine is currently overloaded.",
};

interface ApiError {
  message: string;
  type?: string;
  code?: string | null;
  /** The request parameter the error is about. */
  param?: string | null;
}

/** What the server reads of a chat request's parsed JSON body: any of it may be missing or mistyped. */
interface ChatBody {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
  messages?: unknown;
  response_format?: { type?: unknown; json_schema?: { schema?: unknown } };
  max_tokens?: unknown;
  temperature?: unknown;
  reasoning_effort?: unknown;
}

/** What the server reads of an embeddings request's body. */
interface EmbeddingsBody {
  model?: unknown;
  input?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
}

/**
 * A unit vector that depends only on the text: the model's full-length vector from SHA-256 of the text,
 * cut to `dimensions` and normalised again (as text-embedding-3 shortens), in float32 precision so floats
 * and base64 carry the same numbers. Equal texts, equal vectors; different texts, different ones.
 */
function embeddingOf(text: string, dimensions: number): number[] {
  // The full vector's first `dimensions` values: the blocks are the same whatever the length.
  const cut: number[] = [];
  for (let block = 0; cut.length < dimensions; block++) {
    const bytes = createHash("sha256").update(`${block}:${text}`).digest();
    for (let at = 0; at + 4 <= bytes.length && cut.length < dimensions; at += 4) cut.push(bytes.readUInt32BE(at) / 0xffffffff - 0.5);
  }
  const norm = Math.sqrt(cut.reduce((sum, x) => sum + x * x, 0)) || 1;
  return cut.map((x) => Math.fround(x / norm));
}

/** The subset of JSON Schema that structured outputs send, as exampleOf reads it. */
interface JsonSchema {
  $ref?: unknown;
  const?: unknown;
  enum?: unknown;
  anyOf?: unknown;
  oneOf?: unknown;
  allOf?: unknown;
  type?: unknown;
  properties?: Record<string, unknown>;
  items?: unknown;
  prefixItems?: unknown;
  minItems?: unknown;
  format?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
  minimum?: unknown;
  exclusiveMinimum?: unknown;
  maximum?: unknown;
  exclusiveMaximum?: unknown;
}

/** A chat message as far as the server reads it. */
type LooseMessage = { role?: unknown; content?: unknown } | null | undefined;

/** Per-request state shared by the handler steps. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  entry: LoggedRequest;
  /** Aborted when the client leaves or the server closes: ends every wait of this request. */
  signal: AbortSignal;
  /** Set before the server cuts the connection on purpose, so that is not logged as a client abort. */
  cutByServer: boolean;
}

export class ModelServer {
  readonly url: string;
  readonly requests: LoggedRequest[] = [];

  private readonly queue: ScriptedReply[] = [];
  private readonly embeddingQueue: EmbeddingReply[] = [];
  private readonly embeddingModels: Record<string, { dimensions: number; shortens: boolean }>;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<AbortController>();
  private readonly models: string[];
  private readonly apiKey: string | undefined;
  private readonly replyFor: ((body: Record<string, unknown>) => ScriptedReply) | undefined;
  private readonly quirks: StreamQuirks;
  private readonly reasoningModels: ReadonlySet<string>;
  private completionCount = 0;
  private requestCount = 0;
  /** TCP connections clients have opened since start (keep-alive reuse shows as fewer than requests). */
  connectionsOpened = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    options: ModelServerOptions,
  ) {
    this.models = options.models ?? ["gpt-4o-mini", "gpt-4o", "test-model"];
    this.apiKey = options.apiKey;
    this.replyFor = options.reply;
    this.quirks = options.quirks ?? {};
    this.reasoningModels = new Set(options.reasoningModels);
    this.embeddingModels = options.embeddingModels ?? DEFAULT_EMBEDDING_MODELS;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    // Tracked so close() can destroy keep-alive and in-flight connections instead of waiting on them.
    server.on("connection", (socket) => {
      this.connectionsOpened++;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("request", (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug here must surface in the test as a 500, not as a hung request.
        if (!res.headersSent && !res.destroyed) {
          sendError(res, 500, { message: `model-server bug: ${String(err)}`, type: "server_error" });
        } else {
          res.destroy();
        }
      });
    });
  }

  static async start(options: ModelServerOptions = {}): Promise<ModelServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return new ModelServer(server, options);
  }

  /** Only POST /v1/chat/completions requests. */
  chatRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === CHAT_PATH);
  }

  /** Only POST /v1/embeddings requests. */
  embeddingRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === EMBEDDINGS_PATH);
  }

  /** Queue replies for embeddings requests: each takes the next one; when empty, the vectors of its texts. */
  scriptEmbeddings(...replies: EmbeddingReply[]): void {
    this.embeddingQueue.push(...replies);
  }

  /** Queue replies: each chat-completions request takes the next one; when empty, the default reply. */
  script(...replies: ScriptedReply[]): void {
    this.queue.push(...replies);
  }

  /** Clears the queue and the log. */
  reset(): void {
    this.queue.length = 0;
    this.embeddingQueue.length = 0;
    this.requests.length = 0;
    this.completionCount = 0;
  }

  /** Closes the server; in-flight (even delayed) requests and keep-alive sockets are destroyed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const controller of this.inFlight) controller.abort();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const entry: LoggedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      headers: flattenHeaders(req),
      body: undefined,
      receivedAt: Date.now(),
      aborted: false,
      requestId: `req_${++this.requestCount}`,
    };
    // Every response carries one, errors included: openai-node reads it into APIError.requestID.
    res.setHeader("x-request-id", entry.requestId);
    // Logged on arrival so the log keeps arrival order even when bodies arrive at different speeds.
    this.requests.push(entry);

    const controller = new AbortController();
    this.inFlight.add(controller);
    const ex: Exchange = { req, res, entry, signal: controller.signal, cutByServer: false };
    res.on("close", () => {
      this.inFlight.delete(controller);
      // 'close' before 'finish' means the connection went away mid-response; only the client's doing
      // (abort, timeout, interrupt) counts, not our own hangUp / disconnect / close().
      if (!res.writableFinished && !ex.cutByServer && this.closing === undefined) entry.aborted = true;
      controller.abort();
    });

    const raw = await readBody(req);
    entry.body = parseBody(raw);

    if (entry.method === "POST" && entry.path === CHAT_PATH) {
      await this.chatCompletion(ex, raw);
    } else if (entry.method === "POST" && entry.path === EMBEDDINGS_PATH) {
      await this.embeddings(ex, raw);
    } else if (entry.method === "GET" && (entry.path === "/v1/models" || entry.path.startsWith("/v1/models/"))) {
      this.listModels(ex);
    } else {
      sendError(res, 404, {
        message: `Unknown request URL: ${entry.method} ${entry.path}.`,
        type: "invalid_request_error",
        code: "unknown_url",
      });
    }
  }

  private listModels({ req, res, entry }: Exchange): void {
    if (!this.authorized(req)) {
      sendError(res, 401, invalidApiKey());
      return;
    }
    const model = (id: string) => ({ id, object: "model", created: CREATED, owned_by: "labtrail-test" });
    if (entry.path === "/v1/models") {
      sendJson(res, 200, { object: "list", data: [...this.models, ...Object.keys(this.embeddingModels)].map(model) });
      return;
    }
    const id = decodeURIComponent(entry.path.slice("/v1/models/".length));
    if (!this.models.includes(id) && !Object.hasOwn(this.embeddingModels, id)) {
      sendError(res, 404, modelNotFound(id));
      return;
    }
    sendJson(res, 200, model(id));
  }

  // Order of checks, first match wins:
  //   1. invalid JSON body -> 400 (no scripted reply is consumed)
  //   2. take the next scripted reply (else options.reply's, else the default {})
  //   3. hangUp -> socket destroyed; delayMs -> wait (ends early if the client leaves)
  //   4. scripted status >= 400 or rawBody -> sent as scripted (so scripts beat the checks below)
  //   5. apiKey configured and Authorization wrong -> 401
  //   6. unknown model -> 404
  //   7. a parameter the model refuses (max_tokens or temperature ≠ 1 on a reasoning model,
  //      reasoning_effort on another) -> OpenAI's 400 naming it
  //   8. a completion (streamed when body.stream === true)
  private async chatCompletion(ex: Exchange, raw: string): Promise<void> {
    const { req, res, entry } = ex;
    const body = entry.body;
    if (raw.trim() === "" || typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendError(res, 400, {
        message: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
        type: "invalid_request_error",
      });
    }

    const reply = this.queue.shift() ?? this.replyFor?.(body as Record<string, unknown>) ?? {};
    const fail = (status: number, error: ApiError) => sendError(res, status, withEcho(error, reply, req), reply.headers);

    if (reply.hangUp) {
      ex.cutByServer = true;
      req.socket.destroy();
      return;
    }
    if (reply.delayMs && !(await sleep(reply.delayMs, ex.signal))) return;

    const status = reply.status ?? 200;
    if (reply.rawBody !== undefined) {
      res.writeHead(status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.rawBody);
      return;
    }
    if (status >= 400) return fail(status, defaultError(status, reply.error));
    if (!this.authorized(req)) return fail(401, invalidApiKey());
    if (typeof body.model !== "string" || body.model === "") {
      return fail(400, { message: "You must provide a model parameter.", type: "invalid_request_error" });
    }
    if (!this.models.includes(body.model)) return fail(404, modelNotFound(body.model));
    const refused = this.refusedParameter(body as ChatBody & { model: string });
    if (refused) return fail(400, refused);

    const quirks = { ...this.quirks, ...reply.quirks };
    const completion = this.buildCompletion(body, reply, quirks);
    if (body.stream === true) {
      await streamCompletion(ex, status, completion, body, reply, quirks);
    } else {
      sendJson(res, status, completion, reply.headers);
    }
  }

  // As chatCompletion, in the same order: bad JSON, the scripted reply, auth, model, then OpenAI's 400s
  // for the input and `dimensions`; else one vector per text, in `index` order, as floats or base64.
  private async embeddings(ex: Exchange, raw: string): Promise<void> {
    const { req, res, entry } = ex;
    const body = entry.body as EmbeddingsBody;
    if (raw.trim() === "" || typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendError(res, 400, {
        message: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
        type: "invalid_request_error",
      });
    }
    const reply = this.embeddingQueue.shift() ?? {};
    if (reply.hangUp) {
      ex.cutByServer = true;
      req.socket.destroy();
      return;
    }
    if (reply.delayMs && !(await sleep(reply.delayMs, ex.signal))) return;
    const status = reply.status ?? 200;
    if (reply.rawBody !== undefined) {
      res.writeHead(status, { "content-type": "application/json", ...reply.headers });
      res.end(reply.rawBody);
      return;
    }
    const fail = (code: number, error: ApiError) => sendError(res, code, error, reply.headers);
    if (status >= 400) return fail(status, defaultError(status, reply.error));
    if (!this.authorized(req)) return fail(401, invalidApiKey());
    if (typeof body.model !== "string" || body.model === "") {
      return fail(400, { message: "You must provide a model parameter.", type: "invalid_request_error" });
    }
    const model = Object.hasOwn(this.embeddingModels, body.model) ? this.embeddingModels[body.model] : undefined;
    if (!model) return fail(404, modelNotFound(body.model));
    const texts = typeof body.input === "string" ? [body.input] : body.input;
    if (
      !Array.isArray(texts) ||
      texts.length === 0 ||
      texts.length > MAX_EMBEDDING_INPUTS ||
      texts.some((t) => typeof t !== "string" || t === "")
    ) {
      return fail(400, {
        message: `'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.`,
        type: "invalid_request_error",
        param: "input",
      });
    }
    let dimensions = model.dimensions;
    if (body.dimensions !== undefined) {
      if (!model.shortens) {
        return fail(400, {
          message: "This model does not support specifying dimensions.",
          type: "invalid_request_error",
          param: "dimensions",
        });
      }
      if (
        typeof body.dimensions !== "number" ||
        !Number.isInteger(body.dimensions) ||
        body.dimensions < 1 ||
        body.dimensions > model.dimensions
      ) {
        return fail(400, {
          message: `Invalid value for 'dimensions' = ${JSON.stringify(body.dimensions)}. Must be between 1 and ${model.dimensions}.`,
          type: "invalid_request_error",
          param: "dimensions",
        });
      }
      dimensions = body.dimensions;
    }
    const base64 = body.encoding_format === "base64";
    const data = (texts as string[]).map((text, index) => {
      const vector = embeddingOf(text, dimensions);
      return {
        object: "embedding",
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
      };
    });
    const tokens = (texts as string[]).reduce((sum, text) => sum + Math.max(1, countWords(text)), 0);
    sendJson(
      res,
      status,
      { object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
      reply.headers,
    );
  }

  private authorized(req: IncomingMessage): boolean {
    return this.apiKey === undefined || req.headers.authorization === `Bearer ${this.apiKey}`;
  }

  /** OpenAI's 400 for a parameter this model does not take, word for word; undefined when it takes them all. */
  private refusedParameter(body: ChatBody & { model: string }): ApiError | undefined {
    const reasoning = REASONING_MODEL_ID.test(body.model) || this.reasoningModels.has(body.model);
    const type = "invalid_request_error";
    if (reasoning && body.max_tokens !== undefined) {
      return {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        type,
        param: "max_tokens",
        code: "unsupported_parameter",
      };
    }
    if (reasoning && body.temperature !== undefined && body.temperature !== 1) {
      return {
        message: `Unsupported value: 'temperature' does not support ${JSON.stringify(body.temperature)} with this model. Only the default (1) value is supported.`,
        type,
        param: "temperature",
        code: "unsupported_value",
      };
    }
    if (!reasoning && body.reasoning_effort !== undefined) {
      return {
        message: "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
        type,
        param: "reasoning_effort",
        code: "unsupported_parameter",
      };
    }
    return undefined;
  }

  private buildCompletion(body: ChatBody & { model: string }, reply: ScriptedReply, quirks: StreamQuirks): Completion {
    const n = ++this.completionCount;
    const toolCalls = reply.toolCalls?.map((call, i) => ({
      id: call.id ?? `call_test_${n}_${i}`,
      type: "function" as const,
      function: { name: call.name, arguments: call.arguments },
    }));
    // Like the real API, a tool-call or refusal turn has no text unless the script gives one.
    const content =
      reply.content !== undefined ? reply.content : toolCalls?.length || reply.refusal !== undefined ? null : defaultContent(body);
    const messages: LooseMessage[] = Array.isArray(body.messages) ? body.messages : [];
    const promptTokens = Math.max(1, countWords(messages.map((m) => textOf(m?.content)).join(" ")));
    const completionTokens = Math.max(1, countWords(content ?? ""));
    const usage = reply.usage ?? { prompt_tokens: promptTokens, completion_tokens: completionTokens };
    return {
      id: `chatcmpl-test-${n}`,
      object: "chat.completion",
      created: CREATED,
      model: body.model,
      system_fingerprint: reply.systemFingerprint ?? "fp_labtrail_test",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content,
            refusal: reply.refusal ?? null,
            ...(reply.reasoning !== undefined ? { [reply.reasoningField ?? "reasoning_content"]: reply.reasoning } : {}),
            ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: reply.finishReason ?? (toolCalls?.length ? "tool_calls" : "stop"),
          logprobs: null,
        },
      ],
      ...(quirks.noUsage ? {} : { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
    };
  }
}

interface Completion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    message: {
      role: "assistant";
      content: string | null;
      refusal: string | null;
      reasoning_content?: string;
      reasoning?: string;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    };
    finish_reason: string;
    logprobs: null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

// Streams a built completion the way the API does: a role chunk, payload chunks (reasoning, then
// content, a word at a time, then refusal, then tool calls), a finish chunk, an optional usage chunk,
// then [DONE]. The quirks change that shape as other servers do.
async function streamCompletion(
  ex: Exchange,
  status: number,
  completion: Completion,
  body: ChatBody,
  reply: ScriptedReply,
  quirks: StreamQuirks,
): Promise<void> {
  const { res, signal } = ex;
  const { message, finish_reason } = completion.choices[0]!;
  const includeUsage = body.stream_options?.include_usage === true && !quirks.noUsage;
  const chunk = (delta: object | undefined, finishReason: string | null = null) => ({
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
    system_fingerprint: completion.system_fingerprint,
    choices: [{ index: 0, ...(delta ? { delta } : {}), logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });

  const payload: object[] = [];
  const reasoningField = reply.reasoningField ?? "reasoning_content";
  for (const piece of splitWords(message[reasoningField] ?? "")) payload.push(chunk({ [reasoningField]: piece, content: null }));
  for (const piece of splitWords(message.content ?? "")) payload.push(chunk({ content: piece }));
  if (message.refusal !== null) payload.push(chunk({ refusal: message.refusal }));
  message.tool_calls?.forEach((call, index) => {
    payload.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }));
    if (call.function.arguments !== "") {
      payload.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }));
    }
  });

  res.writeHead(status, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...reply.headers,
  });
  const delay = reply.chunkDelayMs ?? 5;
  let first = true;
  const send = async (data: object | string): Promise<boolean> => {
    if (!first && !(await sleep(delay, signal))) return false;
    first = false;
    res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
    return true;
  };

  if (quirks.azurePromptFilter) {
    const filtered = { hate: { filtered: false, severity: "safe" }, self_harm: { filtered: false, severity: "safe" } };
    const prelude = {
      id: "",
      object: "",
      created: 0,
      model: "",
      choices: [],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: filtered }],
    };
    if (!(await send(prelude))) return;
  }
  if (!quirks.noRole && !(await send(chunk({ role: "assistant", content: "" })))) return;
  for (const [i, data] of payload.entries()) {
    if (i === reply.disconnectAfterChunks) break;
    if (!(await send(data))) return;
  }
  // The cut happens before the finish chunk even if the payload ran out first, so it is always mid-way.
  if (reply.disconnectAfterChunks !== undefined) {
    if (!(await sleep(delay, signal))) return;
    ex.cutByServer = true;
    res.destroy();
    return;
  }
  if (!(await send(chunk(quirks.finishWithoutDelta ? undefined : {}, finish_reason)))) return;
  if (includeUsage && completion.usage) {
    const { choices: _, ...rest } = chunk({});
    if (!(await send({ ...rest, choices: [], usage: completion.usage }))) return;
  }
  if (!(await send("[DONE]"))) return;
  res.end();
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is cleared). */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    // On a client abort mid-body we still resolve: the 'close' handler has marked the entry aborted.
    const done = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("end", done);
    req.on("close", done);
  });
}

function parseBody(raw: string): any {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, error: ApiError, headers?: Record<string, string>): void {
  sendJson(
    res,
    status,
    {
      error: { message: error.message, type: error.type ?? "invalid_request_error", param: error.param ?? null, code: error.code ?? null },
    },
    headers,
  );
}

function defaultError(status: number, error: ScriptedReply["error"]): ApiError {
  if (error) return error;
  const type = status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
  const code = status === 401 ? "invalid_api_key" : status === 429 ? "rate_limit_exceeded" : null;
  return { message: DEFAULT_MESSAGES[status] ?? `Error ${status}`, type, code };
}

function withEcho(error: ApiError, reply: ScriptedReply, req: IncomingMessage): ApiError {
  if (!reply.echoAuthorization) return error;
  return { ...error, message: `${error.message} (received Authorization: ${req.headers.authorization ?? ""})` };
}

function invalidApiKey(): ApiError {
  return { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" };
}

function modelNotFound(model: string): ApiError {
  return {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: "invalid_request_error",
    code: "model_not_found",
  };
}

/** Text of a message content: a string, or an array of parts whose text parts are joined. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p) => p && typeof p === "object" && typeof p.text === "string")
    .map((p) => p.text as string)
    .join("\n");
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** One word with its following whitespace per piece, so a stream has several chunks to reassemble. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
}

function defaultContent(body: ChatBody): string {
  const format = body.response_format;
  if (format?.type === "json_schema") {
    const schema = format.json_schema?.schema ?? {};
    return JSON.stringify(exampleOf(schema, schema, 0, 0));
  }
  const messages: LooseMessage[] = Array.isArray(body.messages) ? body.messages : [];
  const lastUser = [...messages].reverse().find((m) => m?.role === "user");
  return `Echo: ${textOf(lastUser?.content)}`;
}

// Past this nesting depth, recursive schemas are cut short: arrays become [] and nullable picks null.
const MAX_DEPTH = 6;

/** A minimal instance valid against a JSON schema (best-effort: the subset structured outputs use). */
function exampleOf(node: unknown, root: unknown, depth: number, refHops: number): unknown {
  if (node === null || typeof node !== "object") return null;
  const schema = node as JsonSchema;
  if (typeof schema.$ref === "string") {
    if (refHops > 32) return null;
    return exampleOf(resolveRef(root, schema.$ref), root, depth, refHops + 1);
  }
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options) && options.length > 0) {
    const isNull = (o: JsonSchema | null | undefined) => o?.type === "null";
    const pick = depth >= MAX_DEPTH ? options.find(isNull) : undefined;
    return exampleOf(pick ?? options.find((o) => !isNull(o)) ?? options[0], root, depth, refHops);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const parts = schema.allOf.map((s: unknown) => exampleOf(s, root, depth, refHops));
    const objects = parts.every((p: unknown) => p !== null && typeof p === "object" && !Array.isArray(p));
    return objects ? Object.assign({}, ...parts) : parts[0];
  }

  let type: unknown = schema.type;
  if (Array.isArray(type)) {
    type = depth >= MAX_DEPTH && type.includes("null") ? "null" : (type.find((t: string) => t !== "null") ?? "null");
  }
  type ??= schema.properties ? "object" : schema.items || schema.prefixItems ? "array" : undefined;

  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        out[key] = exampleOf(sub, root, depth + 1, refHops);
      }
      return out;
    }
    case "array": {
      const tuple = schema.prefixItems ?? (Array.isArray(schema.items) ? schema.items : undefined);
      if (Array.isArray(tuple)) return tuple.map((s: unknown) => exampleOf(s, root, depth + 1, refHops));
      if (depth >= MAX_DEPTH && !(typeof schema.minItems === "number" && schema.minItems > 0)) return [];
      return [exampleOf(schema.items ?? {}, root, depth + 1, refHops)];
    }
    case "string":
      return exampleString(schema);
    case "integer":
    case "number":
      return exampleNumber(schema, type === "integer");
    case "boolean":
      return true;
    default:
      return null;
  }
}

function exampleString(schema: JsonSchema): string {
  const byFormat: Record<string, string> = {
    "date-time": "2023-11-14T22:13:20Z",
    date: "2023-11-14",
    time: "22:13:20",
    email: "user@example.com",
    uri: "https://example.com",
    uuid: "00000000-0000-4000-8000-000000000000",
  };
  let text = (typeof schema.format === "string" ? byFormat[schema.format] : undefined) ?? "example";
  if (typeof schema.minLength === "number" && text.length < schema.minLength) text = text.padEnd(schema.minLength, "x");
  if (typeof schema.maxLength === "number" && text.length > schema.maxLength) text = text.slice(0, schema.maxLength);
  return text;
}

function exampleNumber(schema: JsonSchema, integer: boolean): number {
  let n = 1;
  if (typeof schema.minimum === "number" && n < schema.minimum) n = schema.minimum;
  if (typeof schema.exclusiveMinimum === "number" && n <= schema.exclusiveMinimum) n = schema.exclusiveMinimum + 1;
  if (typeof schema.maximum === "number" && n > schema.maximum) n = schema.maximum;
  if (typeof schema.exclusiveMaximum === "number" && n >= schema.exclusiveMaximum) n = schema.exclusiveMaximum - 1;
  return integer ? Math.ceil(n) : n;
}

/** Resolves a local JSON pointer ("#", "#/$defs/X", "#/definitions/X"); anything else gives {}. */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return {};
  let node = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return {};
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
