// The SDK client cache: the real openai SDK against the local model server.
import { SdkClients } from "../../kernel/src/models/sdk-clients";
import { ModelServer } from "../support/model-server";

let server: ModelServer;
let other: ModelServer;
beforeAll(async () => {
  [server, other] = await Promise.all([ModelServer.start(), ModelServer.start()]);
});
afterAll(async () => {
  await Promise.all([server?.close(), other?.close()]);
});
beforeEach(() => server.reset());

const request = { model: "test-model", messages: [{ role: "user" as const, content: "hi" }] };

test("one client per endpoint, reused while its key stays the same", () => {
  const clients = new SdkClients();
  const first = clients.client(server.url, "sk-one");
  expect(clients.client(server.url, "sk-one")).toBe(first);
  expect(clients.client(other.url, "sk-one")).not.toBe(first);
});

test("a changed key gets a new client, and its requests carry the new key", async () => {
  const clients = new SdkClients();
  const before = clients.client(server.url, "sk-before");
  await before.chat.completions.create(request);
  const after = clients.client(server.url, "sk-after");
  expect(after).not.toBe(before);
  await after.chat.completions.create(request);
  expect(server.chatRequests().map((r) => r.headers.authorization)).toEqual(["Bearer sk-before", "Bearer sk-after"]);
});

test("attempts are counted per call, retries included, with calls at once on one client", async () => {
  const clients = new SdkClients();
  const client = clients.client(server.url, "sk-one");
  // The first request to arrive fails once and is retried; the other succeeds at once.
  server.script({ status: 500, headers: { "retry-after-ms": "10" } });
  const counters = [{ attempts: 0 }, { attempts: 0 }];
  await Promise.all(counters.map((counter) => clients.counting(counter, () => client.chat.completions.create(request, { maxRetries: 2 }))));
  expect(counters.map((c) => c.attempts).sort()).toEqual([1, 2]);
  expect(server.chatRequests()).toHaveLength(3);
});
