import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { command as rotateCommand } from "../src/cli/commands/rotate-encryption-key";
import type { CliContext } from "../src/cli/types";
import type { Db } from "../src/db/database";
import { createLogger } from "../src/logger";
import { CredentialError, parseEncryptionKeys } from "../src/modules/credentials/crypto";
import { credentialStatus, isConnected, readCredential, reencryptAll, revokeCredential, saveCredential } from "../src/modules/credentials/service";
import { SMS_SENDER_UNAVAILABLE, TWILIO_NOT_CONNECTED, unavailableSmsSender } from "../src/modules/messages/sms";
import { LogCapture, TEST_ENCRYPTION_KEY, testConfig } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { createTestDatabase } from "./helpers/db";

const { db, admin } = await createTestDatabase();
const config = testConfig();
const target = { db, config };

const AUTH_TOKEN = `twilio-auth-token-${randomBytes(8).toString("hex")}`;
const TWILIO = { accountSid: `AC${randomBytes(16).toString("hex")}`, authToken: AUTH_TOKEN };
const REFRESH_TOKEN = `1//google-refresh-${randomBytes(8).toString("hex")}`;
const GOOGLE = { refreshToken: REFRESH_TOKEN, scope: "openid email https://www.googleapis.com/auth/calendar.freebusy" };

const key = () => randomBytes(32).toString("base64");
const K0 = key();
// The tests' configured key (id k1): rows saved with config.encryptionKeys are "old" rows for rotation.
const K1 = TEST_ENCRYPTION_KEY;
const K2 = key();

let A: TestUser;
let B: TestUser;

beforeAll(async () => {
  A = await signUpClinic(target, { clinicName: "Vault Clinic A" });
  B = await signUpClinic(target, { clinicName: "Vault Clinic B" });
});

const asService = <T>(user: TestUser, fn: (tx: Db) => Promise<T>) => db.asService(user.orgId, fn);
const sealedRow = async (orgId: string, provider: string) =>
  (
    await admin.query(
      "select key_id, iv, ciphertext, auth_tag, status, metadata, t::text as whole from public.org_credentials t where org_id = $1 and provider = $2",
      [orgId, provider],
    )
  ).rows[0];
const failure = async (p: Promise<unknown>): Promise<CredentialError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CredentialError);
  return err as CredentialError;
};

describe("ENCRYPTION_KEY", () => {
  it("accepts one plain key (base64 or hex, id k1) or id:key entries, the first being current", () => {
    expect(parseEncryptionKeys(K1).toJSON()).toEqual({ currentId: "k1", ids: ["k1"] });
    expect(parseEncryptionKeys(randomBytes(32).toString("hex")).currentId).toBe("k1");
    const ring = parseEncryptionKeys(` k2:${K2} , k1:${K1}`);
    expect(ring.toJSON()).toEqual({ currentId: "k2", ids: ["k2", "k1"] });
    expect(ring.key("k1")).toEqual(Buffer.from(K1, "base64"));
  });

  it("rejects malformed values with a message that names the entry and never the key", () => {
    const short = randomBytes(16).toString("base64");
    const cases: [string, RegExp][] = [
      ["", /empty/],
      [`k1:${short}`, /entry 1 \(id "k1"\).*32 bytes/],
      [`k2:${K2},${K1}`, /entry 2 has no id/],
      [`k1:${K1},k1:${K2}`, /"k1" appears twice/],
      [`bad id:${K1}`, /key id must be/],
    ];
    for (const [value, message] of cases) {
      let error: Error | null = null;
      try {
        parseEncryptionKeys(value);
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message, value).toMatch(message);
      for (const secret of [short, K1, K2]) expect(error!.message).not.toContain(secret);
    }
  });

  it("a keyring printed or serialised shows key ids only", () => {
    const ring = parseEncryptionKeys(`k2:${K2},k1:${K1}`);
    const hex = Buffer.from(K2, "base64").toString("hex");
    for (const text of [JSON.stringify({ ring }), inspect(ring), inspect({ config: { encryptionKeys: ring } }, { depth: 5 })]) {
      expect(text).toContain("k2");
      for (const secret of [K1, K2, hex]) expect(text).not.toContain(secret);
    }
  });
});

