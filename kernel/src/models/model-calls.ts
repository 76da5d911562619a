// The model helpers' implementation: resolve the model, build the request, call the endpoint through
// the openai SDK (its retries, backoff, timeouts and streaming), account for the call, and turn every
// failure into one clear error.
import type { AssistantMessage, ChatMessage, EmbedOptions, ModelOptions, SchemaLike, StructuredOptions } from "../api/types";
import type { HelperRuntime, Presentation } from "../api/runtime";
import type { ModelsConfig } from "../config";
import type { Display } from "../api/display";
import { AnswerView, jsonMarkdown } from "./answer-view";
import { describeFailure, ModelCallError, StructuredOutputError } from "./call-errors";
import { buildRequest, parseMessages, parseOptions, parsePrompt, type CallOptions, type PreparedRequest } from "./call-options";
import { envRedactor, type Redactor } from "../core";
import { openaiParser, openaiZod, type ChatCompletion } from "./sdk";
import { SdkClients, type AttemptCounter } from "./sdk-clients";
import { EmbeddingCalls } from "./embeddings";
import { reasoningOf, streamCompletion } from "./completion-stream";
import { spellTokenLimit, TokenLimits, tokenLimitIn } from "./reasoning-models";
import { keyVariables, resolveTarget, type ModelTarget } from "./targets";
import { hashValue } from "../records/hash";
import type { ReplayMode } from "../config";
import { requestKey, type Recordings } from "../records/recordings";
import type { ModelCallSummary } from "../records/model-call";
import { formatUsageLine } from "./usage-line";
import { ConcurrencyLimits, currentItem, itemKeyed } from "./item-scope";

/** What a call needs from the cell it runs in. */
export interface CallScope {
  /** Aborted when the cell is interrupted. */
  readonly signal: AbortSignal;
  readonly display: Display;
  /** Every call the cell made, in order. */
  readonly modelCalls: ModelCallSummary[];
  /** Numbers repeated identical requests within the cell: 1, 2, 3 … */
  nextSample(requestHash: string): number;
  /** A problem worth a line in the cell that does not fail it. */
  warn(text: string): void;
  /** Says a call of the cell's has started; the returned function says it has settled. */
  callStarted(): () => void;
}

/** Where recorded answers come from and go to, and in which mode. */
export interface ReplaySettings {
  mode(): ReplayMode;
  /**
   * The notebook's recordings as they are now (it may have been renamed since the last call); null
   * when the kernel does not know its notebook (nowhere to keep recordings).
   */
  recordings(): Recordings | null;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface ModelCallsOptions {
  models: ModelsConfig;
  env: Env;
  /** Applied to every message about a call; by default, one for the configured key variables. */
  redactor?: Redactor;
  /** The cell the current call belongs to (undefined outside any cell). */
  scope(): CallScope | undefined;
  replay?: ReplaySettings;
}

interface Completed {
  completion: ChatCompletion;
  summary: ModelCallSummary;
  view?: AnswerView;
}

const RAW_OUTPUT_SHOWN = 2000;

/** Enough of a request to recognise it in an error, without dumping the whole prompt. */
function describeMessages(messages: unknown[]): string {
  const last = messages[messages.length - 1] as { content?: unknown } | undefined;
  const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  const first = text.replace(/\s+/g, " ").trim();
  return `prompt "${first.length > 60 ? `${first.slice(0, 59)}…` : first}"`;
}

export class ModelCalls implements Omit<HelperRuntime, "record" | "evaluate" | "judge"> {
  readonly redactor: Redactor;
  /** Per cell: the calls in flight, aborted together by one listener on the cell's signal. */
  private readonly inFlight = new WeakMap<AbortSignal, Set<AbortController>>();
  /** Per cell: how many calls it started, and the start positions of those already listed. */
  private readonly callOrder = new WeakMap<CallScope, { next: number; listed: number[] }>();
  /** Shared with embeddings.ts, as are startCall, listCall, callSignal and apiKey. */
  readonly clients = new SdkClients();
  /** The token limit's spelling per endpoint and model, as learned from the endpoints' 400s. */
  private readonly tokenLimits = new TokenLimits();
  private readonly embeddings: EmbeddingCalls;
  /** Live requests at once per alias, as the config limits them. */
  readonly limits = new ConcurrencyLimits();

  constructor(private readonly options: ModelCallsOptions) {
    this.redactor = options.redactor ?? envRedactor(() => keyVariables(options.models), options.env);
    this.embeddings = new EmbeddingCalls(this, options);
  }

  embed(input: string | string[], options: EmbedOptions): Promise<number[] | number[][]> {
    return this.embeddings.embed(input, options);
  }

