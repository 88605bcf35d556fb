/** The fake Vapi API answers the real SDK the way Vapi does (the provider tests rely on it). */
import { VapiClient, VapiError } from "@vapi-ai/server-sdk";
import { afterAll, describe, expect, it } from "vitest";

/** The error a call ended with (the tests below expect every one of these calls to fail). */
async function failure(p: Promise<unknown>): Promise<VapiError> {
  const outcome = await p.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(VapiError);
  return outcome as VapiError;
}
import { startFakeVapi } from "./helpers/fake-vapi";

const fake = await startFakeVapi();
afterAll(() => fake.close());
const client = new VapiClient({ token: "test-vapi-private-key", baseUrl: fake.url, maxRetries: 0 });

describe("fake Vapi through the real SDK", () => {
  it("creates, reads and updates phone numbers, and refuses a number that is not E.164", async () => {
    const created = (await client.phoneNumbers.create({
      provider: "twilio",
      number: "+12125550100",
      twilioAccountSid: "AC1",
      twilioAuthToken: "t",
    } as never)) as {
      id: string;
      status: string;
    };
    expect(created.status).toBe("active");
    await client.phoneNumbers.update({ id: created.id, body: { provider: "twilio", assistantId: "asst_1" } } as never);
    expect(fake.phoneNumbers.get(created.id)).toMatchObject({ number: "+12125550100", assistantId: "asst_1" });
    const bad = await failure(client.phoneNumbers.create({ provider: "twilio", number: "555-0100", twilioAccountSid: "AC1", twilioAuthToken: "t" } as never));
    expect(bad).toBeInstanceOf(VapiError);
    expect(bad.statusCode).toBe(400);
  });

  it("creates credentials through client.fetch and never echoes their secret", async () => {
    const res = await client.fetch("/credential", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "twilio", accountSid: "AC1", authToken: "secret-token" }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body.id).toBeTypeOf("string");
    expect(JSON.stringify(body)).not.toContain("secret-token");
  });

  it("answers an unknown id with a 404 VapiError, a wrong key with 401, and fails on request", async () => {
    const missing = await failure(client.assistants.get({ id: "nope" }));
    expect(missing).toBeInstanceOf(VapiError);
    expect(missing.statusCode).toBe(404);
    const wrongKey = new VapiClient({ token: "wrong", baseUrl: fake.url, maxRetries: 0 });
    expect((await failure(wrongKey.assistants.list())).statusCode).toBe(401);
    fake.failNext("POST", /^\/call$/, 503);
    expect((await failure(client.calls.create({ assistantId: "a", phoneNumberId: "p", customer: { number: "+12125550101" } }))).statusCode).toBe(503);
    expect(fake.sent("POST", "/call")).toHaveLength(1);
  });
});
