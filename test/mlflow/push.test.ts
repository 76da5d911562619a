// `labtrail push` against a real MLflow tracking server (test/support/mlflow-server.ts): the committed
// examples (copied, never touched) go in, and everything is read back through MLflow's own REST API.
// The failures a real server cannot be made to give on demand (401, a refused batch, a connection cut
// half-way) come from small local servers on 127.0.0.1 that answer or forward to the real one.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliMain, repoRoot } from "../support/paths";
import { jsonl, runRecord } from "../support/run-records";
import { freePort, type MlflowServer, MLFLOW_INSTALL_TIMEOUT_MS, startMlflowServer } from "../support/mlflow-server";

// Generous: a busy CI machine makes MLflow (Python, SQLite) slow to answer, and a test pushes dozens of runs.
jest.setTimeout(300_000);

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child process, asynchronously: the local servers of this file answer it meanwhile. */
function push(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of ["MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"]) {
    if (!(key in env)) delete childEnv[key];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, "push", ...args], { cwd: work, env: childEnv as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let server: MlflowServer;
let work: string;
const EXAMPLES = ["label-temperature", "summaries", "ticket-extraction"];

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Run {
  info: { run_id: string; status: string; run_name: string; experiment_id: string; start_time: number; end_time?: number };
  data: {
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
    metrics?: { key: string; value: number; step: number }[];
  };
}

const tag = (run: Run, key: string) => run.data.tags?.find((t) => t.key === key)?.value;
const param = (run: Run, key: string) => run.data.params?.find((p) => p.key === key)?.value;

async function experimentId(name: string): Promise<string | null> {
  const response = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
  if (response.status === 404) return null;
  const body = (await response.json()) as { experiment: { experiment_id: string } };
  return body.experiment.experiment_id;
}

async function runsOf(experiment: string): Promise<Run[]> {
  const body = await api<{ runs?: Run[] }>("POST", "/api/2.0/mlflow/runs/search", { experiment_ids: [experiment], max_results: 1000 });
  return body.runs ?? [];
}

async function history(runId: string, key: string): Promise<{ value: number; step: number }[]> {
  const body = await api<{ metrics?: { value: number; step: number }[] }>(
    "GET",
    `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`,
  );
  return (body.metrics ?? []).map(({ value, step }) => ({ value, step })).sort((a, b) => a.step - b.step);
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** A local HTTP server on 127.0.0.1; `handle` answers, or forwards with `forward`. */
async function localServer(
  handle: (req: IncomingMessage, body: Buffer, res: import("node:http").ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void>; server: Server }> {
  const sockets = new Set<Socket>();
  const local = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, Buffer.concat(chunks), res));
  });
  local.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
  const { port } = local.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server: local,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        local.close(() => resolve());
      }),
  };
}

/** Sends the request on to the real MLflow server and its answer back. */
function forward(req: IncomingMessage, body: Buffer, res: import("node:http").ServerResponse): void {
  const target = new URL(server.url);
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  upstream.end(body);
}

beforeAll(async () => {
  // The first run installs MLflow into .labtrail-setup/mlflow-venv (scripts/mlflow-venv.mjs).
  server = await startMlflowServer();
  work = mkdtempSync(join(tmpdir(), "labtrail-push-"));
  for (const name of EXAMPLES) {
    cpSync(join(repoRoot, "examples", `${name}.ipynb`), join(work, `${name}.ipynb`));
    cpSync(join(repoRoot, "examples", `${name}.design.md`), join(work, `${name}.design.md`));
    cpSync(join(repoRoot, "examples", `${name}.labtrail`), join(work, `${name}.labtrail`), { recursive: true });
  }
  cpSync(join(repoRoot, "examples", "welcome.ipynb"), join(work, "welcome.ipynb"));
}, MLFLOW_INSTALL_TIMEOUT_MS + 120_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Every file of the work folder with its bytes: a push must leave them all as they were. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const file = join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else out.set(file, readFileSync(file).toString("base64"));
    }
  };
  walk(dir);
  return out;
}

