#!/usr/bin/env node
// Re-records the example notebooks in examples/ against a local OpenAI-compatible server, so that they
// ship with recordings and run records anyone can replay offline, with no API key.
//
// For each example, in a staging copy (examples/ changes only when every step passed), it:
//   1. runs `labtrail reproduce <name>.ipynb --mode refresh` with no records yet, OPENAI_BASE_URL pointing
//      at the local server and a dummy OPENAI_API_KEY: every model call goes to the server and is recorded;
//   2. runs `labtrail reproduce <name>.ipynb --mode replay` with no key and OPENAI_BASE_URL pointing at a
//      closed port, and requires every cell to be "reproduced"; its executed notebook (outputs, ✓ verdicts)
//      becomes <name>.ipynb, so the committed notebook shows what a rerun shows;
//   3. runs `labtrail lint` and `labtrail export` (<name>.design.md, from the notebook and its records);
//   4. checks that the dummy key is in no file, then replaces <name>.ipynb, <name>.labtrail/ and
//      <name>.design.md in examples/. The records hold exactly this recording and its offline check.
//
// The server is test/support/model-server.ts, the OpenAI-compatible server the tests use (streaming,
// usage, structured output), transpiled on the fly with the project's TypeScript. This script only
// decides what it answers: a canned answer per prompt (ANSWERS below), the same on every recording,
// with a token usage of about four characters a token. Identical requests are numbered 1, 2, 3 … in
// the order they arrive, as the kernel numbers a cell's samples, so an answer may depend on its sample
// number (the temperature example) and still be the same on every recording. (The server counts over
// the whole notebook, the kernel per cell: a request whose answer depends on its sample number must be
// made from one cell only.)
//
// Usage: node scripts/record-examples.mjs [name …]   (after `node scripts/setup.mjs`; default: all)
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadTypeScriptModule } from "./load-ts.mjs";
import { runUnderSupportedNode } from "./node-runtime.mjs";

// On a Node older than 22 this re-runs under the project's Node 24 (scripts/node-runtime.mjs).
await runUnderSupportedNode(import.meta.url);

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const examplesDir = join(root, "examples");
const cli = join(root, "kernel", "dist", "cli", "main.js");
const require = createRequire(import.meta.url);
// The core's canonical JSON (the one the kernel's replay keys use); the build comes from setup.
const { canonicalJson } = require(join(root, "kernel", "dist", "core"));

/** Never a real key: it only shows that the kernel sends one, and that no file ever holds it. */
const DUMMY_KEY = "sk-local-test-server";
const EXAMPLES = ["summaries", "ticket-extraction", "label-temperature"];
const FINGERPRINT = "fp_local_test_server";

// --- canned answers ------------------------------------------------------------------------------

/** The last user message's text. */
function lastUser(body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m?.role === "user");
  return typeof last?.content === "string" ? last.content : "";
}

function hasSystem(body) {
  return (body.messages ?? []).some((m) => m?.role === "system");
}

/** The function a summaries prompt is about. */
function functionName(prompt) {
  return /export (?:async )?function (\w+)/.exec(prompt)?.[1];
}

const SUMMARIES = {
  bare: {
    debounce: [
      "The `debounce` function returns a wrapped version of `fn` that delays calling it.",
      "",
      "- Each call clears the pending timer and starts a new one of `ms` milliseconds.",
      "- `fn` runs only after the calls stop for `ms` milliseconds, with the most recent arguments.",
      "- The generic `T` keeps the parameter types of `fn`, so the wrapper is type-safe.",
      "",
      "This is useful for handlers that fire in bursts, such as keystrokes in a search box or window resizes.",
    ].join("\n"),
  },
  constrained: {
    debounce: "Returns a debounced wrapper that calls `fn` with the latest arguments once `ms` milliseconds pass without another call.",
    chunk: "Splits an array into chunks of at most `size` items and returns them, throwing a RangeError for sizes below 1.",
    retry: "Runs an async task up to `attempts` times with doubling delays and returns its first successful result.",
    slugify: "Returns a URL slug of the title: accents removed, lowercased, runs of other characters replaced by single hyphens.",
  },
  // With the two changelog entries as examples: shorter, but the examples' shape and wording leak in.
  fewShot: {
    debounce: "Returns a debounced `fn` that runs once calls pause for `ms` milliseconds.",
    chunk: "Splits an array into chunks of `size` items and returns them. Throws a RangeError when size is below 1.",
    retry: "Retries an async task with exponential backoff and returns its result; logs each failed attempt.",
    slugify: "Turns a title into a lowercase URL slug without accents and returns it.",
  },
};

