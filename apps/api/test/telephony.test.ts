/**
 * Hybrid telephony over HTTP: Twilio caller-ID verification (the real `twilio` SDK against
 * test/helpers/fake-twilio.ts, signed StatusCallbacks), its limits and lock (enforced by
 * the database, exercised with real concurrent requests), the forwarding configuration and its ring-
 * time rules, and the daily cleanup job.
 */
import { randomInt } from "node:crypto";
import twilioSdk from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLER_ID_CLEANUP_JOB } from "../src/jobs/caller-id-cleanup";
import type { JobRunner } from "../src/jobs/runner";
import { saveCredential } from "../src/modules/credentials/service";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { type FakeTwilio, type FakeTwilioAccount, startFakeTwilio } from "./helpers/fake-twilio";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, startTestJobs } from "./helpers/postcall";

const PUBLIC_API_URL = "https://api.clinic.example";

let t: TestApp;
let http: TestHttp;
let twilio: FakeTwilio;
let account: FakeTwilioAccount;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  account = twilio.addAccount();
  t = await createTestApp({ config: { TWILIO_API_BASE_URL: twilio.url, PUBLIC_API_URL } });
  http = await listen(t.app);
});

/** Twilio's last verification call to the number (its code is what the screen should show). */
const lastValidation = (phone: string) => [...twilio.validationRequests].reverse().find((r) => r.phoneNumber === phone);

/** Posts a webhook Twilio addressed to PUBLIC_API_URL to the test server (as a proxy in front of the API would). */
async function deliver(cb: { url: string; headers: Record<string, string>; body: string }): Promise<number> {
  const res = await fetch(cb.url.replace(PUBLIC_API_URL, http.baseUrl), { method: "POST", headers: cb.headers, body: cb.body });
  await res.arrayBuffer();
  return res.status;
}

/** The phone's owner types `digits` during Twilio's call; Twilio then posts the signed StatusCallback. */
async function keypad(phone: string, digits: string): Promise<number> {
  const request = lastValidation(phone);
  if (!request) throw new Error(`no verification call to ${phone}`);
  return deliver(twilio.callerIdStatusCallback(request, digits === request.validationCode));
}

/** A StatusCallback signed with `authToken` over `url`. */
function signedWith(authToken: string, url: string, params: Record<string, string>) {
  return {
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSdk.getExpectedTwilioSignature(authToken, url, params) },
    body: new URLSearchParams(params).toString(),
  };
}
afterAll(async () => {
  await twilio?.close();
});

const usedNumbers = new Set<string>();
/** A fresh US mobile number in the fictional 555-01xx range's neighbourhood. */
function mobile(): string {
  for (;;) {
    const n = `+1646${randomInt(2_000_000, 9_999_999)}`;
    if (!usedNumbers.has(n)) {
      usedNumbers.add(n);
      return n;
    }
  }
}

let clinics = 0;
/** A clinic with its Twilio account connected (the fake's) and a receptionist number. */
async function clinic(options: { twilio?: boolean; receptionist?: string | null } = {}): Promise<TestUser> {
  const owner = await signUpClinic(t, { clinicName: `Forwarding Clinic ${randomInt(1e6)}` });
  if (options.twilio !== false) {
    await t.db.asService(owner.orgId, (db) =>
      saveCredential(db, t.config.encryptionKeys, owner.orgId, "twilio", { accountSid: account.sid, authToken: account.authToken }),
    );
  }
  const receptionist = options.receptionist === undefined ? `+1212555${String(1000 + ++clinics).padStart(4, "0")}` : options.receptionist;
  if (receptionist) await t.admin.query("insert into public.phone_numbers (org_id, e164, label) values ($1, $2, 'Receptionist')", [owner.orgId, receptionist]);
  return owner;
}

const initiate = (user: TestUser, phoneNumber: string) =>
  http.request("POST", "/api/telephony/verify-caller-id/initiate", { body: { phoneNumber }, headers: user.bearer });
