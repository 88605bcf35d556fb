import { parseToolReply } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { vapiMessageHandlers } from "../src/integrations/vapi/message-handlers";
import { builtInTools } from "../src/integrations/vapi/tools";
import { toolHandler } from "../src/integrations/vapi/tools/types";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { callTools, createClinic, TestClock, toolCallsMessage, type Shape } from "./helpers/vapi";

// Thursday 5 March 2026, 10:00 in New York.
const clock = new TestClock(new Date("2026-03-05T15:00:00Z"));
const testTool = (name: string, run: () => Promise<{ result: { say: string } }>) =>
  toolHandler({ name, description: `test tool ${name}`, parameters: z.object({}), aliases: {} }, run);
// Tools and message types this test app answers beyond the built-in ones (the app's lists are explicit).
const seen: string[] = [];
const t = await createTestApp({
  clock,
  tools: [
    ...builtInTools,
    testTool("explodingTool", async () => {
      throw new Error("kaboom in a tool");
    }),
    testTool("chattyTool", async () => ({ result: { say: `line one\nline two\r\n\tline three ${"word ".repeat(200)}` } })),
  ],
  vapiMessageHandlers: {
    ...vapiMessageHandlers,
    "test-event": async (message) => {
      seen.push(String((message as { call?: { id?: string } }).call?.id));
      return { handled: true };
    },
  },
});
const http = await listen(t.app);
const secret = t.config.vapiWebhookSecret;
const clinic = await createClinic(t.admin, { name: "Sunrise Aesthetics" });

const post = (body: unknown, path = "/api/vapi/tools") => callTools(http, secret, body, path);

describe("tool-calls payload shapes", () => {
  const shapes: Shape[] = ["toolCallList", "toolCalls", "toolWithToolCallList", "flatArguments", "flatParameters"];
  for (const shape of shapes) {
    for (const stringArgs of [false, true]) {
      it(`${shape} with arguments as ${stringArgs ? "a JSON string" : "an object"}`, async () => {
        const { body, ids } = toolCallsMessage(
          clinic,
          [
            { name: "getServicePrice", args: { service: "nose job" } },
            { name: "checkAvailability", args: { date: "tomorrow" } },
          ],
          { shape, stringArgs },
        );
        const res = await post(body);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(res.body.results.map((r: { toolCallId: string }) => r.toolCallId)).toEqual(ids);
        expect(res.body.results[0]).toEqual({
          toolCallId: ids[0],
          name: "getServicePrice",
          result: JSON.stringify({ say: "Rhinoplasty costs $6,000, and a rhinoplasty consultation takes about an hour." }),
        });
        expect(res.body.results[1].name).toBe("checkAvailability");
        const availability = parseToolReply(res.body.results[1].result);
        expect(availability.say).toMatch(/^I have openings on Friday, March 6 at 9 AM/);
        expect(availability.slots?.[0]).toEqual({ time: "Friday, March 6 at 9 AM", start: "2026-03-06T09:00:00-05:00" });
      });
    }
  }

  it("answers several calls in one message in order, each echoing its exact toolCallId", async () => {
    const calls = [
      { id: "call_A.1", name: "getServicePrice", args: { service: "botox" } },
      { id: "toolu_01XyZ", name: "nonexistentTool", args: {} },
      { id: "call_C-3", name: "getServicePrice", args: { service: "lip filler" } },
      { id: "call_D", name: "lookupCaller", args: {} },
    ];
    const res = await post(toolCallsMessage(clinic, calls).body);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        toolCallId: "call_A.1",
        name: "getServicePrice",
        result: JSON.stringify({ say: "Botox costs $400, and a botox consultation takes about half an hour." }),
      },
      {
        toolCallId: "toolu_01XyZ",
        name: "nonexistentTool",
        error: expect.stringMatching(/"instructions":"Unknown tool \\"nonexistentTool\\"\. Available tools: .*checkAvailability/),
      },
      {
        toolCallId: "call_C-3",
        name: "getServicePrice",
        result: JSON.stringify({ say: "Fillers cost $500, and a fillers consultation takes about 45 minutes." }),
      },
      {
        toolCallId: "call_D",
        name: "lookupCaller",
        result: JSON.stringify({ say: "May I have your name?", instructions: "New caller: there is no record for this number." }),
      },
    ]);
  });

  it("answers unreadable arguments and a missing function name with an error string, not an HTTP error", async () => {
    const body = toolCallsMessage(clinic, [{ id: "x", name: "getServicePrice" }]).body as any;
    body.message.toolCallList[0].function.arguments = "{not json";
    body.message.toolCallList.push({ id: "y", type: "function", function: { arguments: {} } });
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        toolCallId: "x",
        name: "getServicePrice",
        error: JSON.stringify({
          say: "Sorry, could you say that again?",
          instructions: "The tool arguments were not a JSON object. Call the tool again with named arguments.",
        }),
      },
      {
        toolCallId: "y",
        name: "",
        error: JSON.stringify({ say: "Sorry, something went wrong on my side.", instructions: "The tool call had no function name." }),
      },
    ]);
  });

  it("turns a tool that throws into an error string with HTTP 200, and logs it", async () => {
    const res = await post(toolCallsMessage(clinic, [{ id: "boom", name: "explodingTool" }]).body);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ toolCallId: "boom", name: "explodingTool", error: expect.stringContaining("Offer to take a message") }]);
    expect(t.logs.text()).toContain("kaboom in a tool");
  });

  it("keeps every result a single line, its spoken part at most 400 characters", async () => {
    const res = await post(
      toolCallsMessage(clinic, [
        { id: "long", name: "chattyTool" },
        { name: "checkAvailability", args: { date: "next week" } },
      ]).body,
    );
    for (const r of res.body.results) {
      const text = r.result ?? r.error;
      expect(text).not.toMatch(/[\r\n\t]/);
      expect(parseToolReply(text).say.length).toBeLessThanOrEqual(400);
    }
    const chatty = parseToolReply(res.body.results[0].result).say;
    expect(chatty).toMatch(/^line one line two line three word/);
    expect(chatty.endsWith("…")).toBe(true);
  });

  it("answers the legacy function-call message with { result }", async () => {
    const res = await post(
      {
        message: {
          type: "function-call",
          call: { id: "legacy-call", assistantId: clinic.assistantId },
          functionCall: { name: "getServicePrice", parameters: JSON.stringify({ service: "liposuction" }) },
        },
      },
      "/api/vapi/webhook",
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: JSON.stringify({ say: "Liposuction costs $5,000, and a liposuction consultation takes about an hour." }) });
  });

  it("serves tool-calls on the assistant webhook URL too", async () => {
    const { body, ids } = toolCallsMessage(clinic, [{ name: "getServicePrice", args: { service: "facelift" } }]);
    const res = await post(body, "/api/vapi/webhook");
    // The grammar a caller hears: "a facelift consultation takes about an hour", not "a facelift takes 60 minutes".
    expect(res.body).toEqual({
      results: [
        {
          toolCallId: ids[0],
          name: "getServicePrice",
          result: JSON.stringify({ say: "Facelift costs $8,000, and a facelift consultation takes about an hour." }),
        },
      ],
    });
  });
});

