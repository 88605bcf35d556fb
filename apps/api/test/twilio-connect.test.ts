/**
 * Connecting a clinic's own Twilio account (POST/GET/DELETE /api/integrations/twilio) with the real
 * `twilio` SDK against a fake Twilio (test/helpers/fake-twilio.ts) and the real Vapi SDK against
 * the fake Vapi (test/helpers/fake-vapi.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeTwilio, type FakeTwilioAccount, startFakeTwilio } from "./helpers/fake-twilio";
import { type FakeVapi, startFakeVapi } from "./helpers/fake-vapi";
import { listen, type TestHttp } from "./helpers/http";
import { dumpDatabaseText } from "./helpers/postcall";

let twilio: FakeTwilio;
let vapi: FakeVapi;
let t: TestApp;
let http: TestHttp;
const PUBLIC_API_URL = "https://api.clinic.example";

beforeAll(async () => {
  twilio = await startFakeTwilio();
  vapi = await startFakeVapi();
  t = await createTestApp({
    config: { VAPI_PRIVATE_KEY: "test-vapi-private-key", VAPI_BASE_URL: vapi.url, TWILIO_API_BASE_URL: twilio.url, PUBLIC_API_URL },
  });
  http = await listen(t.app);
});
afterAll(async () => {
  await twilio?.close();
  await vapi?.close();
});
beforeEach(() => {
  vapi.reset();
  twilio.reset();
});

let n = 0;
const freshNumber = () => `+1415555${String(1000 + n++).padStart(4, "0")}`;

async function clinicWithAssistant(): Promise<{ owner: TestUser; assistantId: string; agentId: string }> {
  const owner = await signUpClinic(t);
  const assistantId = `asst_${owner.orgId.slice(0, 8)}`;
  const { rows } = await t.admin.query(
    `insert into public.agents (org_id, role, name, vapi_assistant_id) values ($1, 'inbound', 'Receptionist', $2)
     on conflict (org_id, role) do update set vapi_assistant_id = excluded.vapi_assistant_id returning id`,
    [owner.orgId, assistantId],
  );
  return { owner, assistantId, agentId: rows[0].id };
}

const connect = (user: TestUser, body: unknown) => http.request("POST", "/api/integrations/twilio", { body, headers: user.bearer });
const status = (user: TestUser) => http.request("GET", "/api/integrations/twilio", { headers: user.bearer });
const disconnect = (user: TestUser) => http.request("DELETE", "/api/integrations/twilio", { headers: user.bearer });
const tokenBody = (account: FakeTwilioAccount, phoneNumber: string) => ({ accountSid: account.sid, authToken: account.authToken, phoneNumber });

async function stored(orgId: string) {
  const credentials = (await t.admin.query("select status, ciphertext is not null as sealed, metadata from org_credentials where org_id = $1", [orgId])).rows;
  const numbers = (await t.admin.query("select e164, twilio_sid, vapi_phone_number_id, agent_id from phone_numbers where org_id = $1", [orgId])).rows;
  return { credentials, numbers };
}

describe("connecting Twilio", () => {
  it("happy path: one Vapi credential, one number imported and linked to the inbound assistant, SMS webhook pointed at us, audited", async () => {
    const { owner, assistantId, agentId } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });

    const res = await connect(owner, tokenBody(account, number));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      status: "active",
      accountSid: account.sid,
      authMode: "auth_token",
      phoneNumber: number,
      linkedToAssistant: true,
      webhooksVerified: true,
    });

    const credentialPosts = vapi.sent("POST", "/credential");
    expect(credentialPosts).toHaveLength(1);
    expect(credentialPosts[0]!.body).toMatchObject({ provider: "twilio", accountSid: account.sid, authToken: account.authToken });
    const imports = vapi.sent("POST", "/phone-number");
    expect(imports).toHaveLength(1);
    expect(imports[0]!.body).toMatchObject({ provider: "twilio", number, twilioAccountSid: account.sid, assistantId, smsEnabled: false });
    expect(vapi.phoneNumbers.size).toBeGreaterThan(0);

    const twilioNumber = [...twilio.numbers.values()].find((x) => x.phoneNumber === number)!;
    expect(twilioNumber.smsUrl).toBe(`${PUBLIC_API_URL}/api/webhooks/twilio/${owner.orgId}/sms`);

    const s = await stored(owner.orgId);
    expect(s.credentials).toEqual([expect.objectContaining({ status: "active", sealed: true })]);
    expect(s.numbers).toEqual([{ e164: number, twilio_sid: twilioNumber.sid, vapi_phone_number_id: res.body.vapiPhoneNumberId, agent_id: agentId }]);
    const audit = await t.admin.query("select action, actor_user_id from audit_events where org_id = $1 and action like 'integration.twilio.%'", [owner.orgId]);
    expect(audit.rows).toEqual([{ action: "integration.twilio.connected", actor_user_id: owner.userId }]);

    // Everyone in the clinic sees the status; nobody sees a secret.
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const seen = await status(staff);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: "active", phoneNumber: number });
    expect(seen.text).not.toContain(account.authToken);
  });

  it("a double submit (two requests at once) produces one set of side effects and the same answer", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    const [a, b] = await Promise.all([connect(owner, tokenBody(account, number)), connect(owner, tokenBody(account, number))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect(vapi.sent("POST", "/credential")).toHaveLength(1);
    expect(vapi.sent("POST", "/phone-number")).toHaveLength(1);
    expect((await stored(owner.orgId)).numbers).toHaveLength(1);
  });

  it("wrong token: 400 with Twilio's reason, nothing stored, nothing sent to Vapi", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    const res = await connect(owner, { accountSid: account.sid, authToken: "0".repeat(32), phoneNumber: number });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("twilio_check_credentials_failed");
    expect(res.body.error.message).toContain("step 1 of 7");
    expect(res.body.error.message).toContain("error 20003");
    expect(res.body.error.message).toContain("Authenticate");
    expect(vapi.requests).toHaveLength(0);
    expect(await stored(owner.orgId)).toEqual({ credentials: [], numbers: [] });
  });

  it("a number that is not on the account: 400 naming the number, nothing stored", async () => {
    const { owner } = await clinicWithAssistant();
    const account = twilio.addAccount({ numbers: [freshNumber()] });
    const other = freshNumber();
    const res = await connect(owner, tokenBody(account, other));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("twilio_find_number_failed");
    expect(res.body.error.message).toContain(`${other} is not a phone number of Twilio account ${account.sid}`);
    expect(vapi.requests).toHaveLength(0);
    expect(await stored(owner.orgId)).toEqual({ credentials: [], numbers: [] });
  });

  it("Vapi import fails: the Vapi credential is deleted, nothing is stored, the error says which step and what was undone", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    vapi.failNext("POST", /^\/phone-number$/, 400, 1, "number is already in use by another phone number");
    const credentialsBefore = vapi.credentials.size;

    const res = await connect(owner, tokenBody(account, number));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("twilio_import_number_failed");
    expect(res.body.error.message).toContain("step 5 of 7 (import the number into Vapi)");
    expect(res.body.error.message).toContain("number is already in use by another phone number");
    expect(res.body.error.message).toContain("deleted the Twilio credential created in Vapi");
    const createdCredential = vapi.sent("POST", "/credential");
    expect(createdCredential).toHaveLength(1);
    expect(vapi.credentials.size).toBe(credentialsBefore);
    expect(vapi.sent("DELETE", "/credential/")).toHaveLength(1);
    expect(await stored(owner.orgId)).toEqual({ credentials: [], numbers: [] });
    expect([...twilio.numbers.values()].find((x) => x.phoneNumber === number)!.smsUrl).toBe("");

    // Trying again once Vapi accepts works, with exactly one credential and one number in Vapi.
    vapi.reset();
    const again = await connect(owner, tokenBody(account, number));
    expect(again.status).toBe(200);
    expect(vapi.credentials.size).toBe(credentialsBefore + 1);
    expect(vapi.sent("POST", "/phone-number")).toHaveLength(1);
  });

  it("Twilio's SMS webhook cannot be set: the imported number is released and the credential deleted", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    twilio.failNext("POST", /IncomingPhoneNumbers\/PN\w+\.json$/, 500, 20500, "Internal Server Error");
    const before = vapi.phoneNumbers.size;
    const res = await connect(owner, tokenBody(account, number));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("twilio_configure_sms_webhook_failed");
    expect(res.body.error.message).toContain("released the number from Vapi");
    expect(vapi.phoneNumbers.size).toBe(before);
    expect(await stored(owner.orgId)).toEqual({ credentials: [], numbers: [] });
  });

  it("staff cannot connect; bad input is a 400 that says what to fix", async () => {
    const { owner } = await clinicWithAssistant();
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const account = twilio.addAccount({ numbers: [freshNumber()] });
    expect((await connect(staff, tokenBody(account, "+14155550000"))).status).toBe(403);
    const bad = await connect(owner, { accountSid: "AC123", authToken: account.authToken, phoneNumber: "415 555" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("account SID starts with AC");
    expect(twilio.requests).toHaveLength(0);
  });

  it("an API key connects too (checked without /Accounts), and says webhooks cannot be verified", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    const key = twilio.addApiKey(account.sid);
    const res = await connect(owner, { accountSid: account.sid, apiKeySid: key.sid, apiKeySecret: key.secret, phoneNumber: number });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "active", authMode: "api_key", webhooksVerified: false });
    expect(res.body.notes.join(" ")).toContain("auth token");
    expect(vapi.sent("POST", "/phone-number")[0]!.body).toMatchObject({ twilioApiKey: key.sid, twilioApiSecret: key.secret });
  });
});

describe("disconnecting Twilio", () => {
  it("reverses everything: Vapi number released, Vapi credential deleted, SMS webhook restored, secrets erased, audited", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    const twilioNumber = [...twilio.numbers.values()].find((x) => x.phoneNumber === number)!;
    twilioNumber.smsUrl = "https://old.example/sms";
    const connected = await connect(owner, tokenBody(account, number));
    expect(connected.status).toBe(200);
    const vapiNumberId = connected.body.vapiPhoneNumberId;
    expect(vapi.phoneNumbers.has(vapiNumberId)).toBe(true);
    expect(vapi.credentials.size).toBeGreaterThan(0);
    const credentialId = (await stored(owner.orgId)).credentials[0].metadata.vapiCredentialId;

    const res = await disconnect(owner);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "revoked", phoneNumber: null, linkedToAssistant: false });
    expect(vapi.phoneNumbers.has(vapiNumberId)).toBe(false);
    expect(vapi.credentials.has(credentialId)).toBe(false);
    expect(twilioNumber.smsUrl).toBe("https://old.example/sms");
    const s = await stored(owner.orgId);
    expect(s.numbers).toEqual([]);
    expect(s.credentials).toEqual([expect.objectContaining({ status: "revoked", sealed: false })]);
    const audit = await t.admin.query("select action from audit_events where org_id = $1 and action like 'integration.twilio.%' order by created_at", [
      owner.orgId,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(["integration.twilio.connected", "integration.twilio.disconnected"]);

    // Disconnecting again changes nothing; connecting again works.
    vapi.reset();
    expect((await disconnect(owner)).status).toBe(200);
    expect(vapi.requests).toHaveLength(0);
    expect((await connect(owner, tokenBody(account, number))).status).toBe(200);
  });

  it("Vapi down during disconnect: 502, nothing changed here, and a retry finishes", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    expect((await connect(owner, tokenBody(account, number))).status).toBe(200);
    vapi.failNext("DELETE", /^\/credential\//, 503, 1);
    const res = await disconnect(owner);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("twilio_disconnect_failed");
    expect((await stored(owner.orgId)).numbers).toHaveLength(1);
    const retry = await disconnect(owner);
    expect(retry.status).toBe(200);
    expect((await stored(owner.orgId)).numbers).toHaveLength(0);
  });
});

describe("no secrets leak", () => {
  it("the auth token appears in no response, no log line and no database row in plaintext", async () => {
    const { owner } = await clinicWithAssistant();
    const number = freshNumber();
    const account = twilio.addAccount({ numbers: [number] });
    const bodies = [(await connect(owner, tokenBody(account, number))).text, (await status(owner)).text];
    // A failing connect of another clinic with the same token must not echo it either.
    const other = await clinicWithAssistant();
    bodies.push((await connect(other.owner, tokenBody(account, freshNumber()))).text);
    bodies.push((await disconnect(owner)).text);
    for (const body of bodies) expect(body).not.toContain(account.authToken);
    expect(t.logs.text()).not.toContain(account.authToken);
    expect(await dumpDatabaseText(t.admin)).not.toContain(account.authToken);
  });
});
