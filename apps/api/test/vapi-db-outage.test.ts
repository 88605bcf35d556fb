import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { Database } from "../src/db/database";
import { createLogger } from "../src/logger";
import { LogCapture, testConfig } from "./helpers/app";
import { listen } from "./helpers/http";
import { toolCallsMessage } from "./helpers/vapi";

// The database is unreachable (nothing listens on port 1): every Vapi answer must still be HTTP 200
// with something the assistant can say, never a 5xx that leaves the caller in silence.
const config = testConfig();
const logs = new LogCapture();
const db = new Database("postgres://postgres:postgres@127.0.0.1:1/nowhere", { max: 2 });
afterAll(() => db.close());
const http = await listen(createApp({ config, logger: createLogger({ level: "debug", destination: logs }), db }));
const post = (path: string, body: unknown) =>
  http.request("POST", path, { body: JSON.stringify(body), headers: { "x-vapi-secret": config.vapiWebhookSecret } });
const clinic = { assistantId: "asst_x", phoneNumberId: "pn_x", clinicNumber: "+12125550100" };

describe("Vapi webhooks while the database is down", () => {
  it("answers tool calls with a speakable error", async () => {
    const { body, ids } = toolCallsMessage(clinic, [{ name: "bookClinicAppointment", args: { name: "A", start: "2026-03-10T14:00:00-04:00" } }]);
    const res = await post("/api/vapi/tools", body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [{ toolCallId: ids[0], name: "bookClinicAppointment", error: expect.stringMatching(/^\{"say":"Sorry, I couldn't complete that just now/) }],
    });
    expect(logs.text()).toContain("vapi tool call failed");
  });

  it("answers assistant-request and transfer-destination-request with a spoken error", async () => {
    const ar = await post("/api/vapi/webhook", {
      message: { type: "assistant-request", call: { id: "c" }, phoneNumber: { id: "pn_x", number: "+12125550100" } },
    });
    expect(ar.status).toBe(200);
    expect(ar.body).toEqual({ error: "Sorry, we can't take your call right now. Please call back in a few minutes." });
    const tr = await post("/api/vapi/webhook", { message: { type: "transfer-destination-request", call: { id: "c", assistantId: "asst_x" } } });
    expect(tr.status).toBe(200);
    expect(tr.body.error).toMatch(/^Sorry, I can't transfer this call right now/);
  });

  it("answers an end-of-call report with 500, so Vapi retries it once the database is back", async () => {
    const res = await post("/api/vapi/webhook", {
      message: { type: "end-of-call-report", call: { id: "outage-call", assistantId: "asst_x" }, artifact: { transcript: "User: hi" } },
    });
    expect(res.status).toBe(500);
    const status = await post("/api/vapi/webhook", {
      message: { type: "status-update", status: "ringing", call: { id: "outage-call", assistantId: "asst_x" } },
    });
    expect(status.status).toBe(500);
  });
});