describe("labtrail push to a real MLflow server", () => {
  let summary: {
    counts: { created: number; resumed: number; skipped: number };
    notebooks: {
      notebook: string;
      experiment: { id: string; name: string };
      experimentUrl: string;
      notebookRuns: { runId: string; cells: { runId: string }[] }[];
    }[];
  };

  it("pushes the examples: an experiment per notebook title, a parent run per notebook run, a nested run per cell run", async () => {
    const before = snapshot(work);
    const notebooks = [...EXAMPLES.map((name) => `${name}.ipynb`), "welcome.ipynb"];
    const result = await push([...notebooks, "--tracking-uri", server.url, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    summary = JSON.parse(result.stdout);
    // label-temperature and summaries: 2 notebook runs of 5 cells; ticket-extraction: 2 of 4; welcome: none.
    expect(summary.counts).toEqual({ created: 12 + 12 + 10, resumed: 0, skipped: 0 });
    expect(snapshot(work)).toEqual(before);

    const label = summary.notebooks[0];
    expect(label.experiment.name).toBe("Issue labels: accuracy across temperatures");
    expect(label.experimentUrl).toBe(`${server.url}/#/experiments/${label.experiment.id}`);
    expect(await experimentId(label.experiment.name)).toBe(label.experiment.id);

    const runs = await runsOf(label.experiment.id);
    const parents = runs.filter((run) => tag(run, "labtrail.kind") === "notebook-run");
    const cells = runs.filter((run) => tag(run, "labtrail.kind") === "cell-run");
    expect(parents).toHaveLength(2);
    expect(cells).toHaveLength(10);
    for (const run of runs) expect(run.info.status).toBe("FINISHED");
    const parentIds = new Set(parents.map((run) => run.info.run_id));
    for (const cell of cells) expect(parentIds.has(tag(cell, "mlflow.parentRunId") ?? "")).toBe(true);
    // One record id per cell run: what a second push looks for.
    expect(new Set(cells.map((run) => tag(run, "labtrail.record_id"))).size).toBe(10);

    const first = parents.find((run) => run.info.run_id === label.notebookRuns[0].runId) as Run;
    const children = cells.filter((run) => tag(run, "mlflow.parentRunId") === first.info.run_id);
    const temperature1 = children.find((run) => tag(run, "labtrail.cell") === "temperature-1") as Run;
    expect(temperature1.info.run_name).toBe("#3 temperature-1");
    expect(param(temperature1, "model")).toBe("gpt-4o-mini");
    expect(param(temperature1, "temperature")).toBe("1");
    expect(param(temperature1, "max_tokens")).toBe("5");
    expect(tag(temperature1, "labtrail.header.tested")).toMatch(/^the bot as it runs today/);
    expect(tag(temperature1, "labtrail.header.found")).toMatch(/^75% on average/);
    expect(tag(temperature1, "labtrail.verdict")).toBe("refuted");
    expect(tag(temperature1, "labtrail.rerun")).toBe("new");
    expect(tag(temperature1, "labtrail.code_hash")).toMatch(/^[0-9a-f]{64}$/);
    expect(tag(temperature1, "labtrail.version")).toBe("0.1.0");
    expect(tag(temperature1, "labtrail.tslab_version")).toBe("1.0.22");
    expect(tag(temperature1, "mlflow.note.content")).toContain("**Tested:** the bot as it runs today");
    const metrics = Object.fromEntries((temperature1.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({ unstableTitles: 7, "temperature 1/correct": 0.75, "temperature 1/n": 12, "labtrail.calls": 36 });
    // evaluate()'s item scores: one step per item run, in data order.
    const items = await history(temperature1.info.run_id, "temperature 1/items/correct");
    expect(items.map((m) => m.step)).toEqual([...Array(36).keys()]);
    expect(items.reduce((sum, m) => sum + m.value, 0) / 36).toBeCloseTo(0.75, 5);

    // The notebook's spec-lite on the parent, and the notebook and its draft as its artifacts.
    expect(tag(first, "labtrail.title")).toBe("Issue labels: accuracy across temperatures");
    expect(tag(first, "labtrail.cells")).toBe("5");
    const listed = await api<{ files: { path: string }[] }>("GET", `/api/2.0/mlflow/artifacts/list?run_id=${first.info.run_id}`);
    expect(listed.files.map((f) => f.path).sort()).toEqual(["label-temperature.design.md", "label-temperature.ipynb"]);
    const download = (run: Run, path: string) =>
      fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${run.info.experiment_id}/${run.info.run_id}/artifacts/${path}`).then(
        async (r) => Buffer.from(await r.arrayBuffer()),
      );
    expect((await download(first, "label-temperature.ipynb")).equals(readFileSync(join(work, "label-temperature.ipynb")))).toBe(true);
    expect((await download(first, "label-temperature.design.md")).equals(readFileSync(join(work, "label-temperature.design.md")))).toBe(
      true,
    );
    const outputs = JSON.parse((await download(temperature1, "outputs.json")).toString("utf8"));
    expect(outputs).toMatchObject({ status: "ok", outputs: { result: "0.75" } });
    expect(outputs.outputs.text).toMatch(/^titles whose label changes between trials/);
  });

  it("repeats a metric on the parent run with a step per cell that logged it", async () => {
    const tickets = summary.notebooks[2];
    expect(tickets.notebook).toBe("ticket-extraction.ipynb");
    const parentId = tickets.notebookRuns[0].runId;
    // all-tickets passed 4 of 6 with the first schema, schema-v2 passed 6 of 6.
    expect(await history(parentId, "passed")).toEqual([
      { value: 4, step: 0 },
      { value: 6, step: 1 },
    ]);
    const runs = await runsOf(tickets.experiment.id);
    const firstTicket = runs.find(
      (run) => tag(run, "labtrail.cell") === "first-ticket" && tag(run, "mlflow.parentRunId") === parentId,
    ) as Run;
    // A request parameter that is not a string goes as its canonical JSON.
    expect(JSON.parse(param(firstTicket, "response_format") ?? "null")).toMatchObject({ type: "json_schema" });
  });

  it("two pushes of one notebook at once (by hand while the kernel's auto-push runs) create each run once", async () => {
    const args = ["ticket-extraction.ipynb", "--tracking-uri", server.url, "--experiment", "pushed twice at once", "--json"];
    const results = await Promise.all([push(args), push(args)]);
    for (const result of results) expect(result.status).toBe(0);
    const counts = results.map((result) => JSON.parse(result.stdout).counts);
    // One of them made the 2 notebook runs and 8 cell runs; the other waited for it and found them.
    expect(counts.map((c) => c.created).sort()).toEqual([0, 10]);
    const id = (await experimentId("pushed twice at once")) as string;
    const runs = await runsOf(id);
    expect(runs).toHaveLength(10);
    // A notebook run is named by its first cell's record: the kind tells the two apart.
    const key = (run: Run) =>
      `${tag(run, "labtrail.kind")}:${tag(run, "labtrail.kind") === "cell-run" ? tag(run, "labtrail.record_id") : tag(run, "labtrail.notebook_run")}`;
    expect(new Set(runs.map(key)).size).toBe(10);
  });

  it("creates nothing the second time", async () => {
    const before = await Promise.all(summary.notebooks.map((nb) => runsOf(nb.experiment.id)));
    const result = await push([...EXAMPLES.map((name) => `${name}.ipynb`), "--tracking-uri", server.url, "--json"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).counts).toEqual({ created: 0, resumed: 0, skipped: 34 });
    const after = await Promise.all(summary.notebooks.map((nb) => runsOf(nb.experiment.id)));
    expect(after.map((runs) => runs.length)).toEqual(before.map((runs) => runs.length));
    // Nothing sent again either: metric histories keep one entry per step.
    const temperature = after[0].find((run) => tag(run, "labtrail.cell") === "temperature-1") as Run;
    expect(await history(temperature.info.run_id, "temperature 1/correct")).toHaveLength(1);

    const text = await push(["summaries.ipynb", "--tracking-uri", server.url]);
    expect(text.status).toBe(0);
    expect(lines(text.stdout)).toEqual([
      `summaries.ipynb → experiment "One-line changelog summaries of TypeScript functions" (id ${summary.notebooks[1].experiment.id}): 2 notebook runs, 10 cell runs; 12 already there`,
      `  ${server.url}/#/experiments/${summary.notebooks[1].experiment.id}`,
    ]);
  });

  it("--dry-run says what would be created and creates nothing", async () => {
    const result = await push(["summaries.ipynb", "--tracking-uri", server.url, "--experiment", "dry run", "--dry-run"]);
    expect(result.status).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toBe('summaries.ipynb → experiment "dry run" (would be created): 2 notebook runs, 10 cell runs; 12 would create');
    expect(out).toContain("    would create: #3 bare-prompt");
    const json = await push(["summaries.ipynb", "--tracking-uri", server.url, "--experiment", "dry run", "--dry-run", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      dryRun: true,
      counts: { created: 12, resumed: 0, skipped: 0 },
      notebooks: [{ experiment: { id: null, name: "dry run", created: true }, experimentUrl: null }],
    });
    expect(await experimentId("dry run")).toBeNull();
    // Against an experiment that has them: every run already there.
    const there = await push(["summaries.ipynb", "--tracking-uri", server.url, "--dry-run", "--json"]);
    expect(JSON.parse(there.stdout).counts).toEqual({ created: 0, resumed: 0, skipped: 12 });
  });

  it("resumes a push cut off half-way without duplicating a run or a metric", async () => {
    // A proxy that forwards 25 requests to the real server, then cuts every connection.
    let forwarded = 0;
    const proxy = await localServer((req, body, res) => {
      if (forwarded++ >= 25) {
        res.socket?.destroy();
        return;
      }
      forward(req, body, res);
    });
    try {
      const cut = await push(["label-temperature.ipynb", "--tracking-uri", proxy.url, "--experiment", "interrupted"]);
      expect(cut.status).toBe(2);
      expect(lines(cut.stderr)).toHaveLength(1);
      expect(cut.stderr).toMatch(
        new RegExp(`^error: label-temperature.ipynb: cannot reach the MLflow tracking server at ${proxy.url} \\(`),
      );
    } finally {
      await proxy.close();
    }
    const experiment = (await experimentId("interrupted")) as string;
    const partial = await runsOf(experiment);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(12);
    expect(partial.some((run) => run.info.status === "RUNNING")).toBe(true);

    const resumed = await push(["label-temperature.ipynb", "--tracking-uri", server.url, "--experiment", "interrupted", "--json"]);
    expect(resumed.status).toBe(0);
    const counts = JSON.parse(resumed.stdout).counts;
    expect(counts.resumed).toBeGreaterThan(0);
    expect(counts.created + counts.resumed + counts.skipped).toBe(12);
    const runs = await runsOf(experiment);
    expect(runs).toHaveLength(12);
    for (const run of runs) expect(run.info.status).toBe("FINISHED");
    const cells = runs.filter((run) => tag(run, "labtrail.kind") === "cell-run");
    expect(new Set(cells.map((run) => tag(run, "labtrail.record_id"))).size).toBe(10);
    for (const cell of cells) {
      for (const metric of cell.data.metrics ?? []) {
        const steps = (await history(cell.info.run_id, metric.key)).map((m) => m.step);
        expect(steps).toEqual([...new Set(steps)]);
      }
    }
  });

  it("waits and sends again when a proxy before the server answers 503 now and then", async () => {
    let requests = 0;
    let refused = 0;
    const flaky = await localServer((req, body, res) => {
      if (++requests % 5 === 0) {
        refused++;
        res.writeHead(503, { "Content-Type": "text/html", "Retry-After": "0" });
        res.end("<html><body>503 Service Temporarily Unavailable</body></html>");
        return;
      }
      forward(req, body, res);
    });
    try {
      const result = await push(["summaries.ipynb", "--tracking-uri", flaky.url, "--experiment", "flaky", "--json"]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).counts).toEqual({ created: 12, resumed: 0, skipped: 0 });
      expect(refused).toBeGreaterThan(5);
    } finally {
      await flaky.close();
    }
    expect(await runsOf((await experimentId("flaky")) as string)).toHaveLength(12);
  });

  it("names the deleted experiment and says to restore it or pick another name", async () => {
    const created = await push(["ticket-extraction.ipynb", "--tracking-uri", server.url, "--experiment", "to delete"]);
    expect(created.status).toBe(0);
    const id = (await experimentId("to delete")) as string;
    await api("POST", "/api/2.0/mlflow/experiments/delete", { experiment_id: id });
    const result = await push(["ticket-extraction.ipynb", "--tracking-uri", server.url, "--experiment", "to delete"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `error: ticket-extraction.ipynb: the MLflow experiment "to delete" (id ${id}) is deleted at ${server.url}: ` +
        `restore it (mlflow experiments restore --experiment-id ${id}, or in MLflow's UI) or pick another name with --experiment\n`,
    );
  });

  it("takes the tracking server from MLFLOW_TRACKING_URI, else from labtrail.config.json", async () => {
    const fromEnv = await push(["summaries.ipynb", "--json"], { MLFLOW_TRACKING_URI: server.url });
    expect(fromEnv.status).toBe(0);
    expect(JSON.parse(fromEnv.stdout).counts.skipped).toBe(12);
    const config = join(work, "labtrail.config.json");
    writeFileSync(config, JSON.stringify({ mlflow: { trackingUri: server.url, experiment: "from config" } }));
    try {
      const fromConfig = await push(["summaries.ipynb", "--json"]);
      expect(fromConfig.status).toBe(0);
      expect(JSON.parse(fromConfig.stdout).notebooks[0].experiment).toMatchObject({ name: "from config", created: true });
    } finally {
      rmSync(config);
    }
    const unnamed = await push(["summaries.ipynb"]);
    expect(unnamed.status).toBe(2);
    expect(unnamed.stderr).toBe(
      'error: no MLflow tracking server named: pass --tracking-uri, set MLFLOW_TRACKING_URI, or add "mlflow": { "trackingUri": "http://…" } to labtrail.config.json\n',
    );
  });
});

describe("labtrail push sends no secret", () => {
  it("redacts the project's key wherever a record, the notebook or the outputs hold it", async () => {
    const key = "sk-test-SECRET-0123456789abcdef";
    const dir = mkdtempSync(join(tmpdir(), "labtrail-push-secret-"));
    try {
      const source = `// Tested: a key pasted by mistake: ${key}\nconsole.log("${key}")`;
      const cells = [
        { cell_type: "markdown", id: "spec", metadata: {}, source: "# Leaky notebook\n" },
        { cell_type: "code", id: "leak", metadata: {}, execution_count: 1, outputs: [], source },
      ];
      writeFileSync(join(dir, "leaky.ipynb"), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
      const record = runRecord({
        notebook: "leaky.ipynb",
        cell: "leak",
        header: { tested: `a key pasted by mistake: ${key}`, found: `it printed Bearer ${key}` },
        outputs: { count: 1, bytes: 40, text: `${key}\n`, result: null, resultHash: null },
        values: { note: `the key is ${key}` },
      });
      mkdirSync(join(dir, "leaky.labtrail"));
      writeFileSync(join(dir, "leaky.labtrail", "runs.jsonl"), jsonl([record]));
      const child = spawn(process.execPath, [cliMain, "push", "leaky.ipynb", "--tracking-uri", server.url, "--json"], {
        cwd: dir,
        env: { ...process.env, OPENAI_API_KEY: key },
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      const status = await new Promise((resolve) => child.once("close", resolve));
      expect(status).toBe(0);
      const experiment = JSON.parse(stdout).notebooks[0].experiment.id as string;
      const runs = await runsOf(experiment);
      expect(runs).toHaveLength(2);
      const cell = runs.find((run) => tag(run, "labtrail.kind") === "cell-run") as Run;
      const parent = runs.find((run) => tag(run, "labtrail.kind") === "notebook-run") as Run;
      expect(tag(cell, "labtrail.header.tested")).toBe("a key pasted by mistake: [redacted]");
      const artifact = (run: Run, path: string) =>
        fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${experiment}/${run.info.run_id}/artifacts/${path}`).then((r) => r.text());
      const sent = [
        JSON.stringify(runs),
        await artifact(cell, "outputs.json"),
        await artifact(cell, "record.json"),
        await artifact(parent, "leaky.ipynb"),
      ];
      for (const text of sent) {
        expect(text).not.toContain(key);
        expect(text).toContain("[redacted]");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("labtrail push --traces: model calls as OTLP spans, read back through MLflow's trace API", () => {
  interface Span {
    name: string;
    span_id: string;
    parent_span_id?: string;
    attributes: { key: string; value: Record<string, unknown> }[];
  }
  const attribute = (span: Span, key: string) => {
    const value = span.attributes.find((a) => a.key === key)?.value;
    return value ? Object.values(value)[0] : undefined;
  };
  async function tracesOf(experiment: string, filter = ""): Promise<{ trace_id: string; trace_metadata: Record<string, string> }[]> {
    const body = await api<{ traces?: { trace_id: string; trace_metadata: Record<string, string> }[] }>(
      "POST",
      "/api/3.0/mlflow/traces/search",
      {
        locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experiment } }],
        filter,
        max_results: 500,
      },
    );
    return body.traces ?? [];
  }
  async function spansOf(traceId: string): Promise<Span[]> {
    return (await api<{ trace: { spans: Span[] } }>("GET", `/api/3.0/mlflow/traces/get?trace_id=${traceId}`)).trace.spans;
  }

  it("sends one trace per cell run with model calls, linked to its run, with GenAI attributes and messages", async () => {
    const result = await push(["summaries.ipynb", "--tracking-uri", server.url, "--experiment", "traces", "--traces", "--json"]);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout);
    // summaries: cells 3, 4 and 5 call the model, in both notebook runs.
    expect(out.traces).toBe(6);
    const experiment = out.notebooks[0].experiment.id as string;
    expect(await tracesOf(experiment)).toHaveLength(6);

    const runs = await runsOf(experiment);
    const fewShot = runs.find((run) => tag(run, "labtrail.cell") === "few-shot" && tag(run, "labtrail.rerun") === "new") as Run;
    expect(tag(fewShot, "labtrail.traces")).toBe("sent");
    const linked = await tracesOf(experiment, `run_id = '${fewShot.info.run_id}'`);
    expect(linked).toHaveLength(1);
    const record = readFileSync(join(work, "summaries.labtrail", "runs.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line))
      .find((r) => r.cell === "few-shot");
    const inputTokens = record.calls.reduce((sum: number, call: { inputTokens: number }) => sum + call.inputTokens, 0);
    expect(JSON.parse(linked[0].trace_metadata["mlflow.trace.tokenUsage"]).input_tokens).toBe(inputTokens);

    const spans = await spansOf(linked[0].trace_id);
    const root = spans.find((span) => !span.parent_span_id) as Span;
    expect(root.name).toBe(fewShot.info.run_name);
    const calls = spans.filter((span) => span.parent_span_id === root.span_id);
    expect(calls).toHaveLength(record.calls.length);
    const call = calls[0];
    expect(call.name).toBe("chat gpt-4o-mini");
    expect(attribute(call, "gen_ai.operation.name")).toBe("chat");
    expect(attribute(call, "gen_ai.request.model")).toBe("gpt-4o-mini");
    expect(Number(attribute(call, "gen_ai.usage.input_tokens"))).toBe(record.calls[0].inputTokens);
    expect(JSON.stringify(attribute(call, "gen_ai.input.messages"))).toContain("You write one-line changelog entries");
    expect(attribute(call, "gen_ai.output.messages")).toBeDefined();

    // Pushed again: nothing new, not even a trace.
    const again = await push(["summaries.ipynb", "--tracking-uri", server.url, "--experiment", "traces", "--traces", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ traces: 0, counts: { created: 0, resumed: 0, skipped: 12 } });
    expect(await tracesOf(experiment)).toHaveLength(6);
  });

  it("adds the traces to runs pushed before without them; --no-content leaves the messages out", async () => {
    const first = await push(["summaries.ipynb", "--tracking-uri", server.url, "--experiment", "traces later", "--json"]);
    expect(JSON.parse(first.stdout).traces).toBe(0);
    const later = await push([
      "summaries.ipynb",
      "--tracking-uri",
      server.url,
      "--experiment",
      "traces later",
      "--traces",
      "--no-content",
      "--json",
    ]);
    const out = JSON.parse(later.stdout);
    expect(out).toMatchObject({ traces: 6, counts: { created: 0, resumed: 0, skipped: 12 } });
    const traces = await tracesOf(out.notebooks[0].experiment.id);
    expect(traces).toHaveLength(6);
    for (const span of await spansOf(traces[0].trace_id)) {
      expect(attribute(span, "gen_ai.input.messages")).toBeUndefined();
      expect(attribute(span, "gen_ai.output.messages")).toBeUndefined();
    }
  });
});

describe("labtrail push failures: one line, exit 2, nothing local changed", () => {
  it("a server that is down: names the URI (without its credentials) and says to start it", async () => {
    const port = await freePort();
    const before = snapshot(work);
    const result = await push(["summaries.ipynb"], { MLFLOW_TRACKING_URI: `http://alice:s3cret@127.0.0.1:${port}` });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `error: summaries.ipynb: cannot reach the MLflow tracking server at http://127.0.0.1:${port} (ECONNREFUSED): ` +
        "start it (mlflow server --host 127.0.0.1 --port 5000) or set MLFLOW_TRACKING_URI (or --tracking-uri) to a running one\n",
    );
    expect(snapshot(work)).toEqual(before);
  });

  it("a server that stays unavailable: MLflow's answer after a few tries", async () => {
    let requests = 0;
    const down = await localServer((_req, _body, res) => {
      requests++;
      res.writeHead(503, { "Content-Type": "text/html" });
      res.end("<html><body>503 Service Temporarily Unavailable</body></html>");
    });
    try {
      const result = await push(["summaries.ipynb", "--tracking-uri", down.url]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `error: summaries.ipynb: MLflow at ${down.url} refused /api/2.0/mlflow/experiments/get-by-name: 503: <html><body>503 Service Temporarily Unavailable</body></html>\n`,
      );
      expect(requests).toBe(4);
    } finally {
      await down.close();
    }
  });

  it("a 401: says which variables hold credentials, and never prints the token", async () => {
    const seen: (string | undefined)[] = [];
    const guarded = await localServer((req, _body, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error_code: "UNAUTHENTICATED", message: "You are not authenticated." }));
    });
    try {
      const without = await push(["summaries.ipynb", "--tracking-uri", guarded.url]);
      expect(without.status).toBe(2);
      expect(without.stderr).toBe(
        `error: summaries.ipynb: ${guarded.url} needs credentials (401 Unauthorized): set MLFLOW_TRACKING_TOKEN (a bearer token) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD\n`,
      );
      const withToken = await push(["summaries.ipynb", "--tracking-uri", guarded.url], { MLFLOW_TRACKING_TOKEN: "tok-123-secret" });
      expect(withToken.status).toBe(2);
      expect(lines(withToken.stderr)).toEqual([
        `error: summaries.ipynb: ${guarded.url} refused the credentials in MLFLOW_TRACKING_TOKEN (401 Unauthorized): check them, or set MLFLOW_TRACKING_TOKEN (a bearer token) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD to ones with access`,
      ]);
      expect(withToken.stderr + withToken.stdout).not.toContain("tok-123-secret");
      const withPassword = await push(["summaries.ipynb", "--tracking-uri", guarded.url], {
        MLFLOW_TRACKING_USERNAME: "alice",
        MLFLOW_TRACKING_PASSWORD: "pw",
      });
      expect(withPassword.stderr).toContain(
        "refused the credentials in MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD (401 Unauthorized)",
      );
      expect(seen).toEqual([undefined, "Bearer tok-123-secret", `Basic ${Buffer.from("alice:pw").toString("base64")}`]);
    } finally {
      await guarded.close();
    }
  });

  it("a 403: the credentials were read but give no access", async () => {
    const forbidden = await localServer((_req, _body, res) => {
      res.writeHead(403, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error_code: "PERMISSION_DENIED", message: "Permission denied" }));
    });
    try {
      const result = await push(["summaries.ipynb", "--tracking-uri", forbidden.url], { MLFLOW_TRACKING_TOKEN: "tok-403" });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^error: summaries.ipynb: ${forbidden.url} refused the credentials in MLFLOW_TRACKING_TOKEN \\(403 Forbidden\\): `),
      );
      expect(result.stderr).not.toContain("tok-403");
    } finally {
      await forbidden.close();
    }
  });

  it("a refused log-batch: what was sent and MLflow's message", async () => {
    // The real server behind, except that it refuses log-batch as a server with stricter limits would.
    const strict = await localServer((req, body, res) => {
      if (req.url === "/api/2.0/mlflow/runs/log-batch") {
        res.writeHead(400, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "Batched logging API requests must be at most 1000 bytes" }),
        );
        return;
      }
      forward(req, body, res);
    });
    try {
      // Cell runs go four at a time: the line names whichever batch was refused first.
      const result = await push(["ticket-extraction.ipynb", "--tracking-uri", strict.url, "--experiment", "strict"]);
      expect(result.status).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^error: ticket-extraction.ipynb: ${strict.url} rejected a log-batch for the run "#\\d [a-z0-9-]+" \\(\\d+ params, \\d+ tags, \\d+ metrics, \\d+ bytes\\): ` +
            "INVALID_PARAMETER_VALUE: Batched logging API requests must be at most 1000 bytes; nothing local changed",
        ),
      );
    } finally {
      await strict.close();
    }
  });

  it("a tracking URI that is not a server's, or credentials in the config: says so before any request", async () => {
    const file = await push(["summaries.ipynb"], { MLFLOW_TRACKING_URI: "file:./mlruns" });
    expect(file.status).toBe(2);
    expect(file.stderr).toBe(
      'error: MLFLOW_TRACKING_URI: labtrail push talks to an MLflow tracking server over http(s), not "file:" (start one with: mlflow server)\n',
    );
    const config = join(work, "labtrail.config.json");
    writeFileSync(config, JSON.stringify({ mlflow: { trackingUri: "http://bob:pw@127.0.0.1:5000" } }));
    try {
      const result = await push(["summaries.ipynb"]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `error: invalid config: ${config}: mlflow.trackingUri: credentials never go in the config: set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD\n`,
      );
    } finally {
      rmSync(config);
    }
  });

  it("a notebook without records pushes nothing, and creates no experiment", async () => {
    const result = await push(["welcome.ipynb", "--tracking-uri", server.url, "--experiment", "never"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("welcome.ipynb: no runs recorded yet, nothing to push\n");
    expect(await experimentId("never")).toBeNull();
    expect(existsSync(join(work, "welcome.labtrail"))).toBe(false);
  });
});