const confirm = (user: TestUser, verificationId: string) =>
  http.request("POST", "/api/telephony/verify-caller-id/confirm", { body: { verificationId }, headers: user.bearer });
const row = async (id: string) => (await t.admin.query("select * from public.verified_caller_ids where id = $1", [id])).rows[0];
const twilioCallsTo = (phone: string) =>
  twilio.requests.filter((r) => r.method === "POST" && /OutgoingCallerIds\.json$/.test(r.path) && r.params.PhoneNumber === phone).length;
const callerIdLists = () => twilio.requests.filter((r) => r.method === "GET" && /OutgoingCallerIds\.json$/.test(r.path)).length;

/** Initiates and lets the owner type Twilio's code: a verified number. */
async function verifiedNumber(owner: TestUser): Promise<{ id: string; phone: string }> {
  const phone = mobile();
  const res = await initiate(owner, phone);
  expect(res.status).toBe(201);
  expect(await keypad(phone, res.body.validationCode)).toBe(200);
  return { id: res.body.verification.id, phone };
}

describe("caller-ID verification through Twilio", () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await clinic();
  });

  it("shows Twilio's own code, asks Twilio to call back on the clinic's signed webhook, and stores no code", async () => {
    const phone = mobile();
    const res = await initiate(owner, phone);
    expect(res.status).toBe(201);
    expect(res.body.validationCode).toMatch(/^\d{6}$/);
    expect(res.body.validationCode).toBe(lastValidation(phone)?.validationCode);
    expect(res.body.verification).toMatchObject({ phoneNumber: phone, status: "pending", confirmAttempts: 0, lockedUntil: null });
    const sent = twilio.requests.find((r) => r.method === "POST" && r.params.PhoneNumber === phone)!;
    expect(sent.username).toBe(account.sid);
    expect(sent.params.StatusCallback).toBe(`${PUBLIC_API_URL}/api/webhooks/twilio/${owner.orgId}/caller-id`);
    expect(sent.params.StatusCallbackMethod).toBe("POST");
    const stored = await t.admin.query("select to_jsonb(v)::text as text from public.verified_caller_ids v where id = $1", [res.body.verification.id]);
    expect(stored.rows[0].text).not.toContain(res.body.validationCode);
    expect(Date.parse((await row(res.body.verification.id)).pending_expires_at) - Date.parse((await row(res.body.verification.id)).created_at)).toBe(
      10 * 60_000,
    );
  });

  it("a StatusCallback without a signature gets 401, with a bad one 403 — and verifies nothing", async () => {
    const phone = mobile();
    const res = await initiate(owner, phone);
    const id = res.body.verification.id;
    const url = `${PUBLIC_API_URL}/api/webhooks/twilio/${owner.orgId}/caller-id`;
    const params = {
      AccountSid: account.sid,
      To: phone,
      CallSid: `CA${"0".repeat(32)}`,
      CallStatus: "completed",
      VerificationStatus: "success",
      OutgoingCallerIdSid: `PN${"1".repeat(32)}`,
    };
    const unsigned = await fetch(`${http.baseUrl}/api/webhooks/twilio/${owner.orgId}/caller-id`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(401);
    // Signed with another account's token, and with the right token over a URL Twilio did not call.
    expect(await deliver(signedWith("0123456789abcdef0123456789abcdef", url, params))).toBe(403);
    const overOtherUrl = signedWith(account.authToken, "http://evil.example/caller-id", params);
    expect(await deliver({ ...overOtherUrl, url })).toBe(403);
    // The right token, but a field changed after signing.
    const tampered = signedWith(account.authToken, url, params);
    expect(await deliver({ ...tampered, body: new URLSearchParams({ ...params, To: "+16465550000" }).toString() })).toBe(403);
    // Another clinic's path: that clinic has no Twilio account, so nothing can be checked.
    const other = await clinic({ twilio: false });
    expect(await deliver(signedWith(account.authToken, `${PUBLIC_API_URL}/api/webhooks/twilio/${other.orgId}/caller-id`, params))).toBe(403);
    expect((await row(id)).status).toBe("pending");
  });

  it("a correctly signed StatusCallback (the owner typed the right code) verifies the number", async () => {
    const phone = mobile();
    const res = await initiate(owner, phone);
    expect(await keypad(phone, res.body.validationCode)).toBe(200);
    const stored = await row(res.body.verification.id);
    expect(stored.status).toBe("verified");
    expect(stored.twilio_caller_id_sid).toBe([...twilio.callerIds.values()].find((c) => c.phoneNumber === phone)!.sid);
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.numbers.find((n: { phoneNumber: string }) => n.phoneNumber === phone)).toMatchObject({ status: "verified", hasForwardingConfig: false });
    expect(list.body.availability).toEqual({ twilioConnected: true, reason: null, receptionistNumber: expect.stringMatching(/^\+1212555/) });
    const audit = await t.admin.query("select actor_type from public.audit_events where org_id = $1 and action = 'caller_id.verified' and target_id = $2", [
      owner.orgId,
      res.body.verification.id,
    ]);
    expect(audit.rows).toEqual([{ actor_type: "twilio" }]);
  });

  it("a wrong code on the keypad: the signed callback marks the verification failed", async () => {
    const phone = mobile();
    const res = await initiate(owner, phone);
    const wrong = res.body.validationCode === "000000" ? "111111" : "000000";
    expect(await keypad(phone, wrong)).toBe(200);
    expect((await row(res.body.verification.id)).status).toBe("failed");
  });

  it("confirm asks Twilio's outgoingCallerIds list when the callback never arrived", async () => {
    const phone = mobile();
    const res = await initiate(owner, phone);
    const listsBefore = callerIdLists();
    const early = await confirm(owner, res.body.verification.id);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ verified: false, attemptsRemaining: 4 });
    // The owner typed the code, but Twilio's callback never reached us.
    const { sid } = twilio.markCallerIdVerified(account.sid, phone);
    const done = await confirm(owner, res.body.verification.id);
    expect(done.body).toMatchObject({ verified: true, verification: { status: "verified" } });
    expect((await row(res.body.verification.id)).twilio_caller_id_sid).toBe(sid);
    expect(callerIdLists() - listsBefore).toBe(2); // one outgoingCallerIds.list per confirm
  });

  it("a number Twilio already lists is verified without placing a call", async () => {
    const phone = mobile();
    twilio.markCallerIdVerified(account.sid, phone);
    const res = await initiate(owner, phone);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ validationCode: null, verification: { status: "verified" } });
    expect(twilioCallsTo(phone)).toBe(0);
    expect((await initiate(owner, phone)).status).toBe(409);
  });

  it("Twilio's refusal of the number is a 400 with its reason, and the verification is failed", async () => {
    const phone = mobile();
    twilio.failNext("POST", /OutgoingCallerIds\.json$/, 400, 21453, "Phone number already validated on another account");
    const res = await initiate(owner, phone);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/already verified on another Twilio account/);
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.numbers.find((n: { phoneNumber: string }) => n.phoneNumber === phone).status).toBe("failed");
  });

  it("removing a number removes its caller ID at Twilio too", async () => {
    const { id, phone } = await verifiedNumber(owner);
    const res = await http.request("DELETE", `/api/telephony/verified-numbers/${id}`, { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, deactivationCode: null });
    expect([...twilio.callerIds.values()].some((c) => c.phoneNumber === phone)).toBe(false);
    expect(await row(id)).toBeUndefined();
  });
});

