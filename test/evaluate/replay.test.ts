// evaluate()'s replay, per item: concurrent trials at temperature > 0 replay exactly in fresh kernels,
// a rerun after a partial failure asks the endpoint only for the failed items, and variants (with a
// judge) reach the chart, the run record, `labtrail runs` and the design-doc draft.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../fixtures";
import { displaysOf, type Exchange, streamText } from "../support/kernel-client";
import { ModelServer } from "../support/model-server";
import { notebookDir, records, startKernel as start } from "./evaluation-kernels";

type Printed = {
  summary: Record<string, number>;
  items: { index: number; trials?: { output?: string; error?: string }[]; error?: string }[];
};
function printed(exchange: Exchange): Printed {
  return JSON.parse(streamText(exchange).trim().split("\n").at(-1)!);
}

const promptOf = (body: Record<string, unknown>) => (body.messages as { content: string }[]).at(-1)?.content ?? "";

test("concurrent trials at temperature 1 replay exactly, item by item, in fresh kernels; the verdict is reproduced", async () => {
  // Every answer differs, and they finish in a shuffled order: completion order would not replay.
  let n = 0;
  const server = await ModelServer.start({ reply: () => ({ content: `answer ${++n}`, delayMs: Math.floor(Math.random() * 60) }) });
  try {
    const dir = notebookDir();
    const cell = [
      "// Tested: three samples of each title at temperature 1",
      'const titles = ["login broken", "add dark mode", "typo in docs", "crash on save", "slow search"];',
      'const res = await evaluate("samples", {',
      "  data: titles,",
      "  task: (t) => ask(`Label: ${t}`, { temperature: 1 }),",
      '  scores: { odd: (o) => Number(o.split(" ")[1]) % 2 === 1 },',
      "  trials: 3,",
      "  concurrency: 4,",
      "});",
      "console.log(JSON.stringify({ summary: res.summary, items: res.items }));",
    ].join("\n");
    const first = printed(await (await start(dir, server)).executeOk(cell, { metadata: { cellId: "samples" }, timeout: 60 }));
    expect(server.chatRequests()).toHaveLength(15);
    const outputs = (p: Printed) => p.items.map((item) => item.trials!.map((t) => t.output));
    expect(new Set(outputs(first).flat()).size).toBe(15);

    for (const _fresh of [1, 2]) {
      const kernel = await start(dir, server, { LABTRAIL_REPLAY_MODE: "replay" });
      const run = await kernel.executeOk(cell, { metadata: { cellId: "samples" }, timeout: 60 });
      const again = printed(run);
      expect(outputs(again)).toEqual(outputs(first));
      expect(again.summary).toMatchObject({ calls: 15, replayed: 15, odd: first.summary.odd, errors: 0 });
      expect(run.reply.metadata.labtrail.verdict.kind).toBe("reproduced");
      await kernel.stop();
    }
    expect(server.chatRequests()).toHaveLength(15);
    // Each (item, trial) is its own recording, keyed by the evaluation's name, the item and the trial.
    const [, replay] = records(dir);
    expect(replay.calls.every((c) => c.replayed && c.sample === 1 && c.item?.evaluation === "samples")).toBe(true);
    expect(new Set(replay.calls.map((c) => `${c.item?.item}.${c.item?.trial}`)).size).toBe(15);
  } finally {
    await server.close();
  }
});

test("a rerun after a partial failure calls the endpoint only for the failed items; the verdict names them", async () => {
  let failing = true;
  const server = await ModelServer.start({
    reply: (body) => (failing && /item [25]$/.test(promptOf(body)) ? { status: 500 } : { content: `label of ${promptOf(body)}` }),
  });
  try {
    const dir = notebookDir();
    const cell = [
      "// Tested: labels of eight items",
      'const res = await evaluate("labels", { data: [0, 1, 2, 3, 4, 5, 6, 7], task: (i) => ask(`item ${i}`, { maxRetries: 0 }) });',
      "console.log(JSON.stringify({ summary: res.summary, items: res.items }));",
    ].join("\n");
    const first = printed(await (await start(dir, server)).executeOk(cell, { metadata: { cellId: "labels" }, timeout: 60 }));
    expect(first.summary).toMatchObject({ n: 8, errors: 2 });
    expect(first.items.filter((i) => i.error).map((i) => i.index)).toEqual([2, 5]);
    expect(server.chatRequests()).toHaveLength(8);

    failing = false;
    server.reset();
    const kernel = await start(dir, server);
    const rerun = await kernel.executeOk(cell, { metadata: { cellId: "labels" }, timeout: 60 });
    expect(printed(rerun).summary).toMatchObject({ n: 8, errors: 0, calls: 8, replayed: 6 });
    expect(
      server
        .chatRequests()
        .map((r) => promptOf(r.body))
        .sort(),
    ).toEqual(["item 2", "item 5"]);
    const verdict = rerun.reply.metadata.labtrail.verdict;
    expect(verdict.kind).toBe("drifted");
    expect(verdict.summary).toContain('evaluation "labels": items 2 (error), 5 (error) changed');
  } finally {
    await server.close();
  }
});

