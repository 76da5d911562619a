// embed(): texts to vectors through the SDK's `embeddings.create`, on the same aliases, keys, clients,
// errors and recordings as chat calls. A long array goes in batches, each its own recorded call, so a
// failure part-way keeps the batches already answered and a rerun asks only for the rest.
import type { EmbedOptions } from "../api/types";
import { hashValue } from "../records/hash";
import { currentItem, itemKeyed } from "./item-scope";
import type { ModelCallSummary } from "../records/model-call";
import { embeddingsResponseSchema, requestKey } from "../records/recordings";
import { describeFailure, ModelCallError } from "./call-errors";
import { type EmbedCallOptions, parseEmbedOptions } from "./call-options";
import type { CallScope, ModelCalls, ModelCallsOptions } from "./model-calls";
import type { AttemptCounter } from "./sdk-clients";
import { resolveTarget, type ModelTarget } from "./targets";

/** Texts per request when the call does not say: well under OpenAI's 2048, so one request stays small. */
export const DEFAULT_EMBEDDING_BATCH = 512;

/** One request's worth: the body as it is keyed and recorded, and how it is sent. */
interface EmbeddingRequest {
  body: Record<string, unknown> & { model: string; input: string[] };
  timeoutMs: number;
  maxRetries: number;
}

interface EmbeddingsResponse {
  model?: string;
  data: { index: number; embedding: number[] }[];
  usage?: { prompt_tokens?: number };
}

export class EmbeddingCalls {
  constructor(
    private readonly calls: ModelCalls,
    private readonly options: ModelCallsOptions,
  ) {}

  async embed(input: unknown, options: EmbedOptions): Promise<number[] | number[][]> {
    const texts = parseTexts(input);
    const opts = parseEmbedOptions(options);
    const target = resolveTarget(this.options.models, opts.model ?? this.options.models.defaultEmbedding, this.options.env);
    if (texts.length === 0) return [];
    const scope = this.options.scope();
    const settled = scope?.callStarted();
    try {
      const size = opts.batchSize ?? DEFAULT_EMBEDDING_BATCH;
      const vectors: number[][] = [];
      // One batch after another: a rate limit hits one request at a time, and a failure stops the rest.
      for (let at = 0; at < texts.length; at += size) {
        vectors.push(...(await this.embedBatch(scope, target, buildEmbeddingRequest(target, opts, texts.slice(at, at + size)))));
      }
      return typeof input === "string" ? vectors[0] : vectors;
    } finally {
      settled?.();
    }
  }

  private async embedBatch(scope: CallScope | undefined, target: ModelTarget, request: EmbeddingRequest): Promise<number[][]> {
    const item = currentItem();
    const bare = requestKey(request.body);
    const key = itemKeyed(bare, item?.tag);
    const requestHash = hashValue(key);
    const sample = scope ? scope.nextSample(requestHash) : 1;
    const order = scope ? this.calls.startCall(scope) : 0;
    const mode = this.options.replay?.mode() ?? "off";
    const recordings = mode === "off" ? null : (this.options.replay?.recordings() ?? null);
    const started = performance.now();
    const found = recordings && mode !== "refresh" ? recordings.lookup(requestHash, key, sample, "embeddings") : undefined;
    if (found?.kind === "invalid") {
      if (mode === "replay") {
        throw this.fail(
          "replay-miss",
          `replay mode: ${found.problem}; record it again with "%replay record" or "labtrail reproduce --mode record"`,
        );
      }
      scope?.warn(`labtrail: ${this.calls.redactor.redact(found.problem)}; recording this call again`);
    }
    let response = found?.kind === "hit" ? (found.response as unknown as EmbeddingsResponse) : undefined;
    const replayed = response !== undefined;
    let attempts = 0;
    if (!response && mode === "replay") {
      throw this.fail(
        "replay-miss",
        `replay mode: no recording of this request (embeddings, model "${target.model}", sample ${sample}, ${describeTexts(request.body.input)}, key ${requestHash.slice(0, 16)}); record it with "%replay record" or "labtrail reproduce --mode record"`,
      );
    }
    if (!response) {
      const live = await this.callLive(target, request, scope);
      response = live.response;
      attempts = live.attempts;
      if (recordings) {
        try {
          recordings.store(requestHash, key, sample, response as unknown as Record<string, unknown>);
        } catch (error) {
          scope?.warn(`labtrail: ${(error as Error).message}; the vectors are used, but will not replay`);
        }
      }
    }
    const vectors = inInputOrder(response, request.body.input.length);
    if (!vectors) {
      throw this.fail(
        "bad-response",
        `${target.baseURL} sent ${response.data.length} embeddings for ${request.body.input.length} texts, or not one per text (indexes 0 to ${request.body.input.length - 1})`,
      );
    }
    const { input: _input, ...params } = bare;
    const summary: ModelCallSummary = {
      ...(item ? { item: item.tag } : {}),
      name: target.name,
      model: response.model || target.model,
      inputTokens: response.usage?.prompt_tokens,
      // An embedding generates no tokens; 0 (not "unknown") keeps a cell's token totals summable.
      outputTokens: response.usage?.prompt_tokens === undefined ? undefined : 0,
      latencyMs: performance.now() - started,
      attempts,
      streamed: false,
      shown: false,
      replayed,
      params,
      requestHash,
      sample,
      // The vectors exactly as stored: a live answer and its replay compare equal.
      responseHash: hashValue(vectors),
      answer: describeVectors(vectors),
    };
    if (scope) this.calls.listCall(scope, order, summary);
    item?.onCall?.(summary);
    return vectors;
  }

