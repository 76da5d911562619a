// One openai SDK client per endpoint, reused across calls: the per-call settings (timeout, retries,
// the cell's abort signal) go with each request, so only the endpoint and its key shape a client.
import { AsyncLocalStorage } from "node:async_hooks";
import { openaiSdk, type OpenAIClient } from "./sdk";

/** Requests sent for one call, retries included: the SDK retries inside one call. */
export interface AttemptCounter {
  attempts: number;
}

interface CachedClient {
  apiKey: string;
  client: OpenAIClient;
}

export class SdkClients {
  private readonly byBaseURL = new Map<string, CachedClient>();
  /** The call a fetch belongs to: one client serves many calls, some at once. */
  private readonly currentCall = new AsyncLocalStorage<AttemptCounter>();

  /** The endpoint's client; a key that changed in the environment since the last call gets a new one. */
  client(baseURL: string, apiKey: string): OpenAIClient {
    const cached = this.byBaseURL.get(baseURL);
    if (cached?.apiKey === apiKey) return cached.client;
    const client = new (openaiSdk().OpenAI)({
      apiKey,
      baseURL,
      logLevel: "off",
      fetch: (url, init) => {
        const counter = this.currentCall.getStore();
        if (counter) counter.attempts++;
        return fetch(url, init);
      },
    });
    this.byBaseURL.set(baseURL, { apiKey, client });
    return client;
  }

  /** Runs one call, counting the requests it sends (`counter.attempts`). */
  counting<T>(counter: AttemptCounter, call: () => T): T {
    return this.currentCall.run(counter, call);
  }
}
