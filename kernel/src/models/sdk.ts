// The openai SDK, loaded on the first model call rather than at kernel start: most cells never call a
// model, and the SDK costs tens of milliseconds and megabytes to load.
import type * as OpenAISdk from "openai";
import type * as Parser from "openai/lib/parser";
import type * as ZodHelpers from "openai/helpers/zod";

let sdkModule: typeof OpenAISdk | undefined;
let parserModule: typeof Parser | undefined;
let zodModule: typeof ZodHelpers | undefined;

export function openaiSdk(): typeof OpenAISdk {
  return (sdkModule ??= require("openai") as typeof OpenAISdk);
}

/** The SDK's structured-output parsing (what `chat.completions.parse` applies to a completion). */
export function openaiParser(): typeof Parser {
  return (parserModule ??= require("openai/lib/parser") as typeof Parser);
}

export function openaiZod(): typeof ZodHelpers {
  return (zodModule ??= require("openai/helpers/zod") as typeof ZodHelpers);
}

export type OpenAIClient = OpenAISdk.OpenAI;
export type ChatCompletion = OpenAISdk.OpenAI.Chat.Completions.ChatCompletion;
export type ChatCompletionCreateParams = OpenAISdk.OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
