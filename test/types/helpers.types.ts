// Type-level tests of the helpers cells call, where the types are the feature: structured() types its
// value by the schema, and the options reject wrong types. Never run, only checked: tsc -p
// test/tsconfig.json (npm test) fails when an assertion is false or an `@ts-expect-error` line compiles.
import { type EmbedOptions, type ModelOptions, type StructuredOptions, ask, chat, embed, type labtrail$magic, structured } from "labtrail";
import { z } from "zod";
import { type Equal, expectTrue } from "./type-assertions";

const Ticket = z.object({
  title: z.string(),
  priority: z.enum(["low", "high"]),
  tags: z.array(z.string()).optional(),
});
type TicketValue = { title: string; priority: "low" | "high"; tags?: string[] | undefined };

export async function structuredIsTypedByItsSchema(): Promise<void> {
  const ticket = await structured(Ticket, "Extract the ticket from: login fails");
  expectTrue<Equal<typeof ticket, TicketValue>>();
  // @ts-expect-error the value is the schema's type, not any: title is a string
  const count: number = ticket.title;
  // @ts-expect-error the enum's values only
  const urgent: "urgent" = ticket.priority;
  // @ts-expect-error no field the schema does not declare
  ticket.assignee;
  // The %%ask --schema rewrite goes through the same typing.
  expectTrue<Equal<Awaited<ReturnType<typeof labtrail$magic.structured<typeof Ticket>>>, TicketValue>>();
  void [count, urgent];
}

export async function structuredNeedsASchema(): Promise<void> {
  // @ts-expect-error a prompt is not a schema
  await structured("a ticket", "Extract the ticket");
}

export async function askAndChatResolveToTheirAnswers(): Promise<void> {
  expectTrue<Equal<Awaited<ReturnType<typeof ask>>, string>>();
  expectTrue<Equal<Awaited<ReturnType<typeof labtrail$magic.ask>>, string>>();
  const reply = await chat([{ role: "user", content: "hi" }]);
  expectTrue<Equal<typeof reply.content, string | null>>();
  // @ts-expect-error a message needs a known role
  await chat([{ role: "robot", content: "hi" }]);
}

export function modelOptionsTypeTheirNamedKeys(): void {
  const all: ModelOptions = { model: "fast", temperature: 0, maxTokens: 5, seed: 1, system: "Be brief.", timeoutMs: 1000, maxRetries: 2 };
  // @ts-expect-error temperature is a number
  const hot: ModelOptions = { temperature: "hot" };
  // @ts-expect-error maxTokens is a number
  const many: ModelOptions = { maxTokens: "5" };
  // @ts-expect-error the model is a name
  const numbered: ModelOptions = { model: 4 };
  // @ts-expect-error the system prompt is text
  const listed: ModelOptions = { system: ["Be brief."] };
  // The known efforts complete in the editor; an endpoint's own word is accepted too.
  const efforts: ModelOptions[] = [{ reasoningEffort: "low" }, { reasoningEffort: "high" }, { reasoningEffort: "turbo" }];
  // @ts-expect-error the effort is a word, not a number
  const numeric: ModelOptions = { reasoningEffort: 3 };
  void [all, hot, many, numbered, listed, efforts, numeric];
}

export async function structuredOptionsAddTheSchemaName(): Promise<void> {
  const named: StructuredOptions = { schemaName: "ticket", temperature: 0 };
  // @ts-expect-error schemaName is a string
  const numbered: StructuredOptions = { schemaName: 1 };
  // @ts-expect-error the helpers check their options' types where they are called, too
  await ask("x", { seed: "1" });
  // @ts-expect-error and structured()'s
  await structured(Ticket, "x", { schemaName: false });
  void [named, numbered];
}

export async function embedGivesAVectorPerText(): Promise<void> {
  const one = await embed("a text");
  expectTrue<Equal<typeof one, number[]>>();
  const many = await embed(["a text", "another"], { model: "vectors", dimensions: 256, batchSize: 100, user: "u-1" });
  expectTrue<Equal<typeof many, number[][]>>();
  // A readonly array (`as const`) is texts too.
  const fixed = await embed(["a", "b"] as const);
  expectTrue<Equal<typeof fixed, number[][]>>();
  // @ts-expect-error one text gives one vector, not a list of them
  const rows: number[][] = await embed("a text");
  // @ts-expect-error a list of texts gives a list of vectors
  const row: number[] = await embed(["a", "b"]);
  // @ts-expect-error a number is not a text
  await embed(42);
  // @ts-expect-error nor is a list of numbers
  await embed([1, 2]);
  // @ts-expect-error dimensions is a number
  await embed("a text", { dimensions: "256" });
  // @ts-expect-error batchSize is a number
  const batched: EmbedOptions = { batchSize: "many" };
  void [rows, row, batched];
}