describe("credential vault", () => {
  it("round-trips each provider's payload, and the summary carries status and metadata only", async () => {
    const saved = await asService(A, (tx) => saveCredential(tx, config.encryptionKeys, A.orgId, "twilio", TWILIO, { accountSid: TWILIO.accountSid }));
    expect(saved).toMatchObject({ provider: "twilio", status: "active", metadata: { accountSid: TWILIO.accountSid } });
    expect(JSON.stringify(saved)).not.toContain(AUTH_TOKEN);
    await asService(A, (tx) => saveCredential(tx, config.encryptionKeys, A.orgId, "google", GOOGLE, { connected_email: "owner@clinic.example" }));

    expect(await asService(A, (tx) => readCredential(tx, config.encryptionKeys, A.orgId, "twilio"))).toEqual(TWILIO);
    expect(await asService(A, (tx) => readCredential(tx, config.encryptionKeys, A.orgId, "google"))).toEqual(GOOGLE);
    expect(await asService(A, (tx) => credentialStatus(tx, A.orgId, "google"))).toMatchObject({
      status: "active",
      metadata: { connected_email: "owner@clinic.example" },
    });
    // B has nothing: no fallthrough to another org's row.
    expect((await failure(asService(B, (tx) => readCredential(tx, config.encryptionKeys, B.orgId, "twilio")))).code).toBe("not_connected");
    expect(await asService(B, (tx) => credentialStatus(tx, B.orgId, "twilio"))).toMatchObject({ status: "not_connected", metadata: {} });
  });

  it("stores only ciphertext: no plaintext in the row, a fresh IV each time, 12-byte IV and 16-byte tag", async () => {
    const first = await sealedRow(A.orgId, "twilio");
    expect(first.whole).not.toContain(AUTH_TOKEN);
    expect(first.whole).not.toContain(Buffer.from(AUTH_TOKEN).toString("hex"));
    expect(first.ciphertext.toString("latin1")).not.toContain(AUTH_TOKEN);
    expect(first).toMatchObject({ key_id: "k1", status: "active" });
    expect(first.iv).toHaveLength(12);
    expect(first.auth_tag).toHaveLength(16);

    await asService(A, (tx) => saveCredential(tx, config.encryptionKeys, A.orgId, "twilio", TWILIO, { accountSid: TWILIO.accountSid }));
    const second = await sealedRow(A.orgId, "twilio");
    expect(second.iv.equals(first.iv)).toBe(false);
    expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
  });

  it("refuses a payload that does not match the provider's schema, and stores nothing", async () => {
    const err = await failure(asService(B, (tx) => saveCredential(tx, config.encryptionKeys, B.orgId, "twilio", { accountSid: TWILIO.accountSid } as never)));
    expect(err.code).toBe("invalid_payload");
    expect(err.message).toMatch(/not valid twilio credentials/);
    expect(await sealedRow(B.orgId, "twilio")).toBeUndefined();
  });

  it("a tampered ciphertext, a tampered tag or a row copied from another org fails with a clear error", async () => {
    await asService(B, (tx) => saveCredential(tx, config.encryptionKeys, B.orgId, "twilio", TWILIO));
    const original = await sealedRow(B.orgId, "twilio");
    const read = () => asService(B, (tx) => readCredential(tx, config.encryptionKeys, B.orgId, "twilio"));
    const flip = (b: Buffer) => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));
    const restore = () =>
      admin.query("update public.org_credentials set iv = $2, ciphertext = $3, auth_tag = $4 where org_id = $1 and provider = 'twilio'", [
        B.orgId,
        original.iv,
        original.ciphertext,
        original.auth_tag,
      ]);

    for (const column of ["ciphertext", "auth_tag"] as const) {
      await admin.query(`update public.org_credentials set ${column} = $2 where org_id = $1 and provider = 'twilio'`, [B.orgId, flip(original[column])]);
      const err = await failure(read());
      expect(err.code).toBe("decrypt_failed");
      expect(err.message).toMatch(
        /twilio credentials of org .* could not be decrypted with key "k1": the stored ciphertext or its authentication tag was altered/,
      );
      expect(err.message).not.toContain(AUTH_TOKEN);
      await restore();
    }
    expect(await read()).toEqual(TWILIO);

    // A's sealed bytes pasted into B's row: bound to A's org, they do not open as B's.
    const a = await sealedRow(A.orgId, "twilio");
    await admin.query("update public.org_credentials set iv = $2, ciphertext = $3, auth_tag = $4 where org_id = $1 and provider = 'twilio'", [
      B.orgId,
      a.iv,
      a.ciphertext,
      a.auth_tag,
    ]);
    expect((await failure(read())).code).toBe("decrypt_failed");
    await restore();
  });

  it("revoking erases the secret, keeps the metadata, and saving again reconnects", async () => {
    expect(await asService(B, (tx) => revokeCredential(tx, B.orgId, "twilio"))).toBe(true);
    expect(await asService(B, (tx) => revokeCredential(tx, B.orgId, "twilio"))).toBe(false);
    const row = await sealedRow(B.orgId, "twilio");
    expect(row).toMatchObject({ status: "revoked", key_id: null, iv: null, ciphertext: null, auth_tag: null });
    const err = await failure(asService(B, (tx) => readCredential(tx, config.encryptionKeys, B.orgId, "twilio")));
    expect(err).toMatchObject({ code: "not_connected", message: `twilio is not connected for org ${B.orgId}.` });
    // The table refuses a revoked row that still holds a payload, or an active one without.
    const broken = await admin
      .query("update public.org_credentials set status = 'active' where org_id = $1 and provider = 'twilio'", [B.orgId])
      .catch((e) => e);
    expect(broken.code).toBe("23514");

    await asService(B, (tx) => saveCredential(tx, config.encryptionKeys, B.orgId, "twilio", TWILIO));
    expect(await asService(B, (tx) => readCredential(tx, config.encryptionKeys, B.orgId, "twilio"))).toEqual(TWILIO);
  });

  it("only the providers with a schema can be stored", async () => {
    const res = await admin
      .query("insert into public.org_credentials (org_id, provider, key_id, iv, ciphertext, auth_tag) values ($1, 'vapi', 'k1', $2, $3, $4)", [
        A.orgId,
        randomBytes(12),
        randomBytes(8),
        randomBytes(16),
      ])
      .catch((e) => e);
    expect(res.code).toBe("23514");
  });
});

