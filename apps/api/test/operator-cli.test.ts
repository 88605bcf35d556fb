/**
 * The operator commands (src/cli/commands) through runCli — the same code `npm run voxanne` runs,
 * minus process.exit — against a real database, the real Vapi and Twilio SDKs and their fakes
 * (test/helpers/fake-vapi.ts, fake-twilio.ts). For each command: --dry-run changes nothing (database
 * and fake-server state compared), a real run fixes what it reports, a second run has nothing to
 * do, and a provider failure is a non-zero exit.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import { vapiTools } from "@voxanne/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/index";
import { startProgress } from "../src/cli/progress";
import type { Config } from "../src/config";
import { parseEncryptionKeys } from "../src/modules/credentials/crypto";
import { readCredential, saveCredential } from "../src/modules/credentials/service";
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from "./helpers/app";
import { signInUser, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeTwilio, startFakeTwilio } from "./helpers/fake-twilio";
import { type FakeVapi, startFakeVapi } from "./helpers/fake-vapi";
import { listen, type TestHttp } from "./helpers/http";
import { dumpDatabaseText } from "./helpers/postcall";

let vapi: FakeVapi;
let twilio: FakeTwilio;
let t: TestApp;
let http: TestHttp;
const PUBLIC_API_URL = "https://api.clinic.example";
const TOOL_COUNT = Object.keys(vapiTools).length;

beforeAll(async () => {
  vapi = await startFakeVapi();
  twilio = await startFakeTwilio();
  t = await createTestApp({
    config: { VAPI_PRIVATE_KEY: "test-vapi-private-key", VAPI_BASE_URL: vapi.url, TWILIO_API_BASE_URL: twilio.url, PUBLIC_API_URL },
  });
  http = await listen(t.app);
});
afterAll(async () => {
  await vapi?.close();
  await twilio?.close();
});
beforeEach(() => {
  vapi.reset();
  twilio.reset();
});

type Run = { code: number; stdout: string; stderr: string; json: any };
async function voxanne(args: string[], config: Config = t.config): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(
    args,
    {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
    },
    { config, database: async () => ({ db: t.db, url: "", local: true }) },
  );
  let json: any = null;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = null;
  }
  return { code, stdout, stderr, json };
}

/** Everything a command could change: every table, and every object the fake Vapi holds. */
async function state(): Promise<string> {
  const fake = JSON.stringify({
    assistants: [...vapi.assistants.entries()],
    tools: [...vapi.tools.entries()],
    numbers: [...vapi.phoneNumbers.entries()],
    credentials: [...vapi.credentials.entries()],
  });
  return `${await dumpDatabaseText(t.admin)}\n${fake}`;
}
const writesTo = (f: FakeVapi) => f.requests.filter((r) => r.method !== "GET");

