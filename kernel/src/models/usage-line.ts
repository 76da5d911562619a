// The compact line under a model answer: which model, tokens in/out, latency, how many attempts.
// Pure formatting, shared by the magic (one call) and the per-cell summary of helper calls.
import type { ModelCallSummary } from "../records/model-call";

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function modelLabel(call: Pick<ModelCallSummary, "name" | "model">): string {
  return call.name === call.model || call.model.startsWith(call.name) ? call.model : `${call.name} → ${call.model}`;
}

function tokens(input: number | undefined, output: number | undefined): string {
  if (input === undefined && output === undefined) return "tokens not reported";
  return `${input ?? "?"} in / ${output ?? "?"} out tokens`;
}

export function formatUsageLine(call: ModelCallSummary): string {
  const parts = [modelLabel(call), tokens(call.inputTokens, call.outputTokens), formatLatency(call.latencyMs)];
  if (call.attempts > 1) parts.push(`${call.attempts} attempts`);
  parts.push(call.replayed ? "replayed" : "live");
  return parts.join(" · ");
}

/** One line for all the calls a cell made through the helpers. */
export function formatCallsSummary(calls: readonly ModelCallSummary[]): string {
  if (calls.length === 1) return formatUsageLine(calls[0]);
  const byModel = new Map<string, number>();
  for (const call of calls) byModel.set(modelLabel(call), (byModel.get(modelLabel(call)) ?? 0) + 1);
  const models = [...byModel].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(", ");
  const sum = (pick: (c: ModelCallSummary) => number | undefined) =>
    calls.some((c) => pick(c) === undefined) ? undefined : calls.reduce((total, c) => total + (pick(c) ?? 0), 0);
  const latency = calls.reduce((total, c) => total + c.latencyMs, 0);
  const replayed = calls.filter((c) => c.replayed).length;
  const how =
    replayed === calls.length ? "all replayed" : replayed === 0 ? "all live" : `${replayed} replayed, ${calls.length - replayed} live`;
  return `${calls.length} model calls · ${models} · ${tokens(
    sum((c) => c.inputTokens),
    sum((c) => c.outputTokens),
  )} · ${formatLatency(latency)} total · ${how}`;
}
