import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage } from "./helpers/vapi";

const t = await createTestApp({ clock: new TestClock(new Date("2026-03-05T15:00:00Z")) });
const http = await listen(t.app);
const clinic = await createClinic(t.admin, { name: "Sunrise Aesthetics" });

describe("stored tool-call arguments", () => {
  it("keep the caller's words but not a card number or date of birth read into a free-text field", async () => {
    const notes = "my card is 4111 1111 1111 1111 and my date of birth is March 3rd 1985";
    const { body, ids } = toolCallsMessage(clinic, [{ name: "getServicePrice", args: { service: "botox", notes } }]);
    const res = await callTools(http, t.config.vapiWebhookSecret, body);
    expect(res.body.results[0]).toMatchObject({ toolCallId: ids[0], result: expect.stringMatching(/^\{"say":"Botox costs \$400/) });

    const { rows } = await t.admin.query("select arguments::text as args from tool_invocations where tool_call_id = $1", [ids[0]]);
    expect(rows).toHaveLength(1);
    expect(rows[0].args).toContain("botox");
    expect(rows[0].args).not.toContain("4111 1111 1111 1111");
    expect(rows[0].args).not.toContain("1985");
  });
});