/** A clinic whose inbound receptionist has an assistant in (fake) Vapi with `model`. */
async function clinicWithAssistant(model: Record<string, unknown>): Promise<{ owner: TestUser; assistantId: string }> {
  const owner = await signUpClinic(t);
  const assistantId = randomUUID();
  vapi.assistants.set(assistantId, {
    id: assistantId,
    orgId: "org_fake_vapi",
    name: "Receptionist",
    firstMessage: "Hello!",
    model: { provider: "openai", model: "gpt-4o", messages: [{ role: "system", content: "Be kind." }], temperature: 0.3, ...model },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  await t.admin.query(
    `insert into public.agents (org_id, role, name, vapi_assistant_id) values ($1, 'inbound', 'Receptionist', $2)
     on conflict (org_id, role) do update set vapi_assistant_id = excluded.vapi_assistant_id`,
    [owner.orgId, assistantId],
  );
  return { owner, assistantId };
}
const nativeTool = (type: string) => {
  const id = randomUUID();
  vapi.tools.set(id, { id, type, orgId: "org_fake_vapi" });
  return id;
};

describe("CLI wiring", () => {
  it("lists every command from the one list, and a command without --org is a usage error", async () => {
    const help = await voxanne(["--help"]);
    for (const name of [
      "migrate",
      "seed-demo",
      "verify-rls",
      "migrate-existing-tools",
      "nuclear-vapi-cleanup",
      "verify-agent-access",
      "release-number",
      "fix-org-membership",
      "verify-appointment-db",
      "rotate-encryption-key",
      "set-operator",
    ])
      expect(help.stdout).toContain(`  ${name}`);
    const noOrg = await voxanne(["verify-agent-access", "--json"]);
    expect(noOrg.code).toBe(1);
    expect(noOrg.json).toMatchObject({ ok: false, error: expect.stringMatching(/--org <clinic id> is required/) });
  });
});

describe("migrate-existing-tools and nuclear-vapi-cleanup", () => {
  let a: { owner: TestUser; assistantId: string };
  let b: { owner: TestUser; assistantId: string };
  let keptForeign: string;

  beforeAll(async () => {
    keptForeign = nativeTool("function"); // a clinic's own function tool: not ours, not banned
    // A: the legacy shape — our tools copied inline into model.tools, nothing in toolIds.
    a = await clinicWithAssistant({
      tools: [{ type: "function", function: { name: "bookClinicAppointment", parameters: { type: "object", properties: {} } } }, { type: "endCall" }],
    });
    // B: banned native tools inline and linked, a link to a deleted tool, and a tool of its own.
    b = await clinicWithAssistant({
      toolIds: [nativeTool("google.calendar.event.create"), "tool-deleted-in-vapi", keptForeign],
      tools: [{ type: "sms" }, { type: "transferCall" }],
    });
  });

  it("migrate-existing-tools: dry run changes nothing; the run registers each tool once and links it; the second run has nothing to do", async () => {
    const before = await state();
    const dry = await voxanne(["migrate-existing-tools", "--dry-run", "--json"]);
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.json.registered).toHaveLength(TOOL_COUNT);
    expect(dry.json.migrated.map((m: { assistantId: string }) => m.assistantId).sort()).toEqual([a.assistantId, b.assistantId].sort());
    expect(writesTo(vapi)).toEqual([]);
    expect(await state()).toBe(before);

    const run = await voxanne(["migrate-existing-tools", "--json"]);
    expect(run.code, run.stdout).toBe(0);
    expect(vapi.sent("POST", "/tool")).toHaveLength(TOOL_COUNT);
    const registry = (await t.admin.query("select vapi_tool_id from vapi_tools order by tool_name")).rows.map((r) => r.vapi_tool_id);
    expect(registry).toHaveLength(TOOL_COUNT);
    const modelA = vapi.assistants.get(a.assistantId).model;
    expect([...modelA.toolIds].sort()).toEqual([...registry].sort());
    expect(modelA.tools).toEqual([{ type: "endCall" }]); // the inline copy of ours is gone, Vapi's endCall stays
    expect(modelA.messages).toEqual([{ role: "system", content: "Be kind." }]); // the whole model was sent back
    const modelB = vapi.assistants.get(b.assistantId).model;
    expect([...modelB.toolIds.slice(0, TOOL_COUNT)].sort()).toEqual([...registry].sort());
    expect(modelB.tools).toEqual([{ type: "sms" }, { type: "transferCall" }]); // banned tools are nuclear-vapi-cleanup's job, audited there
    const links = await t.admin.query("select count(*)::int as n from org_tools where org_id = $1", [a.owner.orgId]);
    expect(links.rows[0].n).toBe(TOOL_COUNT);
    const audit = await t.admin.query("select actor_type from audit_events where org_id = $1 and action = 'vapi.tools_migrated'", [a.owner.orgId]);
    expect(audit.rows).toEqual([{ actor_type: "operator" }]);

    vapi.reset();
    const again = await voxanne(["migrate-existing-tools", "--json"]);
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ registered: [], migrated: [], failures: [] });
    expect(writesTo(vapi)).toEqual([]);
    expect((await voxanne(["migrate-existing-tools"])).stdout).toContain("nothing to do");
  });

  it("nuclear-vapi-cleanup: dry run changes nothing; the run removes exactly the banned tools; the second run has nothing to do", async () => {
    const before = await state();
    const dry = await voxanne(["nuclear-vapi-cleanup", "--dry-run", "--json"]);
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.json.cleaned).toEqual([
      {
        orgId: b.owner.orgId,
        assistantId: b.assistantId,
        removed: [
          { where: "tools", id: null, type: "sms" },
          { where: "toolIds", id: expect.any(String), type: "google.calendar.event.create" },
          { where: "toolIds", id: "tool-deleted-in-vapi", type: "deleted in Vapi" },
        ],
      },
    ]);
    expect(writesTo(vapi)).toEqual([]);
    expect(await state()).toBe(before);

    const run = await voxanne(["nuclear-vapi-cleanup", "--json"]);
    expect(run.code, run.stdout).toBe(0);
    const registry = (await t.admin.query("select vapi_tool_id from vapi_tools order by tool_name")).rows.map((r) => r.vapi_tool_id);
    const modelB = vapi.assistants.get(b.assistantId).model;
    expect([...modelB.toolIds].sort()).toEqual([...registry, keptForeign].sort());
    expect(modelB.tools).toEqual([{ type: "transferCall" }]);
    expect(modelB.messages).toEqual([{ role: "system", content: "Be kind." }]);
    const audit = await t.admin.query("select data from audit_events where org_id = $1 and action = 'vapi.banned_tools_removed'", [b.owner.orgId]);
    expect(audit.rows).toHaveLength(1);

    vapi.reset();
    const again = await voxanne(["nuclear-vapi-cleanup", "--json"]);
    expect(again.json).toMatchObject({ ok: true, cleaned: [], failures: [] });
    expect(writesTo(vapi)).toEqual([]);
  });

  it("a Vapi failure is a non-zero exit that names the assistant, and changes nothing", async () => {
    const before = await state();
    vapi.failNext("GET", new RegExp(`^/assistant/${b.assistantId}$`), 500);
    const cleanup = await voxanne(["nuclear-vapi-cleanup", "--json"]);
    expect(cleanup.code).toBe(1);
    expect(cleanup.json).toMatchObject({ ok: false, failures: [{ assistantId: b.assistantId, error: expect.stringMatching(/Vapi answered 500/) }] });

    vapi.failNext("GET", new RegExp(`^/assistant/${a.assistantId}$`), 503);
    const migrate = await voxanne(["migrate-existing-tools"]);
    expect(migrate.code).toBe(1);
    expect(migrate.stdout).toContain(`✗ assistant ${a.assistantId}`);
    expect(await state()).toBe(before);
  });
});

