/**
 * A small client for MLflow's tracking REST API (`/api/2.0/mlflow/…`) and its artifact proxy
 * (`/api/2.0/mlflow-artifacts/…`), over fetch. MLflow has no TypeScript SDK for runs, so this is the
 * one place that speaks HTTP to it; every response is validated with the core's zod schemas.
 * Auth from MLflow's own environment variables, never logged, never in a message.
 */
import type { z } from "zod";
import {
  createExperimentResponseSchema,
  getExperimentResponseSchema,
  listArtifactsResponseSchema,
  type MlflowExperiment,
  type MlflowKeyValue,
  type MlflowRun,
  mlflowErrorBodySchema,
  type RunData,
  runResponseSchema,
  searchRunsResponseSchema,
  stripUrlCredentials,
} from "../core";

type Env = Readonly<Record<string, string | undefined>>;

export const TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
export const USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
export const PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";
export const TRACKING_URI_ENV = "MLFLOW_TRACKING_URI";

/** Why a request to MLflow failed: no answer at all, an HTTP error (with MLflow's error_code), or an answer of the wrong shape. */
export type MlflowFailure = "unreachable" | "http" | "invalid-response";

export class MlflowError extends Error {
  readonly failure: MlflowFailure;
  /** The HTTP status; null when the server did not answer. */
  readonly status: number | null;
  /** The path asked for, without the server ("/api/2.0/mlflow/runs/log-batch"). */
  readonly endpoint: string;
  /** MLflow's `error_code` ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"…), when it sent one. */
  readonly errorCode: string | null;
  /** MLflow's own message, or the network error's. */
  readonly detail: string;
  /** Set for an answer worth trying again (busy, a proxy's gateway error): how long the server asked to wait, 0 for no say. */
  retryAfterMs?: number;

  constructor(init: { failure: MlflowFailure; status: number | null; endpoint: string; errorCode: string | null; detail: string }) {
    super(
      init.failure === "unreachable"
        ? `${init.endpoint}: no answer (${init.detail})`
        : `${init.endpoint}: ${init.status ?? ""} ${init.errorCode ?? ""} ${init.detail}`.replace(/\s+/g, " ").trim(),
    );
    this.name = "MlflowError";
    this.failure = init.failure;
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.errorCode = init.errorCode;
    this.detail = init.detail;
  }
}

/** The Authorization header MLflow's clients send: a bearer token, else basic auth; none without either. */
export function authorizationFrom(env: Env, trackingUri: string): string | undefined {
  const token = env[TOKEN_ENV];
  if (token) return `Bearer ${token}`;
  const username = env[USERNAME_ENV];
  const password = env[PASSWORD_ENV];
  if (username || password) return `Basic ${Buffer.from(`${username ?? ""}:${password ?? ""}`).toString("base64")}`;
  // user:password@ in the URI, as MLflow's Python client (requests) would use it.
  try {
    const url = new URL(trackingUri);
    if (url.username || url.password) {
      const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      return `Basic ${Buffer.from(pair).toString("base64")}`;
    }
  } catch {
    // Not a URL: the caller reports it.
  }
  return undefined;
}

/** The URI to show or to request: credentials dropped, no trailing slash. */
/** The tracking server named, and where: the flag, else MLFLOW_TRACKING_URI, else the config (blank counts as unset); null when none is. */
export function trackingUriFrom(
  flag: string | undefined,
  env: string | undefined,
  configured: string | undefined,
): { uri: string; from: string } | null {
  if (flag?.trim()) return { uri: flag.trim(), from: "--tracking-uri" };
  if (env?.trim()) return { uri: env.trim(), from: TRACKING_URI_ENV };
  if (configured?.trim()) return { uri: configured.trim(), from: "labtrail.config.json" };
  return null;
}

export function displayUri(trackingUri: string): string {
  return stripUrlCredentials(trackingUri).replace(/\/+$/, "");
}

export interface MlflowClientOptions {
  trackingUri: string;
  env?: Env;
  /** Per request; MLflow answers in milliseconds, a hung server should not hang the push. */
  timeoutMs?: number;
  /** Tries of a request the server answered busy or unavailable (429, 502–504); default 4. */
  attempts?: number;
}

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

export class MlflowClient {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly attempts: number;

  constructor(options: MlflowClientOptions) {
    this.baseUrl = displayUri(options.trackingUri);
    this.authorization = authorizationFrom(options.env ?? process.env, options.trackingUri);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.attempts = options.attempts ?? 4;
  }

  /** Where and how the OTLP exporter sends this server's traces (MLflow's /v1/traces, with the same auth). */
  traceTarget(experimentId: string, runId: string): { baseUrl: string; experimentId: string; runId: string; authorization?: string } {
    return { baseUrl: this.baseUrl, experimentId, runId, authorization: this.authorization };
  }

