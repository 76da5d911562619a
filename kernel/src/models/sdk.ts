// The openai SDK, loaded on the first model call rather than at kernel start: most cells never call a
// model, and the SDK costs tens of milliseconds and megabytes to load.
import type * as OpenAISdk from "openai";
import type * as Parser from "openai/lib/parser";
import type * as ZodHelpers from "openai/helpers/zod";

let sdkModule: typeof OpenAISdk | undefined;
let parserModule: typeof Parser | undefined;
let zodModule: typeof ZodHelpers | undefined;

export function openaiSdk(): typeof OpenAISdk {
  sdkModule ??= require("openai") as typeof OpenAISdk;
  return sdkModule;
}

/** The SDK's structured-output parsing (what `chat.completions.parse` applies to a completion). */
export function openaiParser(): typeof Parser {
  parserModule ??= require("openai/lib/parser") as typeof Parser;
  return parserModule;
}

export function openaiZod(): typeof ZodHelpers {
  zodModule ??= require("openai/helpers/zod") as typeof ZodHelpers;
  return zodModule;
}

export type OpenAIClient = OpenAISdk.OpenAI;
export type ChatCompletion = OpenAISdk.OpenAI.Chat.Completions.ChatCompletion;
export type ChatCompletionCreateParams = OpenAISdk.OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
export type ChatCompletionCreateParamsStreaming = OpenAISdk.OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
