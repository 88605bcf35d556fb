import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CallTranscriptEvent, LiveServerMessage, LiveTicket } from "@voxanne/contracts";
import { LiveHub } from "../src/ws/live-hub";
import { createTestApp, type TestApp } from "./helpers/app";
import { signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually } from "./helpers/postcall";
import { addVapiIdentity, type VapiIdentity } from "./helpers/vapi";

/*
 * Vapi's `transcript` and `conversation-update` messages, posted to the real webhook, reach the
 * open dashboards of that clinic over /ws — redacted, final lines only — and no other clinic's.
 */

let t: TestApp;
let http: TestHttp;
let hub: LiveHub;
let ownerA: TestUser;
let ownerB: TestUser;
let idA: VapiIdentity;

type Feed = { ws: WebSocket; messages: LiveServerMessage[] };

async function openFeed(user: TestUser): Promise<Feed> {
  const res = await http.request<LiveTicket>("POST", "/api/ws/ticket", { headers: user.bearer });
  expect(res.status).toBe(201);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${http.baseUrl.replace("http", "ws")}/ws?ticket=${res.body.ticket}`);
    const feed: Feed = { ws, messages: [] };
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as LiveServerMessage;
      feed.messages.push(msg);
      if (msg.type === "ready") resolve(feed);
    });
    ws.once("error", reject);
  });
}

const transcripts = (feed: Feed) => feed.messages.filter((m): m is CallTranscriptEvent => m.type === "call.transcript");

async function webhook(message: Record<string, unknown>) {
  const res = await http.request("POST", "/api/vapi/webhook", {
    body: JSON.stringify({ message: { timestamp: Date.now(), ...message } }),
    headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
  });
  expect(res.status).toBe(200);
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  http = await listen(t.app);
  hub = new LiveHub({ db: t.db, connectionString: t.url, logger: t.deps.logger });
  hub.attach(http.server);
  await hub.start();
  ownerA = await signUpClinic(t, { clinicName: "Transcript Clinic A" });
  ownerB = await signUpClinic(t, { clinicName: "Transcript Clinic B" });
  idA = await addVapiIdentity(t.admin, ownerA.orgId);
});
afterAll(async () => {
  await hub.stop();
});

describe("live transcript", () => {
  it("sends a final line, redacted, to the clinic's dashboards only; partial lines are never sent", async () => {
    const [feedA, feedB] = await Promise.all([openFeed(ownerA), openFeed(ownerB)]);
    const call = { id: `call-live-${Date.now()}`, type: "inboundPhoneCall", assistantId: idA.assistantId, customer: { number: "+12125550177" } };
    await webhook({ type: "status-update", status: "in-progress", call });

    // A partial line (revised later by speech-to-text) is answered and dropped.
    await webhook({ type: "transcript", role: "user", transcriptType: "partial", transcript: "my card is four one one", call });
    // The final line: the card number (Luhn-valid test number) is redacted before it leaves the API.
    await webhook({ type: "transcript", role: "user", transcriptType: "final", transcript: "My card is 4111 1111 1111 1111, can I pay now?", call });
    await webhook({ type: "transcript", role: "assistant", transcriptType: "final", transcript: "We take payment at the clinic.", call });

    await eventually(async () => transcripts(feedA).length === 2);
    const [first, second] = transcripts(feedA);
    expect(first!.orgId).toBe(ownerA.orgId);
    expect(first!.data).toMatchObject({ vapiCallId: call.id, kind: "line", lines: [{ role: "user", text: "My card is [REDACTED CARD], can I pay now?" }] });
    expect(first!.data.callId).toMatch(/^[0-9a-f-]{36}$/); // the stored call it belongs to
    expect(second!.data.lines).toEqual([{ role: "assistant", text: "We take payment at the clinic." }]);
    const raw = JSON.stringify(feedA.messages);
    expect(raw).not.toContain("4111");
    expect(raw).not.toContain("four one one");

    // The whole history after a turn, in Vapi's roles; tool calls and the system prompt are not speech.
    await webhook({
      type: "conversation-update",
      call,
      messages: [
        { role: "system", message: "You are the receptionist of Transcript Clinic A." },
        { role: "bot", message: "Thanks for calling, how can I help?" },
        { role: "user", message: "I was born on March 14th, 1985 and need a Botox appointment" },
        { role: "tool_calls", message: "", toolCalls: [] },
      ],
      messagesOpenAIFormatted: [],
    });
    await eventually(async () => transcripts(feedA).length === 3);
    expect(transcripts(feedA)[2]!.data).toMatchObject({
      kind: "history",
      lines: [
        { role: "assistant", text: "Thanks for calling, how can I help?" },
        { role: "user", text: "I was born on [REDACTED DOB] and need a Botox appointment" },
      ],
    });

    // A long call's history is cut to what fits one notification, keeping the latest lines.
    const long = Array.from({ length: 120 }, (_, i) => ({
      role: i % 2 ? "user" : "bot",
      message: `Line ${i}: ${"and then I said something else ".repeat(3)}`,
    }));
    await webhook({ type: "conversation-update", call, messages: long });
    await eventually(async () => transcripts(feedA).length === 4);
    const cut = transcripts(feedA)[3]!.data.lines;
    expect(cut.length).toBeGreaterThan(10);
    expect(cut.length).toBeLessThan(120);
    expect(cut.at(-1)!.text).toMatch(/^Line 119: /);

    // The other clinic's dashboard heard none of it.
    await webhook({ type: "transcript", role: "assistant", transcriptType: "final", transcript: "Marker line.", call });
    await eventually(async () => transcripts(feedA).length === 5);
    expect(transcripts(feedB)).toEqual([]);
    feedA.ws.close();
    feedB.ws.close();
  });

  it("is never stored: the call's stored transcript stays empty until the end-of-call report", async () => {
    const call = { id: `call-nostore-${Date.now()}`, type: "inboundPhoneCall", assistantId: idA.assistantId, customer: { number: "+12125550178" } };
    await webhook({ type: "status-update", status: "in-progress", call });
    await webhook({ type: "transcript", role: "user", transcriptType: "final", transcript: "Do you do lip filler?", call });
    const { rows } = await t.admin.query("select transcript, messages from public.call_logs where vapi_call_id = $1", [call.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain("lip filler");
  });

  it("answers 200 and sends nothing for a line from an unknown clinic or without a call", async () => {
    const feedA = await openFeed(ownerA);
    await webhook({
      type: "transcript",
      role: "user",
      transcriptType: "final",
      transcript: "Stray line",
      call: { id: "call-unknown", assistantId: "asst_nobody" },
    });
    await webhook({ type: "transcript", role: "user", transcriptType: "final", transcript: "No call" });
    await webhook({
      type: "transcript",
      role: "assistant",
      transcriptType: "final",
      transcript: "Known marker",
      call: { id: "call-k", assistantId: idA.assistantId },
    });
    await eventually(async () => transcripts(feedA).length === 1);
    expect(transcripts(feedA)[0]!.data.lines[0]!.text).toBe("Known marker");
    feedA.ws.close();
  });
});