  async ask(prompt: string, options: ModelOptions, presentation: Presentation): Promise<string> {
    const text = parsePrompt("ask", prompt);
    const call = await this.complete(parseOptions("ask", options), [{ role: "user", content: text }], presentation);
    const answer = this.answerOf(call);
    if (answer.refusal) throw this.fail("refusal", `the model refused: ${answer.refusal}`);
    const content = answer.content ?? "";
    // The reasoning is shown above the answer, never part of it (nor of the --as binding).
    call.view?.finish(content, formatUsageLine(call.summary), reasoningOf(call.completion.choices[0].message));
    const { model, inputTokens, outputTokens, latencyMs, replayed } = call.summary;
    presentation.onUsage?.({ model, inputTokens, outputTokens, latencyMs, replayed });
    return content;
  }

  async chat(messages: ChatMessage[], options: ModelOptions): Promise<AssistantMessage> {
    const checked = parseMessages("chat", messages);
    const call = await this.complete(parseOptions("chat", options), checked, { stream: false });
    return this.answerOf(call);
  }

  async structured(
    schema: SchemaLike,
    input: string | ChatMessage[],
    options: StructuredOptions,
    presentation: Presentation,
  ): Promise<unknown> {
    const opts = parseOptions("structured", options);
    const messages =
      typeof input === "string" ? [{ role: "user", content: parsePrompt("structured", input) }] : parseMessages("structured", input);
    const name = opts.schemaName ?? "result";
    const responseFormat = this.responseFormat(schema, name);
    // Structured answers are not streamed: half a JSON object is not worth showing.
    const call = await this.complete(opts, messages, { stream: false }, presentation.stream, responseFormat);
    const message = this.answerOf(call);
    if (message.refusal) throw this.fail("refusal", `the model refused: ${message.refusal}`);
    const raw = message.content ?? "";
    let value: unknown;
    try {
      value = openaiParser().parseChatCompletion(call.completion, { ...call.request.body, response_format: responseFormat } as never)
        .choices[0].message.parsed;
    } catch (error) {
      throw this.invalidOutput(error, name, raw);
    }
    call.view?.finish(jsonMarkdown(value), formatUsageLine(call.summary), reasoningOf(call.completion.choices[0].message));
    return value;
  }

  private responseFormat(schema: SchemaLike, name: string): object {
    const s = schema as { _zod?: { def?: { type?: string } }; _def?: { typeName?: string } } | null;
    const isObject = s?._zod?.def?.type === "object" || s?._def?.typeName === "ZodObject";
    if (!isObject) {
      throw this.fail(
        "bad-input",
        "structured(): the schema must be a zod object schema, z.object({ … }): the API's structured output needs an object at the root",
      );
    }
    try {
      return openaiZod().zodResponseFormat(schema as never, name);
    } catch (error) {
      throw this.fail("bad-input", `structured(): the schema cannot be sent as structured output: ${(error as Error).message}`);
    }
  }

  private async complete(
    options: CallOptions,
    messages: unknown[],
    presentation: Presentation,
    showResult = presentation.stream,
    responseFormat?: object,
  ): Promise<Completed & { request: PreparedRequest; target: ModelTarget }> {
    const scope = this.options.scope();
    const settled = scope?.callStarted();
    try {
      return await this.completeIn(scope, options, messages, presentation, showResult, responseFormat);
    } finally {
      settled?.();
    }
  }