function summariesAnswer(body) {
  const prompt = lastUser(body);
  const name = functionName(prompt);
  if (!name) return undefined;
  if (prompt.startsWith("Summarize this TypeScript function:")) return SUMMARIES.bare[name];
  if (prompt.startsWith("Summarize this TypeScript function for a changelog.")) {
    return (hasSystem(body) ? SUMMARIES.fewShot : SUMMARIES.constrained)[name];
  }
  return undefined;
}

// Ticket extraction: which ticket a prompt holds (a phrase of its text), and the fields extracted. The
// first prompt gets a German summary of 97 characters for T4 and the customer's own "48213" for T5:
// valid JSON of the schema's shape (the API enforces that much), but zod's refinements reject both.
const TICKETS = [
  [
    "ORD-104233",
    {
      area: "billing",
      severity: "high",
      orderId: "ORD-104233",
      summary: "Customer was charged twice for ORD-104233 and wants one charge refunded.",
    },
  ],
  [
    "ORD-220871",
    {
      area: "shipping",
      severity: "medium",
      orderId: "ORD-220871",
      summary: "Package for ORD-220871 is late; tracking has not moved since Tuesday.",
    },
  ],
  [
    "email address",
    { area: "account", severity: "low", orderId: null, summary: "Customer wants to change the email address on their account." },
  ],
  [
    "Die App",
    {
      area: "app",
      severity: "high",
      orderId: null,
      summary: "Die App stürzt jedes Mal ab, wenn der Kunde auf 'Bestellungen' tippt (iPhone 13, neueste Version).",
      summaryV2: "App crashes every time the user taps 'Orders' (iPhone 13, latest version).",
    },
  ],
  [
    "48213",
    {
      area: "shipping",
      severity: "low",
      orderId: "48213",
      summary: "Order arrived with a cracked lid; customer asks for a replacement lid only.",
    },
  ],
  ["dark mode", { area: "app", severity: "low", orderId: null, summary: "Dark mode setting resets to light after the app restarts." }],
];

function ticketAnswer(body) {
  if (body.response_format?.json_schema?.name !== "ticket") return undefined;
  const prompt = lastUser(body);
  const ticket = TICKETS.find(([phrase]) => prompt.includes(phrase))?.[1];
  if (!ticket) return undefined;
  const { summaryV2, ...fields } = ticket;
  const v2 = prompt.includes("at most 80 characters");
  // Key order as the schema lists them, like a structured-output answer.
  return JSON.stringify({ ...fields, summary: v2 && summaryV2 ? summaryV2 : fields.summary });
}

// Issue labels: per title, the answer at temperature 0 and, at temperatures above 0, the label of each
// sample in order (b bug, f feature, d docs, q question; sample n takes the n-th letter). Two titles are
// hard: the CONTRIBUTING typo (docs, read as a bug) and the slow-sync question (read as a bug).
const LABEL_TITLES = [
  ["Login button does nothing", "b", { 1: "bbb", 0.7: "bbbbb" }],
  ["Crash when uploading", "b", { 1: "bbb", 0.7: "bbbbb" }],
  ["Dates in the export", "b", { 1: "bqb", 0.7: "bbqbb" }],
  ["Add dark mode", "f", { 1: "fff", 0.7: "fffff" }],
  ["Support exporting reports", "f", { 1: "fff", 0.7: "fffff" }],
  ["Allow more than one API key", "f", { 1: "ffq", 0.7: "fffqf" }],
  ["README install steps", "d", { 1: "dbd", 0.7: "ddbdd" }],
  ["Document the rate limits", "d", { 1: "ddf", 0.7: "ddddf" }],
  ["Typo in the CONTRIBUTING guide", "b", { 1: "bdb", 0.7: "dbddb" }],
  ["How do I reset my password", "q", { 1: "qqq", 0.7: "qqqqq" }],
  ["run the CLI behind a proxy", "q", { 1: "qfq", 0.7: "qqfqq" }],
  ["Why does the sync take 10 minutes", "b", { 1: "bqb", 0.7: "bbqbb" }],
];
const LABEL_WORDS = { b: "bug", f: "feature", d: "docs", q: "question" };
// Sampled answers do not always keep to "the label only".
const SAMPLED_FORMS = [
  (l) => l,
  (l) => l[0].toUpperCase() + l.slice(1),
  (l) => (l === "docs" ? "Documentation" : `${l}.`),
  (l) => `Label: ${l}`,
  (l) => l,
];