describe("key rotation", () => {
  let C: TestUser;
  let D: TestUser;
  const old = parseEncryptionKeys(`k1:${K1}`);
  const rotated = parseEncryptionKeys(`k2:${K2},k1:${K1}`);

  beforeAll(async () => {
    C = await signUpClinic(target, { clinicName: "Rotating Clinic C" });
    D = await signUpClinic(target, { clinicName: "Lost Key Clinic D" });
    await asService(C, (tx) => saveCredential(tx, old, C.orgId, "twilio", TWILIO));
    await asService(C, (tx) => saveCredential(tx, old, C.orgId, "google", GOOGLE));
  });

  it("rows sealed under the old key still decrypt when it is listed second", async () => {
    expect(await asService(C, (tx) => readCredential(tx, rotated, C.orgId, "twilio"))).toEqual(TWILIO);
    // New writes use the current key.
    await asService(A, (tx) => saveCredential(tx, rotated, A.orgId, "google", GOOGLE));
    expect((await sealedRow(A.orgId, "google")).key_id).toBe("k2");
  });

  it("a key id missing from ENCRYPTION_KEY is named in the error", async () => {
    await asService(D, (tx) => saveCredential(tx, parseEncryptionKeys(`k0:${K0}`), D.orgId, "twilio", TWILIO));
    const err = await failure(asService(D, (tx) => readCredential(tx, rotated, D.orgId, "twilio")));
    expect(err.code).toBe("unknown_key");
    expect(err.message).toContain('encrypted with key "k0", which is not in ENCRYPTION_KEY (it has "k2", "k1")');
  });

  it("re-encryption moves every readable row to the current key, reports the rest, and audits each move", async () => {
    const dry = await db.asSystem((tx) => reencryptAll(tx, rotated, { dryRun: true }));
    expect(dry.reencrypted.filter((r) => r.orgId === C.orgId)).toHaveLength(2);
    expect((await sealedRow(C.orgId, "twilio")).key_id).toBe("k1");

    const before = await sealedRow(D.orgId, "twilio");
    const result = await db.asSystem((tx) => reencryptAll(tx, rotated));
    expect(result.currentKeyId).toBe("k2");
    expect(result.before).toMatchObject({ k0: 1, k2: 1 });
    expect(result.reencrypted).toEqual(
      expect.arrayContaining([
        { orgId: C.orgId, provider: "twilio", fromKeyId: "k1" },
        { orgId: C.orgId, provider: "google", fromKeyId: "k1" },
      ]),
    );
    expect(result.failures).toEqual([{ orgId: D.orgId, provider: "twilio", fromKeyId: "k0", error: expect.stringContaining('key "k0"') }]);
    expect((await sealedRow(D.orgId, "twilio")).whole).toBe(before.whole);

    // Now the old key can go.
    const onlyNew = parseEncryptionKeys(`k2:${K2}`);
    expect((await sealedRow(C.orgId, "twilio")).key_id).toBe("k2");
    expect(await asService(C, (tx) => readCredential(tx, onlyNew, C.orgId, "twilio"))).toEqual(TWILIO);
    expect(await asService(C, (tx) => readCredential(tx, onlyNew, C.orgId, "google"))).toEqual(GOOGLE);
    const audit = await admin.query("select actor_type, data from public.audit_events where org_id = $1 and action = 'credentials.reencrypted'", [C.orgId]);
    expect(audit.rows).toHaveLength(2);
    expect(audit.rows[0]).toMatchObject({ actor_type: "operator", data: { fromKeyId: "k1", toKeyId: "k2" } });

    const again = await db.asSystem((tx) => reencryptAll(tx, rotated));
    expect(again.reencrypted).toEqual([]);
  });

  it("voxanne rotate-encryption-key reports what it did and fails while a row cannot be decrypted", async () => {
    const lines: string[] = [];
    const ctx = (keys: typeof rotated, dryRun: boolean): CliContext => ({
      config: { ...config, encryptionKeys: keys },
      logger: createLogger({ level: "silent" }),
      json: false,
      dryRun,
      print: (line) => lines.push(line),
      progress: () => {},
      database: async () => ({ db, url: "", local: true }),
    });
    const stuck = await rotateCommand.run(ctx(rotated, false), { values: {}, positionals: [] });
    expect(stuck).toMatchObject({ ok: false, error: "1 credential(s) could not be decrypted; they were left as they are." });
    expect(lines.join("\n")).toContain(`✗ twilio of org ${D.orgId}`);

    // With the lost key back in the list, the run completes.
    const recovered = await rotateCommand.run(ctx(parseEncryptionKeys(`k2:${K2},k1:${K1},k0:${K0}`), false), { values: {}, positionals: [] });
    expect(recovered.ok).toBe(true);
    expect(recovered.data?.reencrypted).toEqual([{ orgId: D.orgId, provider: "twilio", fromKeyId: "k0" }]);
    expect(lines.at(-1)).toMatch(/older keys can be removed/);
  });
});