  private async completeIn(
    scope: CallScope | undefined,
    options: CallOptions,
    messages: unknown[],
    presentation: Presentation,
    showResult: boolean,
    responseFormat?: object,
  ): Promise<Completed & { request: PreparedRequest; target: ModelTarget }> {
    const target = resolveTarget(this.options.models, options.model, this.options.env);
    const request = buildRequest(target, options, messages);
    if (responseFormat) request.body.response_format = responseFormat;
    // Inside an evaluate() item the request is keyed by the item too, so samples replay per item.
    const item = currentItem();
    const bare = requestKey(request.body);
    const key = itemKeyed(bare, item?.tag);
    const requestHash = hashValue(key);
    const sample = scope ? scope.nextSample(requestHash) : 1;
    // Calls are listed in the order the cell made them, not the order they finished in.
    const order = scope ? this.startCall(scope) : 0;
    const mode = this.options.replay?.mode() ?? "off";
    const recordings = mode === "off" ? null : (this.options.replay?.recordings() ?? null);

    const view = showResult && scope ? new AnswerView(scope.display, target.name) : undefined;
    const started = performance.now();
    let attempts = 0;
    const found = recordings && mode !== "refresh" ? recordings.lookup(requestHash, key, sample) : undefined;
    if (found?.kind === "invalid") {
      if (mode === "replay") {
        view?.abandon();
        throw this.fail(
          "replay-miss",
          `replay mode: ${found.problem}; record it again with "%replay record" or "labtrail reproduce --mode record"`,
        );
      }
      scope?.warn(`labtrail: ${this.redactor.redact(found.problem)}; recording this call again`);
    }
    let completion = found?.kind === "hit" ? (found.response as unknown as ChatCompletion) : undefined;
    const replayed = completion !== undefined;
    if (!completion && mode === "replay") {
      view?.abandon();
      throw this.fail(
        "replay-miss",
        `replay mode: no recording of this request (model "${target.model}", sample ${sample}, ${describeMessages(messages)}, key ${requestHash.slice(0, 16)}); record it with "%replay record" or "labtrail reproduce --mode record"`,
      );
    }
    if (!completion) {
      const live = await this.callLive(target, request, presentation, view, scope);
      completion = live.completion;
      attempts = live.attempts;
      if (recordings) {
        try {
          recordings.store(requestHash, key, sample, completion as unknown as Record<string, unknown>);
        } catch (error) {
          scope?.warn(`labtrail: ${(error as Error).message}; the answer is used, but will not replay`);
        }
      }
    }
    const { messages: _messages, ...params } = bare;
    const summary: ModelCallSummary = {
      ...(item ? { item: item.tag } : {}),
      name: target.name,
      model: completion.model || target.model,
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
      latencyMs: performance.now() - started,
      attempts,
      finishReason: completion.choices?.[0]?.finish_reason ?? undefined,
      systemFingerprint: completion.system_fingerprint ?? undefined,
      streamed: presentation.stream,
      shown: view !== undefined,
      replayed,
      params,
      requestHash,
      sample,
      // Hashed as the recording stores it, so a live answer and its replay compare equal.
      responseHash: hashValue(
        this.redactor.redactKnownValue((completion.choices ?? []).map((c) => ({ message: c.message, finish_reason: c.finish_reason }))),
      ),
      answer: answerText(completion),
    };
    if (scope) this.listCall(scope, order, summary);
    item?.onCall?.(summary);
    const call = { completion, summary, view, request, target };
    try {
      this.checkFinish(call);
    } catch (error) {
      view?.abandon();
      throw error;
    }
    return call;
  }

  /**
   * One call to the endpoint through the SDK (its retries, backoff, timeout), streamed or not. The token
   * limit goes out spelt as the endpoint takes it; an endpoint that refuses that spelling by name gets
   * the call once more with the other one, and keeps it for the rest of the kernel's life.
   */
  private async callLive(
    target: ModelTarget,
    request: PreparedRequest,
    presentation: Presentation,
    view: AnswerView | undefined,
    scope: CallScope | undefined,
  ): Promise<{ completion: ChatCompletion; attempts: number }> {
    const client = this.clients.client(target.baseURL, this.apiKey(target));
    const counter: AttemptCounter = { attempts: 0 };
    let received = 0;
    const call = this.callSignal(scope);
    const options = { timeout: request.timeoutMs, maxRetries: request.maxRetries, signal: call.signal };
    const send = (body: Record<string, unknown>): Promise<ChatCompletion> =>
      this.limits.run(target.alias, target.concurrency, call.signal, () =>
        this.clients.counting(counter, () =>
          presentation.stream
            ? streamCompletion(client, { body, ...options }, (progress) => {
                received = progress.answer.length;
                view?.update(progress.answer, progress.reasoning);
              })
            : client.chat.completions.create(body as never, options),
        ),
      );
    let spelling = this.tokenLimits.spellingFor(target);
    try {
      try {
        return { completion: await send(spellTokenLimit(request.body, spelling)), attempts: counter.attempts };
      } catch (error) {
        const other = tokenLimitIn(request.body) ? this.tokenLimits.learn(target, spelling, error) : undefined;
        if (!other) throw error;
        spelling = other;
        return { completion: await send(spellTokenLimit(request.body, spelling)), attempts: counter.attempts };
      }
    } catch (error) {
      view?.abandon();
      throw describeFailure(error, {
        target: { ...target, timeoutMs: request.timeoutMs },
        attempts: counter.attempts,
        received,
        aliases: Object.keys(this.options.models.aliases),
        redactor: this.redactor,
      });
    } finally {
      call.done();
    }
  }

