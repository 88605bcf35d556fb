import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN, type TestApp } from "./helpers/app";
import { addTeamMember, parseSetCookies, signUpClinic, TEST_PASSWORD, uniqueEmail, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";

/**
 * Team management over HTTP against the real app and database: invites (single use, expiring,
 * revocable), roles, removal, the last owner, and the audit trail of each change.
 */

let now = new Date("2026-12-01T15:00:00Z");
const clock = { now: () => now };
let t: TestApp;
let http: TestHttp;

beforeAll(async () => {
  t = await createTestApp({ clock });
  http = await listen(t.app);
});

const as = (u: TestUser) => ({ ...u.bearer, origin: TEST_ORIGIN });

async function invite(owner: TestUser, email: string, role: "admin" | "staff" = "staff") {
  return http.request("POST", "/api/team/invites", { headers: as(owner), body: { email, role } });
}

/** The invite link, as the development outbox holds it (SMTP_URL is not set in tests). */
async function outboxLink(owner: TestUser, to: string): Promise<string> {
  const res = await http.request("GET", "/api/outbox", { headers: as(owner) });
  expect(res.status).toBe(200);
  expect(res.body.mode).toBe("outbox");
  const email = res.body.emails.find((e: { to: string }) => e.to === to);
  expect(email, `an email to ${to} in the outbox`).toBeTruthy();
  return email.links[0] as string;
}

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe("invites", () => {
  it("invite → the outbox holds the email with a working link → accepting creates a staff member who is signed in and can sign in again", async () => {
    const owner = await signUpClinic(t, { clinicName: "Harbour Dental" });
    const email = uniqueEmail("nurse");
    const sent = await invite(owner, email.toUpperCase());
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ email, role: "staff", expired: false, delivery: "outbox" });
    expect(new Date(sent.body.expiresAt).getTime() - now.getTime()).toBe(72 * 3600_000);

    // The team page lists it as pending.
    const team = await http.request("GET", "/api/team", { headers: as(owner) });
    expect(team.body.invites.map((i: { email: string }) => i.email)).toEqual([email]);

    const link = await outboxLink(owner, email);
    expect(link).toMatch(/^http:\/\/localhost:3002\/accept-invite\?token=/);
    // Only the hash of the token is stored.
    const stored = await t.admin.query("select token_hash from public.team_invites where email = $1", [email]);
    expect(stored.rows[0].token_hash).toHaveLength(64);
    expect(stored.rows[0].token_hash).not.toContain(tokenOf(link));

    const preview = await http.request("POST", "/api/auth/invite/preview", { headers: { origin: TEST_ORIGIN }, body: { token: tokenOf(link) } });
    expect(preview.body).toEqual({ email, role: "staff", clinicName: "Harbour Dental" });

    const accepted = await http.request("POST", "/api/auth/invite/accept", {
      headers: { origin: TEST_ORIGIN },
      body: { token: tokenOf(link), fullName: "Nia Brooks", password: "a new staff password" },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({ email, role: "staff", clinicName: "Harbour Dental" });
    const cookies = parseSetCookies(accepted.headers);
    expect(cookies.vox_access?.value).toBeTruthy();

    const me = await http.request("GET", "/api/auth/me", { headers: { cookie: `vox_access=${cookies.vox_access!.value}` } });
    expect(me.body).toMatchObject({ role: "staff", user: { email, fullName: "Nia Brooks" }, organization: { id: owner.orgId } });

    const login = await http.request("POST", "/api/auth/login?mode=bearer", {
      headers: { origin: TEST_ORIGIN },
      body: { email, password: "a new staff password" },
    });
    expect(login.status).toBe(200);
    expect(login.body.role).toBe("staff");

    // The link worked once.
    const again = await http.request("POST", "/api/auth/invite/accept", {
      headers: { origin: TEST_ORIGIN },
      body: { token: tokenOf(link), fullName: "Someone Else", password: "another password 1" },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("invite_invalid");
    const teamAfter = await http.request("GET", "/api/team", { headers: as(owner) });
    expect(teamAfter.body.invites).toEqual([]);
    expect(teamAfter.body.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, "owner"],
      [email, "staff"],
    ]);
  });

  it("a revoked invite and a replaced invite are refused", async () => {
    const owner = await signUpClinic(t);
    const email = uniqueEmail("revoked");
    const first = await invite(owner, email);
    const firstLink = await outboxLink(owner, email);
    const second = await invite(owner, email, "admin");
    expect(second.status).toBe(201);
    // Inviting again replaced the first invite: its link is dead.
    const replaced = await http.request("POST", "/api/auth/invite/preview", { headers: { origin: TEST_ORIGIN }, body: { token: tokenOf(firstLink) } });
    expect(replaced.status).toBe(400);
    expect(first.body.id).not.toBe(second.body.id);

    const revoke = await http.request("DELETE", `/api/team/invites/${second.body.id}`, { headers: as(owner) });
    expect(revoke.status).toBe(200);
    const outbox = await http.request("GET", "/api/outbox", { headers: as(owner) });
    const secondLink = outbox.body.emails.find((e: { to: string; text: string }) => e.to === email && e.text.includes("as an admin")).links[0];
    const accept = await http.request("POST", "/api/auth/invite/accept", {
      headers: { origin: TEST_ORIGIN },
      body: { token: tokenOf(secondLink), fullName: "Rev Oked", password: "password password" },
    });
    expect(accept.status).toBe(400);
    expect(accept.body.error.message).toMatch(/no longer valid/);
    const users = await t.admin.query("select 1 from auth.users where email = $1", [email]);
    expect(users.rowCount).toBe(0);

    // Revoking twice says there is nothing to revoke.
    const twice = await http.request("DELETE", `/api/team/invites/${second.body.id}`, { headers: as(owner) });
    expect(twice.status).toBe(404);
  });

  it("an expired invite is refused (72 hours later), and the team page marks it expired", async () => {
    const owner = await signUpClinic(t);
    const email = uniqueEmail("late");
    await invite(owner, email);
    const link = await outboxLink(owner, email);
    const sentAt = now;
    try {
      now = new Date(sentAt.getTime() + 72 * 3600_000 + 1000);
      const accept = await http.request("POST", "/api/auth/invite/accept", {
        headers: { origin: TEST_ORIGIN },
        body: { token: tokenOf(link), fullName: "Too Late", password: "password password" },
      });
      expect(accept.status).toBe(400);
      expect(accept.body.error.code).toBe("invite_invalid");
    } finally {
      now = sentAt;
    }
    // 71 hours in, the same link still works.
    now = new Date(sentAt.getTime() + 71 * 3600_000);
    try {
      const owner2 = await signUpClinic(t);
      const email2 = uniqueEmail("intime");
      now = sentAt;
      await invite(owner2, email2);
      const link2 = await outboxLink(owner2, email2);
      now = new Date(sentAt.getTime() + 71 * 3600_000);
      const ok = await http.request("POST", "/api/auth/invite/accept", {
        headers: { origin: TEST_ORIGIN },
        body: { token: tokenOf(link2), fullName: "In Time", password: "password password" },
      });
      expect(ok.status).toBe(201);
    } finally {
      now = sentAt;
    }
  });

  it("two concurrent acceptances of one link: exactly one account is created", async () => {
    const owner = await signUpClinic(t);
    const email = uniqueEmail("race");
    await invite(owner, email);
    const token = tokenOf(await outboxLink(owner, email));
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        http.request("POST", "/api/auth/invite/accept", {
          headers: { origin: TEST_ORIGIN },
          body: { token, fullName: `Racer ${n}`, password: "password password" },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const users = await t.admin.query("select 1 from auth.users where email = $1", [email]);
    expect(users.rowCount).toBe(1);
  });

  it("someone already a member cannot be invited; staff may not invite", async () => {
    const owner = await signUpClinic(t);
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const dup = await invite(owner, staff.email);
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already a member/);
    const byStaff = await invite(staff, uniqueEmail("x"));
    expect(byStaff.status).toBe(403);
  });
});

describe("roles and removal", () => {
  it("the last owner cannot be demoted or removed — by the API or by SQL — and can once there is a second owner", async () => {
    const owner = await signUpClinic(t);
    const demote = await http.request("PATCH", `/api/team/members/${owner.userId}`, { headers: as(owner), body: { role: "admin" } });
    expect(demote.status).toBe(409);
    expect(demote.body.error).toMatchObject({ code: "last_owner" });
    const remove = await http.request("DELETE", `/api/team/members/${owner.userId}`, { headers: as(owner) });
    expect(remove.status).toBe(409);

    // The database itself refuses, whoever asks.
    await expect(t.admin.query("update public.profiles set role = 'staff' where user_id = $1", [owner.userId])).rejects.toThrow(/needs an owner/);
    await expect(t.admin.query("delete from public.profiles where user_id = $1", [owner.userId])).rejects.toThrow(/needs an owner/);

    const second = await addTeamMember(t, owner.orgId, { role: "admin" });
    const promote = await http.request("PATCH", `/api/team/members/${second.userId}`, { headers: as(owner), body: { role: "owner" } });
    expect(promote.status).toBe(200);
    const nowDemote = await http.request("PATCH", `/api/team/members/${owner.userId}`, { headers: as(owner), body: { role: "admin" } });
    expect(nowDemote.status).toBe(200);
    expect(nowDemote.body.role).toBe("admin");
  });

  it("two owners demoting each other at the same moment: one succeeds, the clinic keeps an owner", async () => {
    const a = await signUpClinic(t);
    const b = await addTeamMember(t, a.orgId, { role: "owner" });
    const [ra, rb] = await Promise.all([
      http.request("PATCH", `/api/team/members/${b.userId}`, { headers: as(a), body: { role: "staff" } }),
      http.request("PATCH", `/api/team/members/${a.userId}`, { headers: as(b), body: { role: "staff" } }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const owners = await t.admin.query("select count(*)::int as n from public.profiles where org_id = $1 and role = 'owner'", [a.orgId]);
    expect(owners.rows[0].n).toBe(1);
  });

  it("an admin manages staff and admins but not owners", async () => {
    const owner = await signUpClinic(t);
    const admin = await addTeamMember(t, owner.orgId, { role: "admin" });
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const up = await http.request("PATCH", `/api/team/members/${staff.userId}`, { headers: as(admin), body: { role: "admin" } });
    expect(up.status).toBe(200);
    const makeOwner = await http.request("PATCH", `/api/team/members/${staff.userId}`, { headers: as(admin), body: { role: "owner" } });
    expect(makeOwner.status).toBe(403);
    const demoteOwner = await http.request("PATCH", `/api/team/members/${owner.userId}`, { headers: as(admin), body: { role: "staff" } });
    expect(demoteOwner.status).toBe(403);
    const removeOwner = await http.request("DELETE", `/api/team/members/${owner.userId}`, { headers: as(admin) });
    expect(removeOwner.status).toBe(403);
  });

  it("a removed member's sessions end at once and they can no longer sign in to the clinic", async () => {
    const owner = await signUpClinic(t);
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    expect((await http.request("GET", "/api/auth/me", { headers: staff.bearer })).status).toBe(200);
    const removed = await http.request("DELETE", `/api/team/members/${staff.userId}`, { headers: as(owner) });
    expect(removed.status).toBe(200);
    const me = await http.request("GET", "/api/auth/me", { headers: staff.bearer });
    expect(me.status).toBe(401);
    const refresh = await http.request("POST", "/api/auth/refresh?mode=bearer", {
      headers: { origin: TEST_ORIGIN },
      body: { refreshToken: staff.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const login = await http.request("POST", "/api/auth/login?mode=bearer", {
      headers: { origin: TEST_ORIGIN },
      body: { email: staff.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe("no_organization");
  });
});

describe("audit", () => {
  it("every team change is in the audit trail with who did it", async () => {
    const owner = await signUpClinic(t, { fullName: "Olive Owner" });
    const email = uniqueEmail("audited");
    const sent = await invite(owner, email);
    await http.request("DELETE", `/api/team/invites/${sent.body.id}`, { headers: as(owner) });
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    await http.request("PATCH", `/api/team/members/${staff.userId}`, { headers: as(owner), body: { role: "admin" } });
    await http.request("DELETE", `/api/team/members/${staff.userId}`, { headers: as(owner) });
    const audit = await http.request("GET", `/api/audit?actor=${owner.userId}`, { headers: as(owner) });
    expect(audit.status).toBe(200);
    const actions = audit.body.events.map((e: { action: string; data: Record<string, unknown> }) => [e.action, e.data.email]);
    expect(actions).toEqual([
      ["team.member_removed", staff.email],
      ["team.role_changed", staff.email],
      ["team.invite_revoked", email],
      ["team.invited", email],
    ]);
    expect(audit.body.events[0].actor).toMatchObject({ userId: owner.userId, name: "Olive Owner", email: owner.email });
  });
});