  /** The experiment of that name, deleted ones included (their name stays taken); null when there is none. */
  async experimentByName(name: string): Promise<MlflowExperiment | null> {
    try {
      const body = await this.json(
        "GET",
        `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
        undefined,
        getExperimentResponseSchema,
      );
      return body.experiment;
    } catch (err) {
      if (err instanceof MlflowError && err.errorCode === "RESOURCE_DOES_NOT_EXIST") return null;
      throw err;
    }
  }

  async createExperiment(name: string, tags: MlflowKeyValue[] = []): Promise<string> {
    const body = await this.json("POST", "/api/2.0/mlflow/experiments/create", { name, tags }, createExperimentResponseSchema);
    return body.experiment_id;
  }

  /** Every active run of the experiment, page by page. */
  async searchRuns(experimentId: string, filter?: string): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.json(
        "POST",
        "/api/2.0/mlflow/runs/search",
        { experiment_ids: [experimentId], filter: filter ?? "", max_results: 1000, page_token: pageToken, run_view_type: "ACTIVE_ONLY" },
        searchRunsResponseSchema,
      );
      runs.push(...body.runs);
      pageToken = body.next_page_token || undefined;
    } while (pageToken);
    return runs;
  }

  async createRun(init: { experimentId: string; runName: string; startTime: number; tags: MlflowKeyValue[] }): Promise<MlflowRun> {
    const body = await this.json(
      "POST",
      "/api/2.0/mlflow/runs/create",
      { experiment_id: init.experimentId, run_name: init.runName, start_time: init.startTime, tags: init.tags },
      runResponseSchema,
    );
    return body.run;
  }

  async getRun(runId: string): Promise<MlflowRun> {
    return (await this.json("GET", `/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`, undefined, runResponseSchema)).run;
  }

  /** One log-batch request: the caller keeps it within LOG_BATCH_LIMITS (core's chunkRunData). */
  async logBatch(runId: string, batch: RunData): Promise<void> {
    await this.request("POST", "/api/2.0/mlflow/runs/log-batch", { run_id: runId, ...batch });
  }

  async updateRun(runId: string, status: string, endTime: number): Promise<void> {
    await this.request("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, status, end_time: endTime });
  }

  /** Uploads through the tracking server's artifact proxy; the same path again overwrites. */
  async uploadArtifact(
    experimentId: string,
    runId: string,
    artifactPath: string,
    content: string | Uint8Array,
    contentType: string,
  ): Promise<void> {
    const path = `/api/2.0/mlflow-artifacts/artifacts/${encodeURIComponent(experimentId)}/${encodeURIComponent(runId)}/artifacts/${artifactPath
      .split("/")
      .map(encodeURIComponent)
      .join("/")}`;
    await this.send("PUT", path, typeof content === "string" ? content : Buffer.from(content), contentType);
  }

  async listArtifacts(runId: string, path = ""): Promise<z.output<typeof listArtifactsResponseSchema>> {
    return this.json(
      "GET",
      `/api/2.0/mlflow/artifacts/list?run_id=${encodeURIComponent(runId)}&path=${encodeURIComponent(path)}`,
      undefined,
      listArtifactsResponseSchema,
    );
  }

  private async json<T extends z.ZodType>(method: string, endpoint: string, body: unknown, schema: T): Promise<z.output<T>> {
    const text = await this.request(method, endpoint, body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MlflowError({
        failure: "invalid-response",
        status: 200,
        endpoint,
        errorCode: null,
        detail: "the answer is not JSON: is this an MLflow tracking server?",
      });
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new MlflowError({
        failure: "invalid-response",
        status: 200,
        endpoint,
        errorCode: null,
        detail: `unexpected answer (${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"})`,
      });
    }
    return result.data;
  }

  private request(method: string, endpoint: string, body: unknown): Promise<string> {
    return this.send(method, endpoint, body === undefined ? undefined : JSON.stringify(body), "application/json");
  }

  /**
   * Sends, and sends again after a pause when the server (or a proxy before it) answers that it is busy
   * or briefly unavailable: 429, 502, 503, 504, as MLflow's own clients do. Every request push makes is
   * safe to repeat.
   */
  private async send(method: string, endpoint: string, body: string | Buffer | undefined, contentType: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(method, endpoint, body, contentType);
      } catch (err) {
        if (!(err instanceof MlflowError) || err.retryAfterMs === undefined || attempt >= this.attempts) throw err;
        // The server's Retry-After (at most 10 s), else 0.2 s, 0.4 s, 0.8 s.
        const wait = Math.min(err.retryAfterMs, 10_000) || 100 * 2 ** attempt;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async sendOnce(method: string, endpoint: string, body: string | Buffer | undefined, contentType: string): Promise<string> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = contentType;
    if (this.authorization) headers.Authorization = this.authorization;
    const shownEndpoint = endpoint.split("?")[0];
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${endpoint}`, {
        method,
        headers,
        body: body === undefined ? undefined : new Uint8Array(typeof body === "string" ? Buffer.from(body) : body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new MlflowError({ failure: "unreachable", status: null, endpoint: shownEndpoint, errorCode: null, detail: networkReason(err) });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new MlflowError({
        failure: "unreachable",
        status: response.status,
        endpoint: shownEndpoint,
        errorCode: null,
        detail: networkReason(err),
      });
    }
    if (!response.ok) {
      let errorCode: string | null = null;
      let detail = text.trim().slice(0, 300) || response.statusText;
      try {
        const parsed = mlflowErrorBodySchema.safeParse(JSON.parse(text));
        if (parsed.success) {
          errorCode = parsed.data.error_code;
          detail = parsed.data.message;
        }
      } catch {
        // Not MLflow's JSON error (a proxy's HTML page, say): the start of the text is the detail.
      }
      const error = new MlflowError({
        failure: "http",
        status: response.status,
        endpoint: shownEndpoint,
        errorCode,
        detail: stripUrlCredentials(detail),
      });
      if (TRANSIENT_STATUSES.has(response.status)) {
        const seconds = Number(response.headers.get("retry-after"));
        error.retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
      }
      throw error;
    }
    return text;
  }
}

/** The network error's code or message ("ECONNREFUSED", "timed out"), from fetch's TypeError and its cause. */
function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return "timed out";
  const cause = err instanceof Error ? (err.cause as (Error & { code?: string }) | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