  /**
   * A signal for one call that aborts with the cell's. The cell's signal gets one listener however many
   * calls run at once (one listener per call trips Node's MaxListeners warning at eleven).
   */
  callSignal(scope: CallScope | undefined): { signal: AbortSignal | undefined; done(): void } {
    if (!scope) return { signal: undefined, done: () => {} };
    let calls = this.inFlight.get(scope.signal);
    if (!calls) {
      const set = new Set<AbortController>();
      calls = set;
      this.inFlight.set(scope.signal, set);
      scope.signal.addEventListener(
        "abort",
        () => {
          for (const controller of set) controller.abort(scope.signal.reason);
        },
        { once: true },
      );
    }
    const controller = new AbortController();
    if (scope.signal.aborted) controller.abort(scope.signal.reason);
    const active = calls;
    active.add(controller);
    return { signal: controller.signal, done: () => active.delete(controller) };
  }

  startCall(scope: CallScope): number {
    const started = this.callOrder.get(scope) ?? { next: 0, listed: [] };
    this.callOrder.set(scope, started);
    return started.next++;
  }

  /** Puts the call's summary among the scope's calls (all listed here) at the place its start gave it. */
  listCall(scope: CallScope, order: number, summary: ModelCallSummary): void {
    const listed = this.callOrder.get(scope)?.listed ?? [];
    let at = listed.length;
    while (at > 0 && listed[at - 1] > order) at--;
    listed.splice(at, 0, order);
    scope.modelCalls.splice(at, 0, summary);
  }

  /** The assistant message, in the shape cells see. */
  private answerOf(call: Completed & { target: ModelTarget }): AssistantMessage {
    const message = call.completion.choices[0].message;
    const answer: AssistantMessage = { role: "assistant", content: message.content ?? null };
    if (message.tool_calls?.length) answer.tool_calls = message.tool_calls as AssistantMessage["tool_calls"];
    if (message.refusal) answer.refusal = message.refusal;
    return answer;
  }

  private checkFinish(call: Completed & { request: PreparedRequest; target: ModelTarget }): void {
    const choice = call.completion.choices?.[0];
    if (!choice?.message) throw this.fail("bad-response", `${call.target.baseURL} sent a completion without an answer (no choices)`);
    const length = choice.message.content?.length ?? 0;
    if (choice.finish_reason === "length") {
      const limit = call.request.body.max_tokens ?? call.request.body.max_completion_tokens;
      throw this.fail(
        "length",
        `the answer was cut off at ${limit !== undefined ? `max_tokens ${String(limit)}` : "the model's token limit"} after ${length} characters (finish_reason "length"); raise maxTokens (--max-tokens in %%ask)`,
      );
    }
    if (choice.finish_reason === "content_filter") {
      throw this.fail(
        "content-filter",
        `the endpoint's content filter stopped the answer after ${length} characters (finish_reason "content_filter")`,
      );
    }
  }

  private invalidOutput(error: unknown, schemaName: string, raw: string): ModelCallError {
    const shown = this.redactor.redact(
      raw.length > RAW_OUTPUT_SHOWN ? `${raw.slice(0, RAW_OUTPUT_SHOWN)}… (${raw.length} characters)` : raw,
    );
    if (error instanceof SyntaxError) {
      return new StructuredOutputError(`the model's output is not valid JSON (${error.message}); raw output:\n${shown}`, raw, [
        error.message,
      ]);
    }
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (Array.isArray(issues)) {
      const lines = issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "(root)"}: ${i.message}`);
      return new StructuredOutputError(
        `the model's output does not match the schema "${schemaName}":\n${lines.map((l) => `  - ${l}`).join("\n")}\nraw output:\n${shown}`,
        raw,
        lines,
      );
    }
    return this.fail(
      "invalid-output",
      `the model's output could not be parsed: ${(error as Error).message ?? error}; raw output:\n${shown}`,
    );
  }

  apiKey(target: ModelTarget): string {
    // An endpoint without auth still gets a placeholder: the SDK insists on some key.
    if (target.apiKeyEnv === null) return "no-key-needed";
    const key = this.options.env[target.apiKeyEnv]?.trim();
    if (!key) {
      const alias = target.alias ? `, or point "apiKeyEnv" of the alias "${target.alias}" at another variable` : "";
      throw this.fail(
        "missing-key",
        `no API key: ${target.apiKeyEnv} is not set in the kernel's environment (model "${target.name}"). Set it in the shell that starts JupyterLab and restart the kernel${alias}; %models shows what each model needs`,
      );
    }
    return key;
  }

  private fail(kind: ConstructorParameters<typeof ModelCallError>[0], message: string): ModelCallError {
    return new ModelCallError(kind, this.redactor.redact(message));
  }
}

/** The answer a run record keeps to show drift: the first choice's text, else its tool calls as JSON. */
function answerText(completion: ChatCompletion): string | undefined {
  const message = completion.choices?.[0]?.message;
  if (!message) return undefined;
  if (typeof message.content === "string") return message.content;
  return message.tool_calls ? JSON.stringify(message.tool_calls) : undefined;
}
