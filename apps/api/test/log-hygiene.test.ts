import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorSerializer } from "../src/logger";
import { builtInTools } from "../src/integrations/vapi/tools";
import { toolHandler } from "../src/integrations/vapi/tools/types";
import { httpTransport } from "../src/simulator/transport";
import { createTestApp, TEST_ORIGIN } from "./helpers/app";
import { signUpClinic } from "./helpers/auth";
import { listen } from "./helpers/http";
import { playScenario } from "./helpers/postcall";
import { addVapiIdentity, callTools, toolCallsMessage } from "./helpers/vapi";

const HMAC_SECRET = "log-hygiene-hmac-secret-0123456789";
const CALLER = { name: "Olivia Bennett", phone: "+12125557741" };
const SECRET_SENTENCE = "my knee has been aching since the ski trip";

// A tool that fails inside PostgreSQL with a `detail` naming the caller's number (a unique violation).
const duplicateContact = toolHandler({ name: "duplicateContact", description: "test tool", parameters: z.object({}), aliases: {} }, async (_args, ctx) => {
  for (let i = 0; i < 2; i++) {
    await ctx.db.query("insert into public.contacts (org_id, phone, name) values ($1, $2, 'Twice')", [ctx.clinic.orgId, ctx.callerNumber]);
  }
  return { result: { say: "unreachable" } };
});

describe("logs of a whole call and of failures", () => {
  it("contain no caller phone number, no transcript text and no secret", async () => {
    const t = await createTestApp({ config: { VAPI_HMAC_SECRET: HMAC_SECRET }, tools: [...builtInTools, duplicateContact] });
    const http = await listen(t.app);
    const password = "Log-Hygiene-Passphrase-42";
    const owner = await signUpClinic(t, { password });
    const identity = await addVapiIdentity(t.admin, owner.orgId);

    // A full simulated call, signed with HMAC like Vapi's credential plan.
    const transport = httpTransport({ baseUrl: http.baseUrl, hmacSecret: HMAC_SECRET });
    await playScenario("new-patient-books", { transport, identity, caller: CALLER });
    await playScenario("price-question", { transport, identity, caller: CALLER });
    const stored = (await t.admin.query("select transcript from call_logs where org_id = $1 and transcript is not null", [owner.orgId])).rows;
    expect(stored.length).toBeGreaterThan(0);

    // Failures: a tool whose SQL fails with the caller's number in the error detail, a report that
    // PostgreSQL refuses every time (its `detail` would print the whole row), bad credentials.
    const failing = await callTools(
      http,
      t.config.vapiWebhookSecret,
      toolCallsMessage(identity, [{ name: "duplicateContact" }], { caller: CALLER.phone }).body,
    );
    expect(failing.body.results[0].error).toMatch(/^\{"say":"Sorry/);
    const post = (body: unknown) =>
      http.request("POST", "/api/vapi/webhook", { body: JSON.stringify(body), headers: { "x-vapi-secret": t.config.vapiWebhookSecret } });
    await post({
      message: {
        type: "status-update",
        status: "in-progress",
        timestamp: "2099-01-01T00:00:00Z",
        call: { id: "log-poison", assistantId: identity.assistantId },
      },
    });
    const poison = await post({
      message: {
        type: "end-of-call-report",
        endedAt: "2026-12-01T14:00:00Z",
        call: { id: "log-poison", assistantId: identity.assistantId, customer: { number: CALLER.phone } },
        artifact: { transcript: `User: ${SECRET_SENTENCE}, call me on ${CALLER.phone}.` },
      },
    });
    expect(poison.status).toBe(200);
    await http.request("POST", "/api/vapi/tools", { body: "{}", headers: { "x-vapi-secret": `${t.config.vapiWebhookSecret}x` } });
    await http.request("POST", "/api/vapi/tools", { body: "{}", headers: { "x-signature": "0".repeat(64), "x-timestamp": String(Date.now()) } });
    await http.request("POST", "/api/auth/login", { body: { email: owner.email, password: `${password}-wrong` }, headers: { origin: TEST_ORIGIN } });

    const logs = t.logs.text();
    expect(logs).toContain("vapi tool call failed"); // the failures were logged…
    expect(logs).toContain("vapi message failed and would fail again");
    expect(logs).toContain("23505"); // …with their SQLSTATE, enough to act on
    const forbidden = [
      CALLER.phone,
      CALLER.phone.slice(2), // 2125557741
      SECRET_SENTENCE,
      ...stored.flatMap((r) =>
        (r.transcript as string)
          .split("\n")
          .map((line) => line.replace(/^\w+: /, ""))
          .filter((line) => line.length > 25),
      ),
      t.config.vapiWebhookSecret,
      HMAC_SECRET,
      t.config.jwtSecret,
      password,
    ];
    for (const text of forbidden) expect(logs.includes(text), `logs contain ${JSON.stringify(text.slice(0, 40))}`).toBe(false);
    expect(logs).not.toMatch(/Failing row contains|Key \(/);
  });

  it("the error serializer drops detail, where, hint, internal query and parameters, in causes too", () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "contacts_org_id_phone_key"'), {
      code: "23505",
      detail: "Key (org_id, phone)=(…, +12125557741) already exists.",
      where: "SQL statement \"insert into … values ('+12125557741')\"",
      hint: "values",
      internalQuery: "select '+12125557741'",
      parameters: ["+12125557741"],
      table: "contacts",
    });
    const out = JSON.stringify(errorSerializer(pgError));
    expect(out).not.toContain("+12125557741");
    expect(out).toContain("23505");
    expect(out).toContain('"table":"contacts"');
    expect(JSON.stringify(errorSerializer(new Error("booking failed", { cause: pgError })))).not.toContain("+12125557741");
  });
});
