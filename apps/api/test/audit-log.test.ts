import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";

/** The audit log viewer's API: filters (person, action, days in the clinic's time zone), pages, CSV. */

let t: TestApp;
let http: TestHttp;
let owner: TestUser;
let staff: TestUser;

const event = (orgId: string, actor: string | null, action: string, at: string, data: object = {}) =>
  t.admin.query("insert into public.audit_events (org_id, actor_user_id, actor_type, action, created_at, data) values ($1, $2, $3, $4, $5, $6)", [
    orgId,
    actor,
    actor ? "user" : "system",
    action,
    at,
    data,
  ]);

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
  // Los Angeles: 1 December local is [08:00Z 1 Dec, 08:00Z 2 Dec).
  owner = await signUpClinic(t, { timezone: "America/Los_Angeles", fullName: "Lee Owner" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff", fullName: '=HYPERLINK("http://evil")' });
  await event(owner.orgId, owner.userId, "team.invited", "2026-12-01T07:59:00Z", { email: "a@example.com" }); // 30 Nov local
  await event(owner.orgId, owner.userId, "team.role_changed", "2026-12-01T08:00:00Z", { email: "b@example.com", from: "staff", to: "admin" });
  await event(owner.orgId, staff.userId, "account.updated", "2026-12-01T20:00:00Z", { fullName: "x" });
  await event(owner.orgId, null, "call.emergency_flagged", "2026-12-02T07:59:00Z"); // 1 Dec 23:59 local
  await event(owner.orgId, owner.userId, "team.invited", "2026-12-02T08:00:00Z", { email: "c@example.com" }); // 2 Dec local
});

const get = (path: string, u: TestUser = owner) => http.request("GET", path, { headers: { ...u.bearer, origin: TEST_ORIGIN } });
const actions = (body: { events: { action: string }[] }) => body.events.map((e) => e.action);

describe("audit log", () => {
  it("a day filter is a day in the clinic's time zone, both ends included", async () => {
    const res = await get("/api/audit?from=2026-12-01&to=2026-12-01");
    expect(res.status).toBe(200);
    expect(actions(res.body)).toEqual(["call.emergency_flagged", "account.updated", "team.role_changed"]);
  });

  it("filters by person and by action, and pages newest first", async () => {
    expect(actions((await get(`/api/audit?actor=${staff.userId}`)).body)).toEqual(["account.updated"]);
    expect((await get("/api/audit?action=team.invited")).body.events.map((e: { data: { email: string } }) => e.data.email)).toEqual([
      "c@example.com",
      "a@example.com",
    ]);
    const first = await get("/api/audit?limit=2");
    expect(actions(first.body)).toEqual(["team.invited", "call.emergency_flagged"]);
    const second = await get(`/api/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(actions(second.body)).toEqual(["account.updated", "team.role_changed"]);
    expect(first.body.people.map((p: { userId: string }) => p.userId).sort()).toEqual([owner.userId, staff.userId].sort());
  });

  it("bad filters are 400s a person can act on", async () => {
    const range = await get("/api/audit?from=2026-12-02&to=2026-12-01");
    expect(range.status).toBe(400);
    expect(range.body.error.message).toMatch(/start date must be on or before the end date/);
    const action = await get("/api/audit?action=made.up");
    expect(action.status).toBe(400);
    expect(action.body.error.message).toMatch(/Choose an action from the list/);
  });

  it("exports the filtered trail as CSV, with formula-looking cells neutralised", async () => {
    const res = await get("/api/audit/export.csv?from=2026-12-01&to=2026-12-01");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.text.trim().split("\n");
    expect(lines[0]).toBe("time (UTC),person,email,action,target type,target id,IP,details");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2026-12-02T07:59:00\.000Z,system,,call\.emergency_flagged,/);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[3]).toContain("Lee Owner");
  });

  it("staff may neither read nor export it", async () => {
    expect((await get("/api/audit", staff)).status).toBe(403);
    expect((await get("/api/audit/export.csv", staff)).status).toBe(403);
    expect((await http.request("GET", "/api/audit/export.csv")).status).toBe(401);
  });
});