  /** One request through the SDK (its retries, backoff, timeout), aborted with the cell. */
  private async callLive(
    target: ModelTarget,
    request: EmbeddingRequest,
    scope: CallScope | undefined,
  ): Promise<{ response: EmbeddingsResponse; attempts: number }> {
    const client = this.calls.clients.client(target.baseURL, this.calls.apiKey(target));
    const counter: AttemptCounter = { attempts: 0 };
    const call = this.calls.callSignal(scope);
    try {
      // Floats as JSON, not the SDK's default base64: servers that ignore encoding_format send floats
      // anyway (which the SDK would decode as base64, into garbage), and the recording keeps what was sent.
      const response = await this.calls.limits.run(target.alias, target.concurrency, call.signal, () =>
        this.calls.clients.counting(counter, () =>
          client.embeddings.create({ ...request.body, encoding_format: "float" } as never, {
            timeout: request.timeoutMs,
            maxRetries: request.maxRetries,
            signal: call.signal,
          }),
        ),
      );
      const checked = embeddingsResponseSchema.safeParse(response);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new Error(`${issue?.path.length ? `${issue.path.join(".")}: ` : ""}${issue?.message}`);
      }
      return { response: response as unknown as EmbeddingsResponse, attempts: counter.attempts };
    } catch (error) {
      throw describeFailure(error, {
        target: { ...target, timeoutMs: request.timeoutMs },
        attempts: counter.attempts,
        received: 0,
        aliases: Object.keys(this.options.models.aliases),
        redactor: this.calls.redactor,
        expected: "an embeddings response",
      });
    } finally {
      call.done();
    }
  }

  private fail(kind: ConstructorParameters<typeof ModelCallError>[0], message: string): ModelCallError {
    return new ModelCallError(kind, this.calls.redactor.redact(message));
  }
}

/** The alias's default parameters, then the call's: `dimensions` and unknown keys passed through, the texts as `input`. */
export function buildEmbeddingRequest(target: ModelTarget, options: EmbedCallOptions, texts: string[]): EmbeddingRequest {
  const { model: _model, timeoutMs, maxRetries, batchSize: _batchSize, ...passThrough } = options;
  return {
    body: { ...target.params, ...passThrough, model: target.model, input: texts },
    timeoutMs: timeoutMs ?? target.timeoutMs,
    maxRetries: maxRetries ?? target.maxRetries,
  };
}

/** A string, or an array of strings; an empty text is refused here, as the API would refuse it less clearly. */
function parseTexts(input: unknown): string[] {
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts)) {
    throw new ModelCallError(
      "bad-input",
      `embed(): expected a string or an array of strings, got ${input === null ? "null" : typeof input}`,
    );
  }
  texts.forEach((text, i) => {
    const where = typeof input === "string" ? "the text" : `texts[${i}]`;
    if (typeof text !== "string") {
      throw new ModelCallError("bad-input", `embed(): ${where} must be a string, got ${text === null ? "null" : typeof text}`);
    }
    if (text.trim() === "") throw new ModelCallError("bad-input", `embed(): ${where} is empty; the embeddings API refuses empty input`);
  });
  return texts as string[];
}

/** The vectors in the order of the texts (by each entry's `index`), or undefined unless there is exactly one per text. */
function inInputOrder(response: EmbeddingsResponse, count: number): number[][] | undefined {
  if (response.data.length !== count) return undefined;
  const vectors: number[][] = new Array(count);
  for (const entry of response.data) {
    if (entry.index >= count || vectors[entry.index] !== undefined) return undefined;
    vectors[entry.index] = entry.embedding;
  }
  return vectors;
}

/** Enough of a batch to recognise it in an error. */
function describeTexts(texts: string[]): string {
  const first = texts[0].replace(/\s+/g, " ").trim();
  const shown = `"${first.length > 60 ? `${first.slice(0, 59)}…` : first}"`;
  return texts.length === 1 ? `text ${shown}` : `${texts.length} texts from ${shown}`;
}

/** What a run record keeps of the vectors, so a drift reads as numbers: how many, how long, how the first begins. */
function describeVectors(vectors: number[][]): string {
  const first = vectors[0] ?? [];
  const start = first.slice(0, 4).map((x) => Number(x.toPrecision(6)));
  const count = `${vectors.length} vector${vectors.length === 1 ? "" : "s"} × ${first.length} dimensions`;
  return `${count}: [${start.join(", ")}${first.length > start.length ? ", …" : ""}]`;
}