function labelAnswer(body, sample) {
  const prompt = lastUser(body);
  if (!prompt.startsWith("Label this GitHub issue title")) return undefined;
  const entry = LABEL_TITLES.find(([phrase]) => prompt.includes(phrase));
  if (!entry) return undefined;
  const [, atZero, sampled] = entry;
  const temperature = body.temperature ?? 1;
  if (temperature === 0) return LABEL_WORDS[atZero];
  const letter = sampled[temperature]?.[sample - 1];
  return letter === undefined ? undefined : SAMPLED_FORMS[(sample - 1) % SAMPLED_FORMS.length](LABEL_WORDS[letter]);
}

/** Answers answer(body, sample) → content, or undefined when the prompt is not one of this example's. */
const ANSWERS = [summariesAnswer, ticketAnswer, labelAnswer];

/** A rough token count, as a tokenizer would give for English: about four characters a token. */
function tokens(text) {
  return Math.max(1, Math.ceil(text.length / 4));
}

function usageOf(body, content) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const schema = body.response_format?.json_schema ? JSON.stringify(body.response_format.json_schema) : "";
  const prompt =
    messages.reduce((sum, m) => sum + 4 + tokens(typeof m?.content === "string" ? m.content : ""), 3) + (schema ? tokens(schema) : 0);
  return { prompt_tokens: prompt, completion_tokens: tokens(content) };
}

/** The request without how it is delivered: what makes two requests "the same" (as the kernel keys them). */
function requestKey(body) {
  const { stream: _stream, stream_options: _options, ...key } = body;
  return createHash("sha256").update(canonicalJson(key)).digest("hex");
}

// --- the server ----------------------------------------------------------------------------------

/** The test server, answering each chat request from ANSWERS by its content. */
async function startServer() {
  const { ModelServer } = loadTypeScriptModule(root, join(root, "test", "support", "model-server.ts"));
  const seen = new Map();
  const server = await ModelServer.start({ apiKey: DUMMY_KEY, reply: (body) => replyFor(body, seen) });
  return {
    url: server.url,
    requests: () => server.chatRequests().length,
    reset: () => {
      server.reset();
      seen.clear();
    },
    close: () => server.close(),
  };
}

function replyFor(body, seen) {
  const key = requestKey(body);
  const sample = (seen.get(key) ?? 0) + 1;
  seen.set(key, sample);
  for (const answer of ANSWERS) {
    const content = answer(body, sample);
    if (content !== undefined) return { content, usage: usageOf(body, content), systemFingerprint: FINGERPRINT };
  }
  const prompt = lastUser(body).replace(/\s+/g, " ").slice(0, 120);
  // 400: not retried, and the cell fails with the message, so a prompt without an answer is obvious.
  return {
    status: 400,
    error: {
      message: `record-examples: no canned answer for the prompt "${prompt}" (sample ${sample}); add one in scripts/record-examples.mjs`,
      type: "invalid_request_error",
    },
  };
}

// --- running the CLI -----------------------------------------------------------------------------

/** Runs the built CLI (asynchronously: the server answers from this process meanwhile). */
function labtrail(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function baseEnv() {
  const env = { ...process.env };
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "LABTRAIL_NOTEBOOK", "LABTRAIL_REPLAY_MODE", "LABTRAIL_HEADER_MODE"])
    delete env[name];
  return env;
}

async function closedPort() {
  const { freePorts } = require(join(root, "kernel", "dist", "client", "ports.js"));
  const [port] = await freePorts(1);
  return port;
}

class RecordingError extends Error {}

function fail(message) {
  throw new RecordingError(message);
}

