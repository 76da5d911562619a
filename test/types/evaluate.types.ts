// Type-level tests of evaluate() and its scorers: the output type comes from the task, the item type
// from the data, a score of the wrong type does not compile. Never run, only checked (tsc -p test/tsconfig.json).
import { ask, type Comparison, type Evaluation, evaluate, exact, includes, judge, matches, numericWithin } from "labtrail";
import { type Equal, expectTrue } from "./type-assertions";

const titles = [
  { title: "Login button does nothing", label: "bug" as const },
  { title: "Add dark mode", label: "feature" as const },
];
type Title = (typeof titles)[number];

export async function outputFromTaskItemFromData(): Promise<void> {
  const res = await evaluate("labels", {
    data: titles,
    task: (t) => ask(`Label: ${t.title}`),
    scores: { correct: (output, t) => output.trim() === t.label, length: (output) => output.length },
  });
  expectTrue<Equal<typeof res, Evaluation<Title, string, "correct" | "length">>>();
  expectTrue<Equal<typeof res.summary.correct, number | null>>();
  expectTrue<Equal<typeof res.summary.n, number>>();
  expectTrue<Equal<(typeof res.items)[number]["output"], string | undefined>>();
  expectTrue<Equal<(typeof res.items)[number]["input"], Title>>();
  // @ts-expect-error no score of that name
  res.summary.accuracy;

  const numbers = await evaluate("sums", { data: [1, 2, 3], task: (n) => n * 2, scores: { even: (o) => o % 2 === 0 } });
  expectTrue<Equal<(typeof numbers.items)[number]["output"], number | undefined>>();
}

export async function wrongScoresDoNotCompile(): Promise<void> {
  // @ts-expect-error the output is a string, not a number: the score does not fit the task
  await evaluate("labels", { data: titles, task: (t) => ask(t.title), scores: { correct: (output: number) => output > 1 } });
  // @ts-expect-error the item is a title, not a number
  await evaluate("labels", { data: titles, task: (t) => ask(t.title), scores: { correct: (_o: string, t: number) => t > 1 } });
  await evaluate("labels", {
    data: titles,
    task: (t) => ask(t.title),
    // @ts-expect-error a score is a boolean or a number
    scores: { correct: (output) => output.toUpperCase() },
  });
  await evaluate("labels", {
    data: titles,
    task: (t) => ask(t.title),
    // @ts-expect-error the item has no field "expected2"
    scores: { correct: (output, t) => output === t.expected2 },
  });
}

export async function variantsAreEvaluationsOfTheirOwn(): Promise<void> {
  const cmp = await evaluate("variants", {
    data: titles,
    variants: { bare: (t) => ask(t.title), length: (t) => t.title.length },
    scores: { correct: exact((t) => t.label), found: includes("bug"), word: matches(/^\w+$/), near: numericWithin(1, () => 3) },
  });
  expectTrue<Equal<typeof cmp.variants.bare, Evaluation<Title, string, "correct" | "found" | "word" | "near">>>();
  expectTrue<Equal<(typeof cmp.variants.length.items)[number]["output"], number | undefined>>();
  expectTrue<Equal<keyof typeof cmp.variants, "bare" | "length">>();
  void (cmp satisfies Comparison<
    Title,
    { bare: (t: Title) => Promise<string>; length: (t: Title) => number },
    "correct" | "found" | "word" | "near"
  >);
  await evaluate("judged", { data: titles, task: (t) => ask(t.title), scores: { ok: judge("is one word", { model: "fast" }) } });
  // @ts-expect-error task or variants, not both
  await evaluate("both", { data: titles, task: (t: Title) => t.title, variants: { a: (t: Title) => t.title } });
}

const correctLabel = (answer: string, t: Title) => answer === t.label;
const labelOfTitle = (title: string, temperature: number) => ask(title, { temperature });
export async function declaredScorers(): Promise<void> {
  const hot = await evaluate("declared", { data: titles, task: (t) => labelOfTitle(t.title, 1), scores: { correctLabel }, trials: 3 });
  expectTrue<Equal<typeof hot.summary.correctLabel, number | null>>();
}
