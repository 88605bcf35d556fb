import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, TEST_PASSWORD, uniqueEmail, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually } from "./helpers/postcall";

/** Your own account (name, daily-summary choice) and "forgot password", over HTTP with the development outbox. */

let now = new Date("2026-12-01T15:00:00Z");
const clock = { now: () => now };
let t: TestApp;
let http: TestHttp;

beforeAll(async () => {
  t = await createTestApp({ clock });
  http = await listen(t.app);
});

const as = (u: TestUser) => ({ ...u.bearer, origin: TEST_ORIGIN });
const anon = { origin: TEST_ORIGIN };

async function forgot(email: string) {
  return http.request("POST", "/api/auth/password/forgot", { headers: anon, body: { email } });
}

/** The newest reset link sent to `to`, read from the outbox as the clinic's owner sees it. */
async function resetLinkFor(owner: TestUser, to: string, after = 0): Promise<string> {
  return eventually(async () => {
    const res = await http.request("GET", "/api/outbox", { headers: as(owner) });
    const emails = res.body.emails.filter((e: { to: string; kind: string }) => e.to === to && e.kind === "password_reset");
    return emails.length > after ? (emails[0].links[0] as string) : null;
  });
}

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe("forgot password", () => {
  it("a reset link works once, ends every session, and is dead the second time", async () => {
    const owner = await signUpClinic(t);
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const asked = await forgot(staff.email.toUpperCase());
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ ok: true });
    const link = await resetLinkFor(owner, staff.email);
    expect(link).toMatch(/^http:\/\/localhost:3002\/reset-password\?token=/);

    const reset = await http.request("POST", "/api/auth/password/reset", { headers: anon, body: { token: tokenOf(link), newPassword: "brand new password" } });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ email: staff.email });

    // The old session is over; the old password no longer works; the new one does.
    expect((await http.request("GET", "/api/auth/me", { headers: staff.bearer })).status).toBe(401);
    const oldLogin = await http.request("POST", "/api/auth/login?mode=bearer", { headers: anon, body: { email: staff.email, password: TEST_PASSWORD } });
    expect(oldLogin.status).toBe(401);
    const newLogin = await http.request("POST", "/api/auth/login?mode=bearer", { headers: anon, body: { email: staff.email, password: "brand new password" } });
    expect(newLogin.status).toBe(200);

    const again = await http.request("POST", "/api/auth/password/reset", { headers: anon, body: { token: tokenOf(link), newPassword: "attacker password" } });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: "reset_link_invalid" });
    expect(again.body.error.message).toMatch(/no longer valid/);

    // Audited for the clinic.
    const audit = await http.request("GET", `/api/audit?actor=${staff.userId}`, { headers: as(owner) });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["auth.password_reset_requested", "auth.password_reset"]),
    );
  });

  it("an expired link is refused; asking again kills the older link once the newer one is used", async () => {
    const owner = await signUpClinic(t);
    await forgot(owner.email);
    const first = await resetLinkFor(owner, owner.email);
    const askedAt = now;
    try {
      now = new Date(askedAt.getTime() + 61 * 60_000);
      const late = await http.request("POST", "/api/auth/password/reset", { headers: anon, body: { token: tokenOf(first), newPassword: "too late password" } });
      expect(late.status).toBe(400);
    } finally {
      now = askedAt;
    }
    await forgot(owner.email);
    const second = await resetLinkFor(owner, owner.email, 1);
    expect(second).not.toBe(first);
    const used = await http.request("POST", "/api/auth/password/reset", { headers: anon, body: { token: tokenOf(second), newPassword: "second password!" } });
    expect(used.status).toBe(200);
    const older = await http.request("POST", "/api/auth/password/reset", { headers: anon, body: { token: tokenOf(first), newPassword: "first password!!" } });
    expect(older.status).toBe(400);
  });

  it("an unknown email gets exactly the same answer and nothing is sent or stored", async () => {
    const before = await t.admin.query("select count(*)::int as n from public.password_resets");
    const unknown = await forgot(uniqueEmail("nobody"));
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual({ ok: true });
    await new Promise((r) => setTimeout(r, 300));
    const after = await t.admin.query("select count(*)::int as n from public.password_resets");
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("only the hash of a reset token is stored", async () => {
    const owner = await signUpClinic(t);
    await forgot(owner.email);
    const token = tokenOf(await resetLinkFor(owner, owner.email));
    const rows = await t.admin.query("select token_hash from public.password_resets where user_id = $1", [owner.userId]);
    expect(rows.rows).toHaveLength(1);
    expect(JSON.stringify(rows.rows)).not.toContain(token);
  });
});

describe("forgot password rate limit", () => {
  it("limits requests per email address, answering known and unknown emails alike", async () => {
    const limited = await createTestApp({ config: { RATE_LIMIT_AUTH_PER_EMAIL: 3 } });
    const h = await listen(limited.app);
    const owner = await signUpClinic(limited);
    const statuses = async (email: string) => {
      const out: number[] = [];
      for (let i = 0; i < 4; i++) out.push((await h.request("POST", "/api/auth/password/forgot", { headers: anon, body: { email } })).status);
      return out;
    };
    expect(await statuses(owner.email)).toEqual([202, 202, 202, 429]);
    expect(await statuses(uniqueEmail("ghost"))).toEqual([202, 202, 202, 429]);
  });
});

describe("account", () => {
  it("a member changes their own name; an owner opts in to the daily summary; staff cannot", async () => {
    const owner = await signUpClinic(t, { fullName: "Old Name" });
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const got = await http.request("GET", "/api/account", { headers: as(owner) });
    expect(got.body).toEqual({ email: owner.email, fullName: "Old Name", dailySummary: false, canReceiveDailySummary: true });

    const renamed = await http.request("PATCH", "/api/account", { headers: as(owner), body: { fullName: "  New Name ", dailySummary: true } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ fullName: "New Name", dailySummary: true });
    const me = await http.request("GET", "/api/auth/me", { headers: owner.bearer });
    expect(me.body.user.fullName).toBe("New Name");

    const staffGot = await http.request("GET", "/api/account", { headers: as(staff) });
    expect(staffGot.body.canReceiveDailySummary).toBe(false);
    const staffOptIn = await http.request("PATCH", "/api/account", { headers: as(staff), body: { dailySummary: true } });
    expect(staffOptIn.status).toBe(400);
    const staffRename = await http.request("PATCH", "/api/account", { headers: as(staff), body: { fullName: "Sam Staff" } });
    expect(staffRename.status).toBe(200);

    const empty = await http.request("PATCH", "/api/account", { headers: as(staff), body: { fullName: "" } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual([{ path: "fullName", message: "Your name is required" }]);

    const audit = await http.request("GET", "/api/audit?action=account.updated", { headers: as(owner) });
    expect(audit.body.events.map((e: { actor: { userId: string } }) => e.actor.userId).sort()).toEqual([owner.userId, staff.userId].sort());
  });

  it("changing the password through the account page's route needs the current one", async () => {
    const owner = await signUpClinic(t);
    const wrong = await http.request("POST", "/api/auth/password", {
      headers: as(owner),
      body: { currentPassword: "not it at all", newPassword: "another password" },
    });
    expect(wrong.status).toBe(400);
    const ok = await http.request("POST", "/api/auth/password", {
      headers: as(owner),
      body: { currentPassword: TEST_PASSWORD, newPassword: "another password" },
    });
    expect(ok.status).toBe(200);
  });
});
