import { beforeAll, describe, expect, it } from "vitest";
import { parseEndOfCallReport } from "../src/integrations/vapi/payload";
import { ingestEndOfCallReport } from "../src/modules/pipeline/service";
import { luhnValid, redactText } from "../src/modules/pipeline/redaction";
import { createTestApp, type TestApp } from "./helpers/app";
import { listen, type TestHttp } from "./helpers/http";
import { dumpDatabaseText, testTransport } from "./helpers/postcall";
import { callTools, createClinic, TestClock, toolCallsMessage, type TestClinic } from "./helpers/vapi";
import { z } from "zod";
import { builtInTools } from "../src/integrations/vapi/tools";
import { toolHandler } from "../src/integrations/vapi/tools/types";

describe("PII redaction rules", () => {
  it("redacts Luhn-valid card numbers in any grouping and leaves invalid ones, phone numbers and order numbers alone", () => {
    const cases: [string, string][] = [
      ["My card number is 4111 1111 1111 1111, expiry 04/28.", "My card number is [REDACTED CARD], expiry 04/28."],
      ["It's 5500-0000-0000-0004.", "It's [REDACTED CARD]."],
      ["amex 378282246310005 please", "amex [REDACTED CARD] please"],
      ["visa 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 ok", "visa [REDACTED CARD] ok"],
      // One digit off: fails Luhn, so it is not a card (and stays readable for staff).
      ["My card number is 4111 1111 1111 1112.", "My card number is 4111 1111 1111 1112."],
      ["Order 1234 5678 9012 3456 was shipped", "Order 1234 5678 9012 3456 was shipped"],
      ["Call me at 212 555 0123 or +1 646 555 0199.", "Call me at 212 555 0123 or +1 646 555 0199."],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
  });

  it("redacts more card formats: Amex 4-6-5, dots, one digit at a time, spelled out as words", () => {
    const cases: [string, string][] = [
      ["amex 3782 822463 10005 thanks", "amex [REDACTED CARD] thanks"],
      ["amex 3782-822463-10005", "amex [REDACTED CARD]"],
      ["card 4111.1111.1111.1111 ok", "card [REDACTED CARD] ok"],
      ["four one one one one one one one one one one one one one one one", "[REDACTED CARD]"],
      ["it is Four one one one, one one one one, one one one one, one one one one.", "it is [REDACTED CARD]."],
      // Not Luhn-valid, or not a card-length run of digit words: kept.
      ["card 4111.1111.1111.1112 ok", "card 4111.1111.1111.1112 ok"],
      ["call me on two one two five five five zero one two three", "call me on two one two five five five zero one two three"],
      ["pi is 3.14159265358979 roughly", "pi is 3.14159265358979 roughly"],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });

  it("redacts more date-of-birth formats", () => {
    const cases: [string, string][] = [
      ["DOB 3/14/85", "DOB [REDACTED DOB]"],
      ["I was born on the 14th of March 1985.", "I was born on [REDACTED DOB]."],
      ["date of birth: 1985-03-14", "date of birth: [REDACTED DOB]"],
      ["d.o.b. 14.03.1985", "d.o.b. [REDACTED DOB]"],
      ["birthdate 1985/03/14", "birthdate [REDACTED DOB]"],
      ["Date of birth is 14 March 85", "Date of birth is [REDACTED DOB]"],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });

  it("redacts SSNs in dashed, spaced and dotted forms, and bare nine digits only when the caller is talking about a social", () => {
    const cases: [string, string][] = [
      ["My social security number is 123-45-6789.", "My social security number is [REDACTED SSN]."],
      ["SSN 123 45 6789", "SSN [REDACTED SSN]"],
      ["it's 078.05.1120", "it's [REDACTED SSN]"],
      ["my social is 123456789 I think", "my social is [REDACTED SSN] I think"],
      ["my SSN is 1 2 3 4 5 6 7 8 9", "my SSN is [REDACTED SSN]"],
      // Nine digits with no SSN context: an insurance member id, kept.
      ["My member ID is 123456789.", "My member ID is 123456789."],
      // Mixed separators are not an SSN pattern (a date range or a code).
      ["Room 123-45.6789", "Room 123-45.6789"],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });

  it("redacts dates of birth in the ways callers say them, but not appointment dates", () => {
    const cases: [string, string][] = [
      ["My date of birth is March 14th, 1985.", "My date of birth is [REDACTED DOB]."],
      ["DOB 03/14/1985", "DOB [REDACTED DOB]"],
      ["d.o.b. is 14.03.85", "d.o.b. is [REDACTED DOB]"],
      ["I was born on the 14th of March 1985", "I was born on [REDACTED DOB]"],
      ["Born 1985-03-14.", "Born [REDACTED DOB]."],
      ["my birthday is uh, July 4th", "my birthday is uh, [REDACTED DOB]"],
      ["birth date: Sept 9, 1990", "birth date: [REDACTED DOB]"],
      // Appointment times and other dates stay.
      ["Can I come in on March 14th at 2pm?", "Can I come in on March 14th at 2pm?"],
      ["Booked: Tuesday 1 December at 10:00 AM.", "Booked: Tuesday 1 December at 10:00 AM."],
      ["I was born in 1985 but that's not important", "I was born in 1985 but that's not important"],
    ];
    for (const [input, expected] of cases) expect(redactText(input)).toBe(expected);
  });
});

// A realistic call where the caller reads out everything a receptionist should never store.
const CARD = "4242 4242 4242 4242";
const SSN = "219-09-9999";
const DOB = "February 3rd, 1979";
const INVALID_CARD = "4242 4242 4242 4243";

function leakyReport(clinic: TestClinic, callId: string) {
  const lines = [
    ["bot", "Thank you for calling, how can I help?"],
    ["user", `Hi, I want to pay my deposit for Botox. My card is ${CARD}, expiry 11/27.`],
    ["bot", "I can't take card details over the phone, but the front desk can help. Can I have your date of birth to find your file?"],
    ["user", `Sure, my date of birth is ${DOB}. You might also need my social, it's ${SSN}.`],
    ["bot", "Thanks, you don't need to give me your social security number."],
    ["user", `Oh and my old card was ${INVALID_CARD} if that matters. Can I book for next Tuesday?`],
  ] as const;
  return {
    message: {
      type: "end-of-call-report",
      endedReason: "customer-ended-call",
      startedAt: "2026-12-01T15:00:00.000Z",
      endedAt: "2026-12-01T15:03:10.000Z",
      cost: 0.31,
      call: { id: callId, type: "inboundPhoneCall", assistantId: clinic.assistantId, customer: { number: "+12125550188" } },
      artifact: {
        transcript: lines.map(([r, t]) => `${r === "bot" ? "AI" : "User"}: ${t}`).join("\n"),
        messages: [
          ...lines.map(([role, message], i) => ({ role, message, secondsFromStart: i * 10 })),
          {
            role: "tool_calls",
            toolCalls: [
              {
                id: "tc1",
                type: "function",
                function: { name: "bookClinicAppointment", arguments: JSON.stringify({ name: "Ana Ruiz", notes: `DOB ${DOB}, card ${CARD}` }) },
              },
            ],
            secondsFromStart: 70,
          },
          { role: "tool_call_result", name: "bookClinicAppointment", toolCallId: "tc1", result: "That time was just taken.", secondsFromStart: 71 },
        ],
      },
      analysis: { summary: `Caller gave card ${CARD} and SSN ${SSN}; DOB ${DOB}.`, structuredData: { dob: DOB } },
    },
  };
}

describe("redaction before storage and logging", () => {
  let t: TestApp;
  let http: TestHttp;
  let clinic: TestClinic;
  beforeAll(async () => {
    t = await createTestApp();
    http = await listen(t.app);
    clinic = await createClinic(t.admin);
  });

  it("through the webhook: the database and the logs never see the card, SSN or DOB; the invalid card number stays", async () => {
    await testTransport(http, t.config.vapiWebhookSecret).post("/api/vapi/webhook", leakyReport(clinic, "leaky-call-1"));
    const row = (await t.admin.query("select transcript, summary, messages from call_logs where vapi_call_id = 'leaky-call-1'")).rows[0];
    expect(row.transcript).toContain("My card is [REDACTED CARD], expiry 11/27.");
    expect(row.transcript).toContain("my date of birth is [REDACTED DOB].");
    expect(row.transcript).toContain("it's [REDACTED SSN].");
    expect(row.transcript).toContain(INVALID_CARD);
    expect(row.summary).toBe("Caller gave card [REDACTED CARD] and SSN [REDACTED SSN]; DOB [REDACTED DOB].");
    const toolCall = row.messages.find((m: { role: string }) => m.role === "tool_call");
    expect(toolCall.text).toContain("DOB [REDACTED DOB], card [REDACTED CARD]");

    const everything = await dumpDatabaseText(t.admin);
    const logs = t.logs.text();
    for (const secret of [CARD, CARD.replace(/ /g, ""), SSN, DOB, "219099999"]) {
      expect(everything).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // The log says what was redacted (counts), which is what an operator needs.
    expect(logs).toMatch(/"redactions":\{"card":\d+,"ssn":\d+,"dob":\d+\}/);
  });

  it("called directly (no HTTP), the same report is stored redacted", async () => {
    await ingestEndOfCallReport(
      { db: t.db, logger: t.deps.logger, clock: t.deps.clock },
      { orgId: clinic.orgId },
      parseEndOfCallReport(leakyReport(clinic, "leaky-call-2").message),
    );
    const text = (await t.admin.query("select c::text as t from call_logs c where vapi_call_id = 'leaky-call-2'")).rows[0].t as string;
    expect(text).toContain("[REDACTED CARD]");
    expect(text).not.toContain(SSN);
    expect(text).not.toContain(DOB);
  });
});

describe("redaction of what tools store", () => {
  // Repeats what it was told, as a tool answer can (a name with a birth date, a card read back).
  const echo = toolHandler({ name: "echoBack", description: "test tool", parameters: z.object({ text: z.string() }), aliases: {} }, async (args) => ({
    result: { say: `You said: ${args.text}` },
  }));

  it("appointment notes and tool answers in tool_invocations are stored redacted", async () => {
    const t = await createTestApp({ clock: new TestClock(new Date("2026-03-05T15:00:00Z")), tools: [...builtInTools, echo] });
    const http = await listen(t.app);
    const clinic = await createClinic(t.admin);
    const { body, callId } = toolCallsMessage(clinic, [
      {
        name: "bookClinicAppointment",
        args: { name: "Ana Ruiz", start: "2026-03-06T14:00:00-05:00", notes: `DOB 3/14/85, will pay with ${CARD}` },
      },
      { name: "echoBack", args: { text: `my card is ${CARD} and I was born on the 14th of March 1985` } },
    ]);
    const res = await callTools(http, t.config.vapiWebhookSecret, body);
    expect(res.body.results[0].result).toMatch(/^\{"say":"You're booked/);
    // The assistant hears the answer as the tool gave it; only what is stored is redacted.
    expect(res.body.results[1].result).toContain(CARD);
    const notes = (await t.admin.query("select notes from appointments where org_id = $1", [clinic.orgId])).rows[0].notes;
    expect(notes).toBe("DOB [REDACTED DOB], will pay with [REDACTED CARD]");
    const stored = (await t.admin.query("select tool_name, result from tool_invocations where vapi_call_id = $1 order by tool_name", [callId])).rows;
    expect(stored.find((r) => r.tool_name === "echoBack").result).toBe(
      JSON.stringify({ say: "You said: my card is [REDACTED CARD] and I was born on [REDACTED DOB]" }),
    );
    const everything = await dumpDatabaseText(t.admin);
    expect(everything).not.toContain(CARD);
    expect(everything).not.toContain("3/14/85");
  });
});