describe("other message types", () => {
  it("answers call events it does not handle with 200 {} cheaply", async () => {
    for (const type of ["hang", "conversation-update", "speech-update", "transcript", "user-interrupted", "model-output"]) {
      const res = await post(
        { message: { type, call: { id: "c1", assistantId: clinic.assistantId }, status: "started", role: "user", messages: [] } },
        "/api/vapi/webhook",
      );
      expect(res.status, type).toBe(200);
    }
    const hang = await post({ message: { type: "hang", call: { id: "c1" } } }, "/api/vapi/webhook");
    expect(hang.body).toEqual({});
  });

  it("answers a message type that the app's handler list includes", async () => {
    const res = await post({ message: { type: "test-event", call: { id: "evt-1" } } }, "/api/vapi/webhook");
    expect(res.body).toEqual({ handled: true });
    expect(seen).toEqual(["evt-1"]);
  });

  it("answers a body that is not a Vapi message with 200 and a readable error (never 4xx/5xx once authenticated)", async () => {
    for (const body of [{}, { message: {} }, { message: "hello" }, [], { message: { type: "" } }]) {
      const res = await post(body, "/api/vapi/webhook");
      expect(res.status).toBe(200);
      expect(res.body.error).toMatch(/Not a Vapi server message/);
    }
    const garbage = await post({ message: { type: "tool-calls", toolCallList: "nope", call: 5 } });
    expect(garbage.status).toBe(200);
  });

  it("answers assistant-request with the clinic's inbound assistant and caller variables", async () => {
    await t.admin.query("insert into public.contacts (org_id, phone, name) values ($1, '+12125550111', 'Maria Lopez')", [clinic.orgId]);
    const request = (caller: string, phoneNumberId: string | null, number: string) =>
      post(
        {
          message: {
            type: "assistant-request",
            call: { id: "ar-1", type: "inboundPhoneCall", status: "ringing", assistantId: null, phoneNumberId, customer: { number: caller } },
            phoneNumber: { id: phoneNumberId, number, assistantId: null },
            customer: { number: caller },
          },
        },
        "/api/vapi/webhook",
      );
    const known = await request("+12125550111", clinic.phoneNumberId, clinic.clinicNumber);
    expect(known.body).toEqual({
      assistantId: clinic.assistantId,
      assistantOverrides: {
        variableValues: { clinicName: "Sunrise Aesthetics", clinicTimezone: "America/New_York", callerIsKnownPatient: true, patientFirstName: "Maria" },
      },
    });
    // Found by the clinic line's number when the phone number id is unknown to us.
    const byNumber = await request("+12125550199", "pn_not_ours", clinic.clinicNumber);
    expect(byNumber.body.assistantId).toBe(clinic.assistantId);
    expect(byNumber.body.assistantOverrides.variableValues.callerIsKnownPatient).toBe(false);
    const unknown = await request("+12125550199", "pn_unknown", "+13125550000");
    expect(unknown.body).toEqual({ error: "Sorry, this number is not in service. Please check the number and call again." });
    expect(t.logs.text()).toContain("assistant-request for an unknown phone number");
  });

  it("answers assistant-request for a suspended clinic with a spoken refusal", async () => {
    const suspended = await createClinic(t.admin, { status: "suspended" });
    const res = await post(
      {
        message: {
          type: "assistant-request",
          call: { id: "ar-2", phoneNumberId: suspended.phoneNumberId },
          phoneNumber: { id: suspended.phoneNumberId, number: suspended.clinicNumber },
        },
      },
      "/api/vapi/webhook",
    );
    expect(res.body).toEqual({ error: "Sorry, this clinic's phone assistant is unavailable right now. Please call back later." });
    const tool = await post(toolCallsMessage(suspended, [{ id: "s1", name: "getServicePrice", args: { service: "botox" } }]).body);
    expect(tool.body.results[0].error).toMatch(/unavailable right now/);
  });
});