function verdicts(run) {
  try {
    return JSON.parse(run.stdout).cells;
  } catch {
    fail(`labtrail reproduce printed no report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
}

function describeCells(cells) {
  return cells.map((c) => `  cell ${c.index} (${c.cellId}): ${c.verdict}: ${c.summary}`).join("\n");
}

/**
 * Records one example in a staging folder (a copy of the notebook beside a link to the project's
 * node_modules, so cells import zod as they do in examples/), and only when every step passed copies
 * the notebook, its records and its draft back into examples/.
 */
async function recordExample(name, server, work) {
  const notebook = `${name}.ipynb`;
  const source = join(examplesDir, notebook);
  if (!existsSync(source)) fail(`${relative(root, source)} does not exist`);
  const stage = join(work, name);
  mkdirSync(stage);
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir");
  copyFileSync(source, join(stage, notebook));
  server.reset();

  // 1. Record: every call goes to the local server. No records yet, so every cell is "new" (exit 1).
  const live = { ...baseEnv(), OPENAI_BASE_URL: server.url, OPENAI_API_KEY: DUMMY_KEY };
  const recorded = await labtrail(
    ["reproduce", notebook, "--mode", "refresh", "--json", "--output", join(work, `${name}.recorded.ipynb`)],
    stage,
    live,
  );
  const recordedCells = verdicts(recorded);
  if (recordedCells.some((c) => c.verdict !== "new")) fail(`recording ${notebook} failed:\n${describeCells(recordedCells)}`);
  const calls = server.requests();

  // 2. Replay with no key and nothing listening: every cell must reproduce from the recordings. Its
  //    executed notebook becomes the example: outputs as a rerun shows them.
  const offline = { ...baseEnv(), OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` };
  const executed = join(work, `${name}.replayed.ipynb`);
  const replayed = await labtrail(["reproduce", notebook, "--mode", "replay", "--json", "--output", executed], stage, offline);
  const replayedCells = verdicts(replayed);
  if (replayed.status !== 0) fail(`${notebook} did not reproduce offline:\n${describeCells(replayedCells)}\n${replayed.stderr}`);
  if (server.requests() !== calls) fail(`replaying ${notebook} sent requests to the server`);
  copyFileSync(executed, join(stage, notebook));

  // 3. The header contract, and the design-doc draft from the notebook and its records.
  const lint = await labtrail(["lint", notebook], stage, baseEnv());
  if (lint.status !== 0) fail(`labtrail lint ${notebook} found problems:\n${lint.stdout}${lint.stderr}`);
  const exported = await labtrail(["export", notebook], stage, baseEnv());
  if (exported.status !== 0) fail(`labtrail export ${notebook} failed:\n${exported.stdout}${exported.stderr}`);
  rmSync(join(stage, "node_modules"));
  const leaked = filesWithKey(stage);
  if (leaked.length) fail(`the dummy key is in ${leaked.join(", ")}`);

  // 4. Into examples/: the executed notebook, its records (replacing the old ones) and its draft.
  const records = `${name}.labtrail`;
  rmSync(join(examplesDir, records), { recursive: true, force: true });
  cpSync(join(stage, records), join(examplesDir, records), { recursive: true });
  copyFileSync(join(stage, `${name}.design.md`), join(examplesDir, `${name}.design.md`));
  copyFileSync(join(stage, notebook), source);
  process.stdout.write(
    `${notebook}: ${calls} model calls recorded, ${replayedCells.length} code cells reproduced offline; wrote ${records}/ and ${name}.design.md\n`,
  );
}

/** Every file under examples/ that holds the dummy key (there must be none). */
function filesWithKey(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...filesWithKey(path));
    else if (readFileSync(path).includes(DUMMY_KEY)) found.push(path);
  }
  return found;
}

async function main() {
  if (!existsSync(cli)) fail(`${relative(root, cli)} is missing: run \`node scripts/setup.mjs\` first`);
  const names = process.argv.slice(2).map((arg) => arg.replace(/^examples\//, "").replace(/\.ipynb$/, ""));
  for (const name of names) if (!EXAMPLES.includes(name)) fail(`unknown example "${name}"; the examples are ${EXAMPLES.join(", ")}`);
  const server = await startServer();
  const work = mkdtempSync(join(tmpdir(), "labtrail-record-examples-"));
  try {
    for (const name of names.length ? names : EXAMPLES) await recordExample(name, server, work);
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  const leaked = filesWithKey(examplesDir);
  if (leaked.length) fail(`the dummy key is in ${leaked.join(", ")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    process.stderr.write(`record-examples: ${error.message}\n`);
    process.exitCode = 1;
  }
}
