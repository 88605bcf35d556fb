import { describe, expect, it } from "vitest";
import { SeenSignatures } from "../src/integrations/vapi/auth";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { createClinic, hmacHeaders, TestClock, toolCallsMessage } from "./helpers/vapi";

const NOW = new Date("2026-03-05T15:00:00Z");
const clock = new TestClock(NOW);
const t = await createTestApp({ clock, config: { VAPI_HMAC_SECRET: "hmac-secret-0123456789abcdef" } });
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;
const hmacSecret = "hmac-secret-0123456789abcdef";
const clinic = await createClinic(t.admin);
const body = JSON.stringify(toolCallsMessage(clinic, [{ id: "tc_auth", name: "getServicePrice", args: { service: "botox" } }]).body);

const post = (headers: Record<string, string>, raw = body, path = "/api/vapi/tools") => http.request("POST", path, { body: raw, headers });
const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

describe("Vapi webhook authentication", () => {
  it("rejects a request with no credentials with a bare 401", async () => {
    for (const path of ["/api/vapi/tools", "/api/vapi/webhook"]) {
      const res = await post({}, body, path);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: "unauthorized", message: "Unauthorized." } });
    }
  });

  it("rejects a wrong or empty secret", async () => {
    expect((await post({ "x-vapi-secret": "wrong-secret-0123456789" })).status).toBe(401);
    expect((await post({ "x-vapi-secret": "" })).status).toBe(401);
    expect((await post({ "x-vapi-secret": secret.slice(0, -1) })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${secret}x` })).status).toBe(401);
    // The secret alone in Authorization (no Bearer scheme) is not the bearer plan.
    expect((await post({ authorization: secret })).status).toBe(401);
  });

  it("accepts the bearer secret in x-vapi-secret (with or without a Bearer prefix) or in Authorization: Bearer", async () => {
    const variants: Record<string, string>[] = [{ "x-vapi-secret": secret }, { "x-vapi-secret": `Bearer ${secret}` }, { authorization: `Bearer ${secret}` }];
    for (const headers of variants) {
      const res = await post(headers);
      expect(res.status).toBe(200);
      expect(res.body.results[0]).toEqual({ toolCallId: "tc_auth", name: "getServicePrice", result: expect.stringContaining("Botox costs $400") });
    }
  });

  it("accepts a valid HMAC signature with the timestamp in seconds or milliseconds", async () => {
    for (const stamp of [seconds(NOW), String(NOW.getTime())]) {
      const res = await post(hmacHeaders(hmacSecret, body, stamp));
      expect(res.status).toBe(200);
      expect(res.body.results[0].result).toContain("Botox costs $400");
    }
    // "sha256=" prefixed signatures are accepted too (a fresh timestamp: each signature is accepted once).
    const h = hmacHeaders(hmacSecret, body, seconds(new Date(NOW.getTime() - 1000)));
    expect((await post({ ...h, "x-signature": `sha256=${h["x-signature"]}` })).status).toBe(200);
  });

  it("rejects a bad signature, a signature over different bytes, or one made with another secret", async () => {
    const stamp = seconds(NOW);
    const good = hmacHeaders(hmacSecret, body, stamp);
    expect((await post({ ...good, "x-signature": good["x-signature"].replace(/^./, (c) => (c === "a" ? "b" : "a")) })).status).toBe(401);
    // Same JSON, different bytes (whitespace): the signature covers the raw body.
    expect((await post(good, body.replace("{", "{ "))).status).toBe(401);
    expect((await post(hmacHeaders("another-secret-0123456789", body, stamp))).status).toBe(401);
    expect((await post({ "x-signature": good["x-signature"] })).status).toBe(401);
    expect((await post({ ...good, "x-timestamp": "not-a-time" })).status).toBe(401);
  });

  it("rejects a timestamp more than 5 minutes old (or ahead), even when correctly signed", async () => {
    const stale = new Date(NOW.getTime() - 5 * 60_000 - 1000);
    expect((await post(hmacHeaders(hmacSecret, body, seconds(stale)))).status).toBe(401);
    expect((await post(hmacHeaders(hmacSecret, body, String(stale.getTime())))).status).toBe(401);
    const ahead = new Date(NOW.getTime() + 6 * 60_000);
    expect((await post(hmacHeaders(hmacSecret, body, seconds(ahead)))).status).toBe(401);
    const recent = new Date(NOW.getTime() - 4 * 60_000);
    expect((await post(hmacHeaders(hmacSecret, body, seconds(recent)))).status).toBe(200);
  });

  it("accepts a signed request once: the same signature again is a replay (401), a fresh signature is fine", async () => {
    const stamp = seconds(new Date(NOW.getTime() - 2000));
    const signed = hmacHeaders(hmacSecret, body, stamp);
    expect((await post(signed)).status).toBe(200);
    const replay = await post(signed);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: { code: "unauthorized", message: "Unauthorized." } });
    expect((await post({ ...signed, "x-signature": `sha256=${signed["x-signature"].toUpperCase()}` })).status).toBe(401);
    expect(t.logs.text()).toContain("vapi webhook rejected: signature already used (replay)");
    expect((await post(hmacHeaders(hmacSecret, body, seconds(new Date(NOW.getTime() - 3000))))).status).toBe(200);
    // The bearer credential carries no per-request signature: repeating it is not a replay.
    expect((await post({ "x-vapi-secret": secret })).status).toBe(200);
    expect((await post({ "x-vapi-secret": secret })).status).toBe(200);
  });

  it("checks the credential on the raw bytes before parsing: an unauthenticated body is never parsed", async () => {
    const res = await post({}, "{ not json");
    expect(res.status).toBe(401);
    const signedGarbage = "{ not json";
    const signed = await post(hmacHeaders(hmacSecret, signedGarbage, seconds(new Date(NOW.getTime() - 4000))), signedGarbage);
    expect(signed.status).toBe(400);
    expect(signed.body.error.code).toBe("invalid_json");
  });

  it("never writes the secret, signature or tenant Twilio token into the logs", async () => {
    await post({ "x-vapi-secret": secret });
    await post({ "x-vapi-secret": "wrong-secret-0123456789" });
    const logs = t.logs.text();
    expect(logs).toContain("vapi webhook rejected");
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain("wrong-secret-0123456789");
    expect(logs).not.toContain("tw-secret-token");
  });
});

describe("SeenSignatures", () => {
  it("remembers a signature until it expires, and stays bounded", () => {
    const seen = new SeenSignatures(3);
    expect(seen.firstUse("a", 1000, 0)).toBe(true);
    expect(seen.firstUse("a", 1000, 10)).toBe(false);
    expect(seen.firstUse("a", 1000, 1001)).toBe(true); // expired, then seen anew
    for (const k of ["b", "c", "d", "e"]) seen.firstUse(k, 5000, 1002);
    expect(seen.size).toBe(3);
  });
});

describe("Vapi webhook authentication with a custom bearer header", () => {
  it("reads the secret from VAPI_SECRET_HEADER and not from the default header", async () => {
    const custom = await createTestApp({ clock, config: { VAPI_SECRET_HEADER: "X-Clinic-Token" } });
    const customHttp = await listen(custom.app);
    const c = await createClinic(custom.admin);
    const raw = JSON.stringify(toolCallsMessage(c, [{ id: "tc1", name: "getServicePrice", args: { service: "fillers" } }]).body);
    const ok = await customHttp.request("POST", "/api/vapi/tools", { body: raw, headers: { "x-clinic-token": custom.config.vapiWebhookSecret } });
    expect(ok.status).toBe(200);
    expect(ok.body.results[0].result).toContain("Fillers cost $500");
    const old = await customHttp.request("POST", "/api/vapi/tools", { body: raw, headers: { "x-vapi-secret": custom.config.vapiWebhookSecret } });
    expect(old.status).toBe(401);
    // Without VAPI_HMAC_SECRET the HMAC plan uses the webhook secret.
    const signed = await customHttp.request("POST", "/api/vapi/webhook", {
      body: raw,
      headers: hmacHeaders(custom.config.vapiWebhookSecret, raw, seconds(NOW)),
    });
    expect(signed.status).toBe(200);
  });
});
