import { randomUUID } from "node:crypto";
import { parseToolReply, type ToolReply } from "@voxanne/contracts";
import type pg from "pg";
import { signVapiBody } from "../../src/integrations/vapi/auth";
import type { TestHttp } from "./http";

/** A clock tests can set; the app reads "now" only through it. */
export class TestClock {
  constructor(private t: Date) {}
  now = (): Date => new Date(this.t);
  set(iso: string | Date): void {
    this.t = new Date(iso);
  }
}

export type TestClinic = {
  orgId: string;
  name: string;
  assistantId: string;
  phoneNumberId: string;
  clinicNumber: string;
};

export type ClinicOptions = {
  name?: string;
  timezone?: string;
  businessHours?: Record<string, { start: string; end: string }[]>;
  slotMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  minBookingNoticeMinutes?: number;
  minCancelNoticeMinutes?: number;
  transferNumber?: string | null;
  afterHoursMode?: "take_message" | "offer_slots" | "transfer";
  clinicNumber?: string;
  status?: "active" | "suspended";
};

let clinicSeq = 0;

/** An organization (with its 7 default services, seeded by trigger), an inbound agent and a phone line. */
export async function createClinic(admin: pg.Pool, o: ClinicOptions = {}): Promise<TestClinic> {
  const n = ++clinicSeq;
  const name = o.name ?? `Clinic ${n} ${randomUUID().slice(0, 4)}`;
  const { rows } = await admin.query(
    `insert into public.organizations (name, timezone, business_hours, slot_minutes, buffer_before_minutes, buffer_after_minutes,
       min_booking_notice_minutes, min_cancel_notice_minutes, transfer_number, after_hours_mode, status, suspended_reason, suspended_at)
     values ($1, $2, coalesce($3::jsonb, '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}],"sat":[],"sun":[]}'::jsonb),
       $4, $5, $6, $7, $8, $9, $10, $11,
       case when $11 = 'suspended' then 'Suspended by a test' end, case when $11 = 'suspended' then now() end)
     returning id`,
    [
      name,
      o.timezone ?? "America/New_York",
      o.businessHours ? JSON.stringify(o.businessHours) : null,
      o.slotMinutes ?? 30,
      o.bufferBeforeMinutes ?? 0,
      o.bufferAfterMinutes ?? 0,
      o.minBookingNoticeMinutes ?? 60,
      o.minCancelNoticeMinutes ?? 1440,
      o.transferNumber === undefined ? "+12125550100" : o.transferNumber,
      o.afterHoursMode ?? "take_message",
      o.status ?? "active",
    ],
  );
  const orgId = rows[0].id as string;
  const identity = await addVapiIdentity(admin, orgId, { clinicNumber: o.clinicNumber ?? `+1212555${String(1000 + ((n * 37) % 9000)).padStart(4, "0")}` });
  return { orgId, name, ...identity };
}

export type VapiIdentity = Pick<TestClinic, "assistantId" | "phoneNumberId" | "clinicNumber">;

// Lines are unique across clinics: a random one is drawn again until it is new to this test file
// (two clinics of one test file drew the same random line once in CI).
const linesGiven = new Set<string>();
function unusedClinicLine(): string {
  for (;;) {
    const line = `+1646555${String(1000 + Math.floor(Math.random() * 9000))}`;
    if (!linesGiven.has(line)) return line;
  }
}

/**
 * Gives an org (from createClinic, or a sign-up through the app) an inbound Vapi assistant and a
 * clinic line, as assistant provisioning does, so webhooks for them resolve to the org. The one
 * way tests make "a clinic with a Vapi identity".
 */
export async function addVapiIdentity(admin: pg.Pool, orgId: string, o: { clinicNumber?: string } = {}): Promise<VapiIdentity> {
  const identity = {
    assistantId: `asst_${randomUUID()}`,
    phoneNumberId: `pn_${randomUUID()}`,
    clinicNumber: o.clinicNumber ?? unusedClinicLine(),
  };
  linesGiven.add(identity.clinicNumber);
  const agent = await admin.query("insert into public.agents (org_id, role, name, vapi_assistant_id) values ($1, 'inbound', 'Receptionist', $2) returning id", [
    orgId,
    identity.assistantId,
  ]);
  await admin.query("insert into public.phone_numbers (org_id, e164, vapi_phone_number_id, agent_id) values ($1, $2, $3, $4)", [
    orgId,
    identity.clinicNumber,
    identity.phoneNumberId,
    agent.rows[0].id,
  ]);
  return identity;
}