test("variants: summaries side by side with a Vega-Lite chart, a judge's calls replayed; the record, `labtrail runs` and the draft show them", async () => {
  const server = await ModelServer.start({
    reply: (body) => {
      if (body.response_format) return { content: JSON.stringify({ pass: /Output:\n.*feature/.test(promptOf(body)), reason: "because" }) };
      return { content: promptOf(body).includes("one word") ? "bug" : "It is a feature request." };
    },
  });
  try {
    const dir = notebookDir();
    const code = [
      "// Tested: a one-word instruction beats a bare prompt",
      'const data = [{ title: "login broken", expected: "bug" }, { title: "dark mode", expected: "feature" }];',
      'const cmp = await evaluate("prompt variants", {',
      "  data,",
      "  variants: {",
      "    bare: (t) => ask(`Label ${t.title}`),",
      "    constrained: (t) => ask(`Label ${t.title}, one word`),",
      "  },",
      '  scores: { correct: exact(), mentions: includes("feature", { ignoreCase: true }), judged: judge("names a feature") },',
      "});",
      "console.log(JSON.stringify({ bare: cmp.variants.bare.summary, constrained: cmp.variants.constrained.summary }));",
    ].join("\n");
    writeFileSync(
      join(dir, "lab.ipynb"),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: "code", id: "cmp", metadata: {}, execution_count: null, outputs: [], source: code }],
      }),
    );
    const run = await (await start(dir, server)).executeOk(code, { metadata: { cellId: "cmp" }, timeout: 60 });
    const summaries = JSON.parse(streamText(run).trim().split("\n").at(-1)!);
    expect(summaries.bare).toMatchObject({ n: 2, correct: 0, mentions: 1, judged: 1, calls: 4 });
    expect(summaries.constrained).toMatchObject({ n: 2, correct: 0.5, mentions: 0, judged: 0, calls: 4 });

    // The chart is a display of its own: beside the table's HTML, JupyterLab would never draw it.
    const chart = displaysOf(run).find((m) => m.content.data?.["application/vnd.vegalite.v5+json"])!;
    expect(Object.keys(chart.content.data).sort()).toEqual(["application/vnd.vegalite.v5+json", "text/plain"]);
    expect(chart.content.data["application/vnd.vegalite.v5+json"]).toEqual({
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: "prompt variants",
      data: {
        values: [
          { variant: "bare", score: "correct", mean: 0 },
          { variant: "bare", score: "mentions", mean: 1 },
          { variant: "bare", score: "judged", mean: 1 },
          { variant: "constrained", score: "correct", mean: 0.5 },
          { variant: "constrained", score: "mentions", mean: 0 },
          { variant: "constrained", score: "judged", mean: 0 },
        ],
      },
      mark: "bar",
      encoding: expect.objectContaining({ xOffset: { field: "variant" } }),
    });
    const table = displaysOf(run).find((m) => m.content.data?.["text/plain"]?.startsWith("prompt variants: 2 variants"))!;
    expect(table.content.data["text/plain"]).toMatch(/^prompt variants: 2 variants\n\s+bare\s+constrained\ncorrect\s+0\s+0\.5\n/);
    expect(table.content.data["text/html"]).toContain("labtrail-evaluate-comparison");
    expect(chart.content.data["text/plain"]).toMatch(
      /^prompt variants: score means\ncorrect\n {2}bare\s+░{20} {2}0\n {2}constrained {2}█{10}░{10} {2}0\.5\n/,
    );

    // A fresh kernel replays it all, the judge's structured() calls included.
    const calls = server.chatRequests().length;
    const replay = await (await start(dir, server, { LABTRAIL_REPLAY_MODE: "replay" })).executeOk(code, {
      metadata: { cellId: "cmp" },
      timeout: 60,
    });
    expect(replay.reply.metadata.labtrail.verdict.kind).toBe("reproduced");
    expect(server.chatRequests()).toHaveLength(calls);

    const [record] = records(dir);
    expect(record.evaluations!.map((e) => [e.name, e.variant])).toEqual([
      ["prompt variants", "bare"],
      ["prompt variants", "constrained"],
    ]);
    expect(Object.keys(record.values["prompt variants"] as object)).toEqual(["bare", "constrained"]);

    const runs = runCli(["runs", "lab.ipynb"], { cwd: dir, env: { TZ: "UTC" } });
    expect(runs.status).toBe(0);
    expect(runs.stdout).toMatch(
      /◆ prompt variants:\n\s+bare\s+constrained\n\s+correct\s+0\s+0\.5\n\s+mentions\s+1\s+0\n\s+judged\s+1\s+0\n\s+n\s+2\s+2\n\s+errors\s+0\s+0\n/,
    );
    expect(runs.stdout).not.toContain("p50Ms");

    const draft = runCli(["export", "lab.ipynb", "-o", "-"], { cwd: dir });
    expect(draft.status).toBe(0);
    expect(draft.stdout).toContain(
      ["Evaluation `prompt variants` (cell 1):", "", "|  | bare | constrained |", "|---|---|---|", "| correct | 0 | 0.5 |"].join("\n"),
    );
    expect(draft.stdout).not.toContain("p50Ms");
  } finally {
    await server.close();
  }
});