describe("verify-agent-access and release-number", () => {
  let clinic: { owner: TestUser; assistantId: string };
  let number: string;
  let accountSid: string;

  beforeAll(async () => {
    // Tools are registered (previous describe); this clinic's assistant links them all.
    const registry = (await t.admin.query("select vapi_tool_id from vapi_tools order by tool_name")).rows.map((r) => r.vapi_tool_id);
    clinic = await clinicWithAssistant({ toolIds: registry });
    number = `+1415555${String(1000 + Math.floor(Math.random() * 9000))}`;
    const account = twilio.addAccount({ numbers: [number] });
    accountSid = account.sid;
    const res = await http.request("POST", "/api/integrations/twilio", {
      headers: clinic.owner.bearer,
      body: { accountSid: account.sid, authToken: account.authToken, phoneNumber: number },
    });
    expect(res.status, res.text).toBe(200);
  });

  it("verify-agent-access: every line ✓ for a healthy clinic (Google optional); a Twilio or Vapi failure is ✗ with its fix and a non-zero exit", async () => {
    const before = await state();
    const ok = await voxanne(["verify-agent-access", "--org", clinic.owner.orgId, "--json"]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.json.checks.map((c: { check: string; status: string }) => [c.check, c.status])).toEqual([
      ["twilio_credentials", "ok"],
      ["number_linked", "ok"],
      ["assistant_tools", "ok"],
      ["google_token", "skipped"],
    ]);
    expect(ok.json.checks[3].detail).toBe("Google Calendar is not connected (optional).");
    const text = await voxanne(["verify-agent-access", "--org", clinic.owner.orgId]);
    expect(text.stdout).toContain(`✓ ${number} imported and linked to the inbound receptionist.`);

    twilio.failNext("GET", new RegExp(`Accounts/${accountSid}\\.json$`), 401, 20003, "Authenticate");
    const badTwilio = await voxanne(["verify-agent-access", "--org", clinic.owner.orgId]);
    expect(badTwilio.code).toBe(1);
    expect(badTwilio.stdout).toMatch(/✗ Twilio answered 401 \(error 20003\): Authenticate\.\n\s+Fix: Reconnect Twilio on Integrations/);

    vapi.failNext("GET", /^\/assistant\//, 500);
    const badVapi = await voxanne(["verify-agent-access", "--org", clinic.owner.orgId, "--json"]);
    expect(badVapi.code).toBe(1);
    expect(badVapi.json.checks.find((c: { check: string }) => c.check === "assistant_tools")).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/Vapi answered 500/),
    });
    expect(await state()).toBe(before); // checks only
  });

  it("release-number: dry run changes nothing; a Vapi failure keeps the number and exits 1; the run releases it; the second run has nothing to do", async () => {
    const vapiNumberId = (await t.admin.query("select vapi_phone_number_id from phone_numbers where org_id = $1", [clinic.owner.orgId])).rows[0]
      .vapi_phone_number_id;
    expect(vapi.phoneNumbers.has(vapiNumberId)).toBe(true);
    const before = await state();
    const dry = await voxanne(["release-number", "--org", clinic.owner.orgId, "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(dry.json.released).toEqual([{ e164: number, vapiPhoneNumberId: vapiNumberId }]);
    expect(await state()).toBe(before);

    vapi.failNext("DELETE", /^\/phone-number\//, 500);
    const failed = await voxanne(["release-number", "--org", clinic.owner.orgId, "--json"]);
    expect(failed.code).toBe(1);
    expect(failed.json.failures).toEqual([{ e164: number, error: expect.stringMatching(/Vapi answered 500/) }]);
    expect(await state()).toBe(before);

    const run = await voxanne(["release-number", "--org", clinic.owner.orgId, "--json"]);
    expect(run.code, run.stdout).toBe(0);
    expect(vapi.phoneNumbers.has(vapiNumberId)).toBe(false);
    expect((await t.admin.query("select count(*)::int as n from phone_numbers where org_id = $1", [clinic.owner.orgId])).rows[0].n).toBe(0);
    const audit = await t.admin.query("select data from audit_events where org_id = $1 and action = 'phone_number.released'", [clinic.owner.orgId]);
    expect(audit.rows).toEqual([{ data: { e164: number, vapiPhoneNumberId: vapiNumberId } }]);

    const again = await voxanne(["release-number", "--org", clinic.owner.orgId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("has no phone number: nothing to release.");
    // verify-agent-access now says what to do about it.
    const check = await voxanne(["verify-agent-access", "--org", clinic.owner.orgId]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("✗ No phone number is imported into Vapi.");
  });
});

describe("fix-org-membership", () => {
  it("repairs token claims from the profile; dry run changes nothing; second run has nothing to do; a user without a profile fails the run", async () => {
    const moved = await signUpClinic(t);
    const other = await signUpClinic(t);
    // Claims that disagree with the profile: another clinic, a higher role, an operator flag.
    await t.admin.query(
      `update auth.users set raw_app_meta_data = raw_app_meta_data || jsonb_build_object('org_id', $2::text, 'role', 'staff', 'operator', true) where id = $1`,
      [moved.userId, other.orgId],
    );
    const before = await state();
    const authBefore = (await t.admin.query("select raw_app_meta_data::text from auth.users order by id")).rows;
    const dry = await voxanne(["fix-org-membership", "--dry-run", "--json"]);
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.json.repaired).toEqual([
      {
        userId: moved.userId,
        email: moved.email,
        from: { orgId: other.orgId, role: "staff", operator: true, orgExists: true },
        to: { orgId: moved.orgId, role: "owner", operator: false },
      },
    ]);
    expect(await state()).toBe(before);
    expect((await t.admin.query("select raw_app_meta_data::text from auth.users order by id")).rows).toEqual(authBefore);

    const run = await voxanne(["fix-org-membership", "--json"]);
    expect(run.code).toBe(0);
    const claims = (await t.admin.query("select raw_app_meta_data as m from auth.users where id = $1", [moved.userId])).rows[0].m;
    expect(claims).toMatchObject({ org_id: moved.orgId, role: "owner", operator: false });
    expect(
      (await t.admin.query("select count(*)::int as n from audit_events where org_id = $1 and action = 'membership.claims_repaired'", [moved.orgId])).rows[0].n,
    ).toBe(1);
    const again = await voxanne(["fix-org-membership"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to do");

    // A user with no profile cannot be placed in a clinic automatically.
    const orphan = await signUpClinic(t);
    // The last-owner guard (a trigger) would refuse this; an operator's repair case bypasses it here.
    await t.admin.query(`begin; set local session_replication_role = replica; delete from profiles where user_id = '${orphan.userId}'; commit;`);
    const orphanId = orphan.userId;
    const stuck = await voxanne(["fix-org-membership", "--json"]);
    expect(stuck.code).toBe(1);
    expect(stuck.json).toMatchObject({ ok: false, withoutProfile: [{ userId: orphanId }] });
    await t.admin.query("delete from auth.users where id = $1", [orphanId]);
    expect((await voxanne(["fix-org-membership"])).code).toBe(0);
  });
});

describe("verify-appointment-db", () => {
  it("reports appointments without a patient and exits 1; nothing when the data is sound", async () => {
    await t.admin.query("delete from appointments");
    const clean = await voxanne(["verify-appointment-db", "--json"]);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.json.problems).toEqual([]);

    const owner = await signUpClinic(t);
    const { rows } = await t.admin.query(
      `insert into appointments (org_id, contact_id, starts_at, ends_at) values ($1, null, '2030-01-07T15:00Z', '2030-01-07T15:30Z') returning id`,
      [owner.orgId],
    );
    const found = await voxanne(["verify-appointment-db"]);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("✗ Appointments without a patient: 1");
    expect(found.stdout).toContain(`appointment ${rows[0].id} (org ${owner.orgId}) has no contact`);
    expect(found.stdout).toContain("✓ Overlapping appointments");
    expect(found.stdout).toContain("✓ Upcoming appointments without their Google Calendar event: 0");

    // With Google Calendar connected, an upcoming appointment without its event is reported too.
    await t.admin.query("delete from appointments");
    const google = await signUpClinic(t);
    await t.db.asService(google.orgId, (tx) =>
      saveCredential(tx, t.config.encryptionKeys, google.orgId, "google", { refreshToken: "1//refresh-token-for-test", scope: "openid email" }),
    );
    const contact = await t.admin.query("insert into contacts (org_id, phone, name) values ($1, '+12125550142', 'Ada') returning id", [google.orgId]);
    const missing = await t.admin.query(
      `insert into appointments (org_id, contact_id, starts_at, ends_at) values ($1, $2, '2030-01-08T15:00Z', '2030-01-08T15:30Z') returning id`,
      [google.orgId, contact.rows[0].id],
    );
    await t.admin.query(
      `insert into appointments (org_id, contact_id, starts_at, ends_at, google_event_id) values ($1, $2, '2030-01-09T15:00Z', '2030-01-09T15:30Z', 'evt00001')`,
      [google.orgId, contact.rows[0].id],
    );
    const noEvent = await voxanne(["verify-appointment-db", "--json"]);
    expect(noEvent.code).toBe(1);
    expect(noEvent.json.problems).toEqual([
      { kind: "missing_google_event", orgId: google.orgId, appointmentId: missing.rows[0].id, detail: "has no Google Calendar event" },
    ]);
  });
});

describe("rotate-encryption-key", () => {
  it("stopped halfway and resumed: every credential decrypts at every point, and all end under the new key", async () => {
    const K2 = randomBytes(32).toString("base64");
    const oldKeys = parseEncryptionKeys(`k1:${TEST_ENCRYPTION_KEY}`);
    const newKeys = parseEncryptionKeys(`k2:${K2},k1:${TEST_ENCRYPTION_KEY}`);
    const clinics = await Promise.all(Array.from({ length: 6 }, () => signUpClinic(t)));
    const secrets = new Map<string, { accountSid: string; authToken: string }>();
    for (const c of clinics) {
      const secret = { accountSid: `AC${randomBytes(16).toString("hex")}`, authToken: randomBytes(16).toString("hex") };
      secrets.set(c.orgId, secret);
      await t.db.asService(c.orgId, (tx) => saveCredential(tx, oldKeys, c.orgId, "twilio", secret));
    }
    const config = { ...t.config, encryptionKeys: newKeys };
    const keyIds = async () =>
      (await t.admin.query("select key_id from org_credentials where org_id = any($1) order by key_id", [clinics.map((c) => c.orgId)])).rows.map(
        (r) => r.key_id,
      );
    const allDecrypt = async (keys = newKeys) => {
      for (const c of clinics) expect(await t.db.asService(c.orgId, (tx) => readCredential(tx, keys, c.orgId, "twilio"))).toEqual(secrets.get(c.orgId));
    };
    const total = (await t.admin.query("select count(*)::int as n from org_credentials where ciphertext is not null and key_id <> 'k2'")).rows[0].n;

    const before = await state();
    const dry = await voxanne(["rotate-encryption-key", "--dry-run", "--json"], config);
    expect(dry.code).toBe(0);
    expect(dry.json.reencrypted).toHaveLength(total);
    expect(await state()).toBe(before);

    // Interrupted halfway (the run stops after 3 credentials, as Ctrl-C stops after the one in hand).
    const half = await voxanne(["rotate-encryption-key", "--limit", "3"], config);
    expect(half.code, half.stdout).toBe(0);
    expect(half.stdout).toContain(`Stopped with ${total - 3} credential(s) still under an older key; every one still decrypts.`);
    const mixed = await keyIds();
    expect(mixed.filter((k) => k === "k1").length + mixed.filter((k) => k === "k2").length).toBe(clinics.length);
    expect(total - 3).toBeGreaterThan(0);
    await allDecrypt();

    const resumed = await voxanne(["rotate-encryption-key", "--json"], config);
    expect(resumed.code).toBe(0);
    expect(resumed.json.reencrypted).toHaveLength(total - 3);
    expect(await keyIds()).toEqual(clinics.map(() => "k2"));
    await allDecrypt(parseEncryptionKeys(`k2:${K2}`)); // the old key can go
    const again = await voxanne(["rotate-encryption-key", "--json"], config);
    expect(again.json).toMatchObject({ ok: true, reencrypted: [], remaining: 0 });
  });
});

describe("set-operator", () => {
  it("grants the operator flag (dry run changes nothing, second run has nothing to do), the token carries it, and --revoke takes it back", async () => {
    const user = await signUpClinic(t);
    const before = await state();
    const dry = await voxanne(["set-operator", "--email", user.email.toUpperCase(), "--dry-run", "--json"]);
    expect(dry.json).toMatchObject({ ok: true, changed: true, operator: true });
    expect(await state()).toBe(before);

    expect((await voxanne(["set-operator", "--email", user.email])).code).toBe(0);
    const signedIn = await signInUser(t, user.email);
    const admin = await http.request("GET", "/api/admin/clinics", { headers: signedIn.bearer });
    expect(admin.status).toBe(200);
    const audit = await t.admin.query("select actor_type from audit_events where org_id = $1 and action = 'operator.granted'", [user.orgId]);
    expect(audit.rows).toEqual([{ actor_type: "operator" }]);
    expect((await voxanne(["set-operator", "--email", user.email])).stdout).toContain("already an operator: nothing to do");

    expect((await voxanne(["set-operator", "--email", user.email, "--revoke"])).code).toBe(0);
    const after = await signInUser(t, user.email);
    expect((await http.request("GET", "/api/admin/clinics", { headers: after.bearer })).status).toBe(403);
    const unknown = await voxanne(["set-operator", "--email", "nobody@example.com", "--json"]);
    expect(unknown.code).toBe(1);
    expect(unknown.json.error).toBe("No user signs in as nobody@example.com.");
  });
});

describe("progress bars", () => {
  const stream = (isTTY: boolean) => {
    let written = "";
    const s = Object.assign(new PassThrough(), { isTTY });
    s.on("data", (chunk: Buffer) => {
      written += chunk.toString();
    });
    return { s: s as unknown as NodeJS.WriteStream, text: () => written };
  };

  it("draw on a terminal, and stay quiet with --json or when stderr is not a terminal", async () => {
    const tty = stream(true);
    const bar = startProgress({ json: false }, "Assistants", 3, tty.s);
    bar.tick("Clinic A");
    bar.tick("Clinic B");
    bar.tick("Clinic C");
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(tty.text()).toContain("Assistants [");
    expect(tty.text()).toContain("3/3 Clinic C");

    for (const [ctx, s] of [
      [{ json: true }, stream(true)],
      [{ json: false }, stream(false)],
    ] as const) {
      const quiet = startProgress(ctx, "Assistants", 3, s.s);
      quiet.tick();
      quiet.stop();
      await new Promise((r) => setImmediate(r));
      expect(s.text()).toBe("");
    }
  });
});
