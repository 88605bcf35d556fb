/**
 * The leads inbox API: stats, the inbox order (open hot leads first), keyset pages, the timeline,
 * marking leads handled or lost (audited), and call-back through Vapi's calls.create or a clear
 * "not configured".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeVapi, startFakeVapi } from "./helpers/fake-vapi";
import { listen, type TestHttp } from "./helpers/http";
import { addVapiIdentity } from "./helpers/vapi";

let t: TestApp;
let http: TestHttp;
let vapi: FakeVapi;
let withVapi: TestHttp;

beforeAll(async () => {
  vapi = await startFakeVapi();
  t = await createTestApp();
  http = await listen(t.app);
  const configured = await createTestApp({ config: { VAPI_PRIVATE_KEY: "test-vapi-private-key", VAPI_BASE_URL: vapi.url } });
  withVapi = await listen(createApp({ ...configured.deps, db: t.db }));
});
afterAll(async () => {
  await vapi?.close();
});

async function lead(
  orgId: string,
  phone: string,
  o: { name: string; temperature: string; status?: string; contactedMinutesAgo: number; handledMinutesAgo?: number },
) {
  const { rows } = await t.admin.query(
    `insert into contacts (org_id, phone, name, lead_temperature, lead_status, lead_score, last_contacted_at, handled_at)
     values ($1, $2, $3, $4, $5, $6, now() - make_interval(mins => $7), case when $8::int is null then null else now() - make_interval(mins => $8::int) end)
     returning id`,
    [
      orgId,
      phone,
      o.name,
      o.temperature,
      o.status ?? "contacted",
      o.temperature === "hot" ? 80 : o.temperature === "warm" ? 50 : 10,
      o.contactedMinutesAgo,
      o.handledMinutesAgo ?? null,
    ],
  );
  return rows[0].id as string;
}

describe("the leads inbox", () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await signUpClinic(t);
    await lead(owner.orgId, "+12125554001", { name: "Warm Recent", temperature: "warm", contactedMinutesAgo: 1 });
    await lead(owner.orgId, "+12125554002", { name: "Hot Old", temperature: "hot", contactedMinutesAgo: 300 });
    await lead(owner.orgId, "+12125554003", { name: "Hot New", temperature: "hot", contactedMinutesAgo: 10 });
    await lead(owner.orgId, "+12125554004", { name: "Hot Booked", temperature: "hot", status: "booked", contactedMinutesAgo: 5 });
    await lead(owner.orgId, "+12125554005", { name: "Hot Handled", temperature: "hot", contactedMinutesAgo: 60, handledMinutesAgo: 30 });
    await lead(owner.orgId, "+12125554006", { name: "Hot Called Again", temperature: "hot", contactedMinutesAgo: 20, handledMinutesAgo: 40 });
    await lead(owner.orgId, "+12125554007", { name: "Cold", temperature: "cold", contactedMinutesAgo: 2 });
  });

  it("counts leads by temperature", async () => {
    const res = await http.request("GET", "/api/contacts/stats", { headers: owner.bearer });
    expect(res.body).toEqual({ total_leads: 7, hot_leads: 5, warm_leads: 1, cold_leads: 1 });
  });

  it("puts open hot leads first (newest first), then everyone else by last contact; pages by cursor", async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { name: string; needsAttention: boolean }[]; nextCursor: string | null } } = await http.request(
        "GET",
        `/api/contacts?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { headers: owner.bearer },
      );
      names.push(...res.body.items.map((i) => i.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(names).toEqual(["Hot New", "Hot Called Again", "Hot Old", "Warm Recent", "Cold", "Hot Booked", "Hot Handled"]);
  });

  it("filters by temperature, status and search", async () => {
    const names = async (q: string) =>
      (await http.request("GET", `/api/contacts?${q}`, { headers: owner.bearer })).body.items.map((i: { name: string }) => i.name);
    expect(await names("temperature=warm")).toEqual(["Warm Recent"]);
    expect(await names("status=handled")).toEqual(["Hot Handled"]);
    expect(await names("status=booked")).toEqual(["Hot Booked"]);
    expect(await names("q=4007")).toEqual(["Cold"]);
    expect(await names("q=called again")).toEqual(["Hot Called Again"]);
    const bad = await http.request("GET", "/api/contacts?cursor=nope", { headers: owner.bearer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
  });
});

describe("one lead", () => {
  it("marking handled takes it out of the top group, lost sets the status; both audited without personal data", async () => {
    const owner = await signUpClinic(t);
    const id = await lead(owner.orgId, "+12125554101", { name: "Ava Stone", temperature: "hot", contactedMinutesAgo: 5 });
    const handled = await http.request("PATCH", `/api/contacts/${id}`, { headers: owner.bearer, body: { outcome: "handled", notes: "Left a voicemail" } });
    expect(handled.status).toBe(200);
    expect(handled.body.contact).toMatchObject({ handled: true, needsAttention: false, notes: "Left a voicemail" });
    expect(handled.body.timeline).toContainEqual(expect.objectContaining({ kind: "note", detail: "Left a voicemail" }));
    const lost = await http.request("PATCH", `/api/contacts/${id}`, { headers: owner.bearer, body: { outcome: "lost" } });
    expect(lost.body.contact.leadStatus).toBe("lost");
    const audit = (
      await t.admin.query("select action, actor_user_id, data from audit_events where org_id = $1 and target_id = $2 order by created_at", [owner.orgId, id])
    ).rows;
    expect(audit).toEqual([
      { action: "lead.handled", actor_user_id: owner.userId, data: { fields: ["notes", "outcome"] } },
      { action: "lead.lost", actor_user_id: owner.userId, data: { fields: ["outcome"] } },
    ]);
    const empty = await http.request("PATCH", `/api/contacts/${id}`, { headers: owner.bearer, body: {} });
    expect(empty.status).toBe(400);
  });

  it("the timeline tells the lead's calls, appointments and messages in the clinic's words", async () => {
    const owner = await signUpClinic(t, { timezone: "America/New_York" });
    const id = await lead(owner.orgId, "+12125554201", { name: "Noah Kim", temperature: "warm", contactedMinutesAgo: 5 });
    await t.admin.query(
      `insert into call_logs (org_id, vapi_call_id, direction, status, started_at, duration_seconds, booking_confirmed, summary, contact_id)
       values ($1, 'tl-1', 'inbound', 'ended', '2026-03-05T15:00:00Z', 150, true, 'Booked Botox', $2)`,
      [owner.orgId, id],
    );
    const botox = (await t.admin.query("select id from services where org_id = $1 and name = 'Botox'", [owner.orgId])).rows[0].id;
    await t.admin.query(
      `insert into appointments (org_id, contact_id, service_id, starts_at, ends_at, created_at) values ($1, $2, $3, '2026-03-10T18:00:00Z', '2026-03-10T18:30:00Z', '2026-03-05T15:02:00Z')`,
      [owner.orgId, id, botox],
    );
    const res = await http.request("GET", `/api/contacts/${id}`, { headers: owner.bearer });
    expect(res.body.timeline.map((e: { kind: string; title: string }) => [e.kind, e.title])).toEqual([
      ["appointment", "Booked: Botox, Tuesday, March 10 at 2:00 PM"],
      ["call", "Called the clinic (3 min) — booked"],
    ]);
  });

  it("call-back without Vapi says what to set; with Vapi it places one call to the lead, audited first", async () => {
    const owner = await signUpClinic(t);
    const id = await lead(owner.orgId, "+12125554301", { name: "Mia Chen", temperature: "hot", contactedMinutesAgo: 5 });
    const off = await http.request("POST", `/api/contacts/${id}/call-back`, { headers: owner.bearer });
    expect(off.status).toBe(502);
    expect(off.body.error).toMatchObject({ code: "vapi_not_configured", message: expect.stringContaining("VAPI_PRIVATE_KEY") });

    const identity = await addVapiIdentity(t.admin, owner.orgId);
    const placed = await withVapi.request("POST", `/api/contacts/${id}/call-back`, { headers: owner.bearer });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ to: "+12125554301", vapiCallId: expect.any(String) });
    const sent = vapi.sent("POST", "/call");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ assistantId: identity.assistantId, phoneNumberId: identity.phoneNumberId, customer: { number: "+12125554301" } });
    const audit = (await t.admin.query("select data from audit_events where org_id = $1 and action = 'lead.call_back'", [owner.orgId])).rows;
    expect(audit).toEqual([{ data: { last4: "4301" } }]);
  });
});