export type ToolCallSpec = { id?: string; name: string; args?: Record<string, unknown> };
export type Shape = "toolCallList" | "toolCalls" | "toolWithToolCallList" | "flatArguments" | "flatParameters";

/** A `tool-calls` message as Vapi sends it. */
export function toolCallsMessage(
  clinic: Pick<TestClinic, "assistantId" | "phoneNumberId" | "clinicNumber"> | null,
  calls: ToolCallSpec[],
  o: { callId?: string; caller?: string | null; shape?: Shape; stringArgs?: boolean; identity?: Record<string, unknown> } = {},
) {
  const withIds = calls.map((c) => ({ ...c, id: c.id ?? `call_${randomUUID().slice(0, 12)}` }));
  const args = (c: ToolCallSpec) => (o.stringArgs ? JSON.stringify(c.args ?? {}) : (c.args ?? {}));
  const fnItem = (c: ToolCallSpec & { id: string }) => ({ id: c.id, type: "function", function: { name: c.name, arguments: args(c) } });
  const shape = o.shape ?? "toolCallList";
  const message: Record<string, unknown> = {
    type: "tool-calls",
    timestamp: Date.now(),
    call: {
      id: o.callId ?? `vcall_${randomUUID()}`,
      orgId: "org_master",
      type: "inboundPhoneCall",
      status: "in-progress",
      assistantId: clinic?.assistantId ?? null,
      phoneNumberId: clinic?.phoneNumberId ?? null,
      customer: o.caller === null ? undefined : { number: o.caller ?? "+12125559876" },
      ...(o.identity ?? {}),
    },
    phoneNumber: clinic ? { id: clinic.phoneNumberId, number: clinic.clinicNumber, provider: "twilio", twilioAuthToken: "tw-secret-token" } : undefined,
    customer: o.caller === null ? undefined : { number: o.caller ?? "+12125559876" },
  };
  if (shape === "toolCallList") message.toolCallList = withIds.map(fnItem);
  if (shape === "toolCalls") message.toolCalls = withIds.map(fnItem);
  if (shape === "toolWithToolCallList") {
    message.toolWithToolCallList = withIds.map((c) => ({
      type: "function",
      function: { name: c.name, parameters: { type: "object", properties: {} } },
      server: { url: "https://api.example.com/api/vapi/tools" },
      toolCall: { id: c.id, type: "function", function: { arguments: args(c) } },
    }));
  }
  if (shape === "flatArguments") message.toolCallList = withIds.map((c) => ({ id: c.id, name: c.name, arguments: args(c) }));
  if (shape === "flatParameters") message.toolCallList = withIds.map((c) => ({ id: c.id, name: c.name, parameters: args(c) }));
  return { body: { message }, message, ids: withIds.map((c) => c.id), callId: (message.call as { id: string }).id };
}

export function hmacHeaders(secret: string, rawBody: string, timestamp: string): { "x-signature": string; "x-timestamp": string } {
  return { "x-signature": signVapiBody(secret, rawBody, timestamp), "x-timestamp": timestamp };
}

/** POSTs a message to /api/vapi/tools with the bearer secret and returns the parsed results. */
export async function callTools(http: TestHttp, secret: string, body: unknown, path = "/api/vapi/tools") {
  return http.request("POST", path, { body: JSON.stringify(body), headers: { "x-vapi-secret": secret } });
}

/** The first tool call's reply, read into its parts (spoken text, instructions, slot hints); `error` marks an error reply. */
export async function toolReply(http: TestHttp, secret: string, body: unknown): Promise<ToolReply & { error: boolean }> {
  const res = await callTools(http, secret, body);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text}`);
  const first = res.body.results[0];
  return { ...parseToolReply(first.result ?? first.error), error: first.result === undefined };
}

/** What the caller hears from the first tool call ("ERROR: …" for an error reply). */
export async function toolText(http: TestHttp, secret: string, body: unknown): Promise<string> {
  const reply = await toolReply(http, secret, body);
  return reply.error ? `ERROR: ${reply.say}` : reply.say;
}