describe("who may start a verification, and without Twilio", () => {
  it("staff get 403 and Twilio is never asked; admins may", async () => {
    const owner = await clinic();
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    const admin = await addTeamMember(t, owner.orgId, { role: "admin" });
    const phone = mobile();
    const refused = await initiate(staff, phone);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/owner or an admin/);
    expect(twilioCallsTo(phone)).toBe(0);
    expect((await initiate(admin, phone)).status).toBe(201);
    expect((await http.request("GET", "/api/telephony/verified-numbers", { headers: staff.bearer })).status).toBe(200);
  });

  it("a clinic without Twilio is told what to connect", async () => {
    const owner = await clinic({ twilio: false });
    const res = await initiate(owner, mobile());
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Connect your clinic's Twilio account first/);
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.availability).toMatchObject({ twilioConnected: false, reason: expect.stringMatching(/Connect your clinic's Twilio account/) });
  });
});

describe("limits on verification calls (enforced by the database)", () => {
  it("at most 3 per number per hour — 6 concurrent requests place exactly 3 calls; an hour later it may call again", async () => {
    const owner = await clinic();
    const phone = mobile();
    const results = await Promise.all(Array.from({ length: 6 }, () => initiate(owner, phone)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.body.error.message).toMatch(/At most 3 verification calls per number per hour/);
    expect(refused.headers.get("retry-after")).toBe("3600");
    expect(twilioCallsTo(phone)).toBe(3);

    await t.admin.query("update public.caller_id_verification_calls set created_at = created_at - interval '61 minutes' where org_id = $1", [owner.orgId]);
    expect((await initiate(owner, phone)).status).toBe(201);
  });

  it("at most 10 per clinic per hour, across numbers", async () => {
    const owner = await clinic();
    for (let i = 0; i < 10; i++) expect((await initiate(owner, mobile())).status).toBe(201);
    const phone = mobile();
    const res = await initiate(owner, phone);
    expect(res.status).toBe(429);
    expect(res.body.error.message).toMatch(/At most 10 verification calls per clinic per hour/);
    expect(twilioCallsTo(phone)).toBe(0);
    // Another clinic is not affected.
    expect((await initiate(await clinic(), mobile())).status).toBe(201);
  });

  it("5 confirm attempts, then a 1-hour lock on confirm and on new calls — 8 concurrent confirms count exactly 5", async () => {
    const owner = await clinic();
    const phone = mobile();
    const started = await initiate(owner, phone);
    const id = started.body.verification.id;
    const results = await Promise.all(Array.from({ length: 8 }, () => confirm(owner, id)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(
      results
        .filter((r) => r.status === 200)
        .map((r) => r.body.attemptsRemaining)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    const locked = await t.admin.query(
      "select confirm_attempts, locked_until > now() + interval '59 minutes' as an_hour from public.verified_caller_ids where id = $1",
      [id],
    );
    expect(locked.rows[0]).toEqual({ confirm_attempts: 5, an_hour: true });

    const again = await confirm(owner, id);
    expect(again.status).toBe(429);
    expect(again.body.error.message).toMatch(/locked after 5 confirm attempts/);
    const call = await initiate(owner, phone);
    expect(call.status).toBe(429);
    expect(call.body.error.message).toMatch(/locked after 5 confirm attempts/);
    expect(twilioCallsTo(phone)).toBe(1);
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.numbers[0].lockedUntil).not.toBeNull();

    // The database refuses a sixth attempt even when asked directly, and a count above 5 at all.
    await expect(t.admin.query("update public.verified_caller_ids set confirm_attempts = 6 where id = $1", [id])).rejects.toThrow(
      /locked after 5 confirm attempts/,
    );
    await t.admin.query("update public.verified_caller_ids set locked_until = null where id = $1", [id]);
    await expect(t.admin.query("update public.verified_caller_ids set confirm_attempts = 6 where id = $1", [id])).rejects.toThrow(/check constraint/);
  });

  it("a pending verification lapses after 10 minutes: confirm says to start again", async () => {
    const owner = await clinic();
    const started = await initiate(owner, mobile());
    const id = started.body.verification.id;
    await t.admin.query("update public.verified_caller_ids set pending_expires_at = now() - interval '1 second' where id = $1", [id]);
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.numbers[0]).toMatchObject({ status: "expired", pendingExpiresAt: null });
    const res = await confirm(owner, id);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/10 minutes to verify this number have passed/);
    expect((await row(id)).status).toBe("expired");
  });
});

describe("forwarding configuration", () => {
  let owner: TestUser;
  let number: { id: string; phone: string };
  beforeAll(async () => {
    owner = await clinic({ receptionist: "+12125550142" });
    number = await verifiedNumber(owner);
  });
  const save = (body: Record<string, unknown>, user = owner) =>
    http.request("POST", "/api/telephony/forwarding-config", { body: { verifiedCallerId: number.id, ...body }, headers: user.bearer });

  it("ring times 7 and 35 get a 400 that names the allowed values", async () => {
    for (const ringTimeSeconds of [7, 35]) {
      const res = await save({ carrier: "att", forwardingType: "safety_net", ringTimeSeconds });
      expect(res.status, String(ringTimeSeconds)).toBe(400);
      expect(res.body.error.message).toMatch(/Ring time must be one of 5, 10, 15, 20, 25 or 30 seconds on GSM networks/);
      expect(res.body.error.fields[0].path).toBe("ringTimeSeconds");
    }
    const missing = await save({ carrier: "tmobile", forwardingType: "safety_net" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/Choose a ring time/);
  });

  it("a ring time for Verizon gets a 400", async () => {
    const res = await save({ carrier: "verizon", forwardingType: "safety_net", ringTimeSeconds: 20 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Verizon has no dial code for a ring time/);
  });

  it("answers with the exact codes, the erase code and the voicemail warning; GET returns the same", async () => {
    const res = await save({ carrier: "tmobile", forwardingType: "safety_net", ringTimeSeconds: 25, voicemailNumber: "+16465550123" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      carrier: "tmobile",
      forwardingType: "safety_net",
      ringTimeSeconds: 25,
      destinationNumber: "+12125550142",
      simPhoneNumber: number.phone,
      status: "pending_setup",
      codes: {
        activationCode: "**004*12125550142*11*25#",
        deactivationCode: "##004#",
        statusCode: "*#61#",
        voicemailWarning: { checkCode: "*#61#", restoreCode: "**004*+16465550123#" },
      },
    });
    expect(res.body.codes.voicemailWarning.message).toMatch(/also removes your carrier's voicemail forwarding/);
    const got = await http.request("GET", `/api/telephony/forwarding-config?verifiedCallerId=${number.id}`, { headers: owner.bearer });
    expect(got.body.config).toEqual(res.body);

    const verizon = await save({ carrier: "verizon", forwardingType: "total_ai" });
    expect(verizon.body.codes).toMatchObject({ activationCode: "*722125550142", deactivationCode: "*73", voicemailWarning: null });
    expect(verizon.body.id).toBe(res.body.id); // one configuration per number, replaced
  });

  it("the test call's outcome is recorded; turning forwarding off answers with the erase code", async () => {
    const saved = await save({ carrier: "att", forwardingType: "total_ai" });
    const failed = await http.request("POST", "/api/telephony/forwarding-config/confirm", {
      body: { forwardingConfigId: saved.body.id, outcome: "not_forwarded" },
      headers: owner.bearer,
    });
    expect(failed.body).toMatchObject({ config: { status: "test_failed", lastTestOutcome: "not_forwarded" } });
    expect(failed.body.message).toContain("**21*+12125550142#");
    const ok = await http.request("POST", "/api/telephony/forwarding-config/confirm", {
      body: { forwardingConfigId: saved.body.id, outcome: "forwarded" },
      headers: owner.bearer,
    });
    expect(ok.body).toMatchObject({ config: { status: "active", lastTestOutcome: "forwarded" } });
    expect(ok.body.config.confirmedAt).not.toBeNull();
    const list = await http.request("GET", "/api/telephony/verified-numbers", { headers: owner.bearer });
    expect(list.body.numbers.find((n: { id: string }) => n.id === number.id).hasForwardingConfig).toBe(true);

    const off = await http.request("DELETE", `/api/telephony/forwarding-config/${saved.body.id}`, { headers: owner.bearer });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ deactivationCode: "##21#", config: { status: "disabled" } });
    const audit = await t.admin.query("select action from public.audit_events where org_id = $1 and target_id = $2 order by created_at", [
      owner.orgId,
      saved.body.id,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["forwarding.configured", "forwarding.tested", "forwarding.disabled"]));
  });

  it("T-Mobile refuses a non-US receptionist number; an unverified number cannot be forwarded; staff cannot change it", async () => {
    const uk = await clinic({ receptionist: "+442079460958" });
    const ukNumber = await verifiedNumber(uk);
    const res = await http.request("POST", "/api/telephony/forwarding-config", {
      body: { verifiedCallerId: ukNumber.id, carrier: "tmobile", forwardingType: "total_ai" },
      headers: uk.bearer,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/T-Mobile forwards only to 10- or 11-digit US numbers/);
    const gsm = await http.request("POST", "/api/telephony/forwarding-config", {
      body: { verifiedCallerId: ukNumber.id, carrier: "other_gsm", forwardingType: "safety_net", ringTimeSeconds: 15 },
      headers: uk.bearer,
    });
    expect(gsm.body.codes.activationCode).toBe("**004*+442079460958*11*15#");

    const pending = await initiate(owner, mobile());
    const notYet = await http.request("POST", "/api/telephony/forwarding-config", {
      body: { verifiedCallerId: pending.body.verification.id, carrier: "att", forwardingType: "total_ai" },
      headers: owner.bearer,
    });
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.message).toMatch(/Verify this number/);

    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    expect((await save({ carrier: "att", forwardingType: "total_ai" }, staff)).status).toBe(403);
  });
});

describe("the daily cleanup job", () => {
  let jobs: JobRunner;
  beforeAll(async () => {
    jobs = await startTestJobs(t);
  });
  afterAll(async () => {
    await jobs?.stop();
  });

  it("is scheduled at 03:00 UTC", async () => {
    const { rows } = await t.admin.query("select cron, options->>'tz' as tz from pgboss.schedule where name = $1", [CALLER_ID_CLEANUP_JOB]);
    expect(rows).toEqual([{ cron: "0 3 * * *", tz: "UTC" }]);
  });

  it("expires stale pending verifications, lifts locks that ran out, and leaves the rest alone", async () => {
    const owner = await clinic();
    const stale = (await initiate(owner, mobile())).body.verification.id;
    const fresh = (await initiate(owner, mobile())).body.verification.id;
    const lockedLapsed = (await initiate(owner, mobile())).body.verification.id;
    const lockedActive = (await initiate(owner, mobile())).body.verification.id;
    await t.admin.query("update public.verified_caller_ids set pending_expires_at = now() - interval '1 minute' where id = $1", [stale]);
    for (const id of [lockedLapsed, lockedActive]) {
      for (let i = 0; i < 5; i++) await confirm(owner, id);
    }
    await t.admin.query("update public.verified_caller_ids set locked_until = now() - interval '1 minute' where id = $1", [lockedLapsed]);

    await jobs.send(CALLER_ID_CLEANUP_JOB, {});
    await eventually(async () => (await row(stale)).status === "expired");
    await eventually(async () => (await row(lockedLapsed)).locked_until === null);
    expect(await row(lockedLapsed)).toMatchObject({ locked_until: null, confirm_attempts: 0 });
    expect((await row(fresh)).status).toBe("pending");
    expect((await row(lockedActive)).locked_until).not.toBeNull();
    expect((await row(lockedActive)).confirm_attempts).toBe(5);
  });
});
