/**
 * Taking over a live call from the drawer ("Transfer to me", "End call") through the call's
 * control URL, against a fake of Vapi's control endpoint on 127.0.0.1. The URL is a secret: it is
 * stored for the live call only, never returned by the API, never logged, never readable by members.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowedControlUrl } from "../src/integrations/vapi/control";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeVapiControl, startFakeVapiControl } from "./helpers/fake-vapi-control";
import { listen, type TestHttp } from "./helpers/http";
import { addVapiIdentity, type VapiIdentity } from "./helpers/vapi";

let t: TestApp;
let http: TestHttp;
let control: FakeVapiControl;
let owner: TestUser;
let admin: TestUser;
let staff: TestUser;
let identity: VapiIdentity;
let other: TestUser;
let otherIdentity: VapiIdentity;
/** Every response body the tests saw, to prove no control URL ever appears in one. */
const responses: string[] = [];

beforeAll(async () => {
  control = await startFakeVapiControl();
  t = await createTestApp({ config: { VAPI_CONTROL_URL_HOSTS: "127.0.0.1" } });
  http = await listen(t.app);
  owner = await signUpClinic(t, { clinicName: "Take Over Clinic" });
  admin = await addTeamMember(t, owner.orgId, { role: "admin" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  identity = await addVapiIdentity(t.admin, owner.orgId);
  await t.admin.query("update public.organizations set transfer_number = '+12125550188' where id = $1", [owner.orgId]);
  other = await signUpClinic(t, { clinicName: "Other Clinic" });
  otherIdentity = await addVapiIdentity(t.admin, other.orgId);
});
afterAll(async () => {
  await control?.close();
});

async function webhook(message: Record<string, unknown>) {
  const res = await http.request("POST", "/api/vapi/webhook", {
    body: JSON.stringify({ message: { timestamp: Date.now(), ...message } }),
    headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
  });
  expect(res.status).toBe(200);
}

/** A live inbound call of the clinic, with a control URL unless `controlUrl` is null. */
async function liveCall(id: VapiIdentity = identity, o: { controlUrl?: string | null } = {}) {
  const vapiCallId = `vcall_${randomUUID()}`;
  const controlUrl = o.controlUrl === undefined ? control.urlFor(vapiCallId) : o.controlUrl;
  const call = {
    id: vapiCallId,
    assistantId: id.assistantId,
    phoneNumberId: id.phoneNumberId,
    customer: { number: "+12125557001" },
    ...(controlUrl ? { monitor: { listenUrl: "wss://127.0.0.1/listen", controlUrl } } : {}),
  };
  await webhook({ type: "status-update", status: "in-progress", call, phoneNumber: { id: id.phoneNumberId, number: id.clinicNumber } });
  const { rows } = await t.admin.query("select id from public.call_logs where vapi_call_id = $1", [vapiCallId]);
  return { vapiCallId, callId: rows[0].id as string, call, controlUrl };
}

async function detail(user: TestUser, callId: string) {
  const res = await http.request("GET", `/api/calls-dashboard/${callId}`, { headers: user.bearer });
  responses.push(res.text);
  return res;
}

async function takeOver(user: TestUser | null, callId: string, body: unknown) {
  const res = await http.request("POST", `/api/calls-dashboard/${callId}/take-over`, { body, headers: user?.bearer ?? {} });
  responses.push(res.text);
  return res;
}

const auditOf = async (callId: string) =>
  (
    await t.admin.query("select action, actor_user_id, data from public.audit_events where org_id = $1 and target_id = $2 order by created_at", [
      owner.orgId,
      callId,
    ])
  ).rows;

describe("taking over a live call", () => {
  it("a live call with a control URL can be taken over; the detail says so without the URL", async () => {
    const { callId, controlUrl } = await liveCall();
    const res = await detail(staff, callId);
    expect(res.status).toBe(200);
    expect(res.body.canTakeOver).toBe(true);
    expect(res.text).not.toContain(new URL(controlUrl!).pathname);
  });

  it("front-desk staff transfer the call to the clinic's transfer number (audited)", async () => {
    const { callId, vapiCallId } = await liveCall();
    const res = await takeOver(staff, callId, { action: "transfer" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ action: "transfer", transferredTo: "+12125550188", message: "Transferring the call to +12125550188." });
    expect(control.messagesOf(vapiCallId)).toEqual([
      { type: "transfer", destination: { type: "number", number: "+12125550188" }, content: "Please hold while I connect you to the clinic." },
    ]);
    expect(await auditOf(callId)).toEqual([
      { action: "call.transferred_by_staff", actor_user_id: staff.userId, data: { outcome: "sent", to: "+12125550188" } },
    ]);
  });

  it("the agent's own transfer number wins over the clinic's", async () => {
    await t.admin.query("update public.agents set transfer_number = '+12125550199' where org_id = $1", [owner.orgId]);
    try {
      const { callId, vapiCallId } = await liveCall();
      expect((await takeOver(owner, callId, { action: "transfer" })).body.transferredTo).toBe("+12125550199");
      expect(control.messagesOf(vapiCallId)[0].destination.number).toBe("+12125550199");
    } finally {
      await t.admin.query("update public.agents set transfer_number = null where org_id = $1", [owner.orgId]);
    }
  });

  it("ends the call: Vapi gets end-call, and a second try is refused because the call is over", async () => {
    const { callId, vapiCallId } = await liveCall();
    const res = await takeOver(admin, callId, { action: "end" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ action: "end", transferredTo: null, message: "The call is being ended." });
    expect(control.messagesOf(vapiCallId)).toEqual([{ type: "end-call" }]);
    // Vapi answers 404 for a call that is over: 409, the URL is forgotten, nothing else is sent.
    const again = await takeOver(admin, callId, { action: "end" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "call_not_live", message: "This call can't be controlled from here: it has already ended." });
    expect((await detail(admin, callId)).body.canTakeOver).toBe(false);
    expect(control.messagesOf(vapiCallId)).toHaveLength(1);
    expect((await auditOf(callId)).map((a) => [a.action, a.data.outcome])).toEqual([
      ["call.ended_by_staff", "sent"],
      ["call.ended_by_staff", "failed"],
    ]);
  });

  it("a call that ended cannot be controlled, and its control URL is forgotten", async () => {
    const { callId, vapiCallId, call } = await liveCall();
    await webhook({ type: "status-update", status: "ended", endedReason: "customer-ended-call", call });
    expect((await detail(staff, callId)).body.canTakeOver).toBe(false);
    expect((await t.admin.query("select count(*)::int as n from public.call_controls where vapi_call_id = $1", [vapiCallId])).rows[0].n).toBe(0);
    const res = await takeOver(staff, callId, { action: "transfer" });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("This call can't be controlled from here: it has already ended.");
    // A late in-progress message (with its control URL) does not bring it back.
    await webhook({ type: "status-update", status: "in-progress", call });
    expect((await detail(staff, callId)).body.canTakeOver).toBe(false);
    expect(control.messagesOf(vapiCallId)).toEqual([]);
    expect(await auditOf(callId)).toEqual([]);
  });

  it("a call without a control URL says why it can't be controlled", async () => {
    const { callId } = await liveCall(identity, { controlUrl: null });
    expect((await detail(staff, callId)).body.canTakeOver).toBe(false);
    const res = await takeOver(staff, callId, { action: "end" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("no_control_url");
    expect(res.body.error.message).toMatch(/^This call can't be controlled from here: /);
  });

  it("transfer without a transfer number is refused and says where to set one; nothing is sent", async () => {
    await t.admin.query("update public.organizations set transfer_number = null where id = $1", [owner.orgId]);
    try {
      const { callId, vapiCallId } = await liveCall();
      const res = await takeOver(staff, callId, { action: "transfer" });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: "no_transfer_number",
        message: "No transfer number is set. Add one in Settings (call handling) or on the Agent page, then try again.",
      });
      expect(control.messagesOf(vapiCallId)).toEqual([]);
    } finally {
      await t.admin.query("update public.organizations set transfer_number = '+12125550188' where id = $1", [owner.orgId]);
    }
  });

  it("Vapi failing is a 502 with a clear message, audited as failed, and the call stays controllable", async () => {
    const { callId, vapiCallId } = await liveCall();
    control.failNext(500);
    const res = await takeOver(staff, callId, { action: "transfer" });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      code: "vapi_control_failed",
      message: "Vapi did not accept the request (Vapi answered 500). The call is unchanged; try again.",
    });
    expect(await auditOf(callId)).toEqual([
      { action: "call.transferred_by_staff", actor_user_id: staff.userId, data: { outcome: "failed", to: "+12125550188", reason: "Vapi answered 500" } },
    ]);
    expect((await detail(staff, callId)).body.canTakeOver).toBe(true);
    expect(control.messagesOf(vapiCallId)).toEqual([]);
    // Trying again works.
    expect((await takeOver(staff, callId, { action: "transfer" })).status).toBe(200);
  });

  it("another clinic's call is not found, and nothing is sent to it", async () => {
    const { callId, vapiCallId } = await liveCall(otherIdentity);
    const res = await takeOver(staff, callId, { action: "end" });
    expect(res.status).toBe(404);
    expect((await detail(staff, callId)).status).toBe(404);
    expect(control.messagesOf(vapiCallId)).toEqual([]);
    // Its own clinic can.
    expect((await takeOver(other, callId, { action: "end" })).status).toBe(200);
  });

  it("needs a session, and a valid action", async () => {
    const { callId, vapiCallId } = await liveCall();
    expect((await takeOver(null, callId, { action: "end" })).status).toBe(401);
    const bad = await takeOver(staff, callId, { action: "hang-up" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('action must be \\"transfer\\"');
    expect(control.messagesOf(vapiCallId)).toEqual([]);
  });
});

describe("the control URL is a secret", () => {
  it("only URLs on the allowed hosts are stored (a forged message cannot aim us elsewhere)", async () => {
    for (const url of [
      "https://evil.example/abc/control",
      "http://169.254.169.254/latest/meta-data",
      "http://127.0.0.2:9/control",
      "ftp://127.0.0.1/control",
      "not a url",
    ]) {
      const { callId, vapiCallId } = await liveCall(identity, { controlUrl: url });
      expect((await detail(staff, callId)).body.canTakeOver, url).toBe(false);
      expect((await t.admin.query("select count(*)::int as n from public.call_controls where vapi_call_id = $1", [vapiCallId])).rows[0].n, url).toBe(0);
    }
  });

  it("the host rule (written out by hand)", () => {
    type Rule = { VAPI_CONTROL_URL_HOSTS: string; NODE_ENV: "production" | "development" | "test" };
    const prod: Rule = { VAPI_CONTROL_URL_HOSTS: "vapi.ai", NODE_ENV: "production" };
    const dev: Rule = { VAPI_CONTROL_URL_HOSTS: "vapi.ai,127.0.0.1", NODE_ENV: "development" };
    const cases: [string, Rule, boolean][] = [
      ["https://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/1f3a/control", prod, true],
      ["https://vapi.ai/x/control", prod, true],
      ["https://vapi.ai.evil.example/x/control", prod, false],
      ["https://evilvapi.ai/x/control", prod, false],
      ["http://api.vapi.ai/x/control", prod, false],
      ["https://user:pass@api.vapi.ai/x/control", prod, false],
      ["http://127.0.0.1:4000/x/control", prod, false],
      ["http://127.0.0.1:4000/x/control", { ...prod, VAPI_CONTROL_URL_HOSTS: "vapi.ai,127.0.0.1" }, false],
      ["http://127.0.0.1:4000/x/control", dev, true],
      ["http://localhost:4000/x/control", dev, false],
      ["https://127.0.0.1:4000/x/control", dev, true],
    ];
    for (const [url, config, allowed] of cases)
      expect(allowedControlUrl(url, config) !== null, `${url} ${config.NODE_ENV} ${config.VAPI_CONTROL_URL_HOSTS}`).toBe(allowed);
  });

  it("members cannot read it (column privileges), and it never appears in a response or a log line", async () => {
    const { callId, controlUrl, vapiCallId } = await liveCall();
    await takeOver(staff, callId, { action: "transfer" });
    const list = await http.request("GET", "/api/calls-dashboard?status=live", { headers: owner.bearer });
    responses.push(list.text);
    const privilege = await t.admin.query("select has_column_privilege('authenticated', 'public.call_controls', 'control_url', 'select') as can");
    expect(privilege.rows[0].can).toBe(false);
    const secretPath = new URL(controlUrl!).pathname;
    for (const text of responses) expect(text).not.toContain(secretPath.split("/")[1]);
    expect(t.logs.text()).not.toContain(secretPath.split("/")[1]);
    expect(t.logs.text()).toContain(vapiCallId);
  });
});