describe("what clinic members and the logs can see", () => {
  it("a member reads status and metadata of their own org only, and never the sealed columns", async () => {
    const own = await db.asUser(A.claims, (tx) => tx.query("select provider, status, metadata from public.org_credentials order by provider"));
    expect(own.rows.map((r) => r.provider)).toEqual(["google", "twilio"]);
    expect(await db.asUser(A.claims, (tx) => isConnected(tx, A.orgId, "twilio"))).toBe(true);
    expect(await db.asUser(A.claims, (tx) => credentialStatus(tx, B.orgId, "twilio"))).toMatchObject({ status: "not_connected" });

    for (const sql of [
      "select ciphertext from public.org_credentials where org_id = $1",
      "select iv, auth_tag from public.org_credentials where org_id = $1",
      "select key_id from public.org_credentials where org_id = $1",
      "select * from public.org_credentials where org_id = $1",
      "select t::text from public.org_credentials t where org_id = $1",
    ]) {
      const err = await db.asUser(A.claims, (tx) => tx.query(sql, [A.orgId])).catch((e) => e);
      expect(err?.code, sql).toBe("42501");
    }
    const anon = await admin.connect();
    try {
      await anon.query("begin; set local role anon");
      expect((await anon.query("select status from public.org_credentials").catch((e) => e)).code).toBe("42501");
    } finally {
      await anon.query("rollback");
      anon.release();
    }
  });

  it("a payload, a keyring or a credential error logged carelessly never shows a secret", async () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: "debug", destination: logs });
    await asService(A, (tx) => saveCredential(tx, config.encryptionKeys, A.orgId, "twilio", TWILIO));
    const payload = await asService(A, (tx) => readCredential(tx, config.encryptionKeys, A.orgId, "twilio"));
    const google = GOOGLE;
    const apiKey = {
      accountSid: TWILIO.accountSid,
      apiKeySid: `SK${randomBytes(16).toString("hex")}`,
      apiKeySecret: `api-secret-${randomBytes(8).toString("hex")}`,
    };
    await asService(B, (tx) => saveCredential(tx, config.encryptionKeys, B.orgId, "twilio", apiKey));
    const apiKeyPayload = await asService(B, (tx) => readCredential(tx, config.encryptionKeys, B.orgId, "twilio"));
    expect(apiKeyPayload).toEqual(apiKey);

    logger.info(payload, "payload at top level");
    logger.info({ credentials: payload, google }, "payload nested");
    logger.info({ org: { twilio: apiKeyPayload, google } }, "payload nested twice");
    logger.info({ config: { ENCRYPTION_KEY: config.ENCRYPTION_KEY, encryptionKeys: config.encryptionKeys } }, "config");
    await admin.query("update public.org_credentials set auth_tag = $2 where org_id = $1 and provider = 'twilio'", [A.orgId, randomBytes(16)]);
    const err = await failure(asService(A, (tx) => readCredential(tx, config.encryptionKeys, A.orgId, "twilio")));
    logger.error({ err }, "credential failure");

    const text = logs.text();
    expect(text).toContain("credential failure");
    expect(text).toContain(TWILIO.accountSid);
    for (const secret of [
      AUTH_TOKEN,
      REFRESH_TOKEN,
      apiKey.apiKeySecret,
      config.ENCRYPTION_KEY!,
      Buffer.from(config.ENCRYPTION_KEY!, "base64").toString("hex"),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("Twilio connection status for SMS", () => {
  it("is false without credentials, true while active, false when revoked or failed", async () => {
    const E = await signUpClinic(target, { clinicName: "SMS Clinic E" });
    const send = () => unavailableSmsSender({ db, orgId: E.orgId, to: "+12125550100", body: "hi" });
    const connected = () => asService(E, (tx) => isConnected(tx, E.orgId, "twilio"));

    expect(await connected()).toBe(false);
    expect(await send()).toEqual({ status: "not_sent", reason: TWILIO_NOT_CONNECTED, code: "not_connected" });

    await asService(E, (tx) => saveCredential(tx, config.encryptionKeys, E.orgId, "twilio", TWILIO));
    expect(await connected()).toBe(true);
    expect(await send()).toEqual({ status: "not_sent", reason: SMS_SENDER_UNAVAILABLE, code: "sender_unavailable" });
    // A Google connection says nothing about Twilio, and vice versa.
    expect(await asService(E, (tx) => isConnected(tx, E.orgId, "google"))).toBe(false);

    await admin.query("update public.org_credentials set status = 'failed' where org_id = $1", [E.orgId]);
    expect(await connected()).toBe(false);
    await asService(E, (tx) => saveCredential(tx, config.encryptionKeys, E.orgId, "twilio", TWILIO));
    expect(await connected()).toBe(true);

    await asService(E, (tx) => revokeCredential(tx, E.orgId, "twilio"));
    expect(await connected()).toBe(false);
    expect(await send()).toEqual({ status: "not_sent", reason: TWILIO_NOT_CONNECTED, code: "not_connected" });
  });
});
