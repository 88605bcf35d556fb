/**
 * The leads inbox (the Leads page): who needs a person now, each lead's history, and what staff
 * decided about it. Hot means "needs a human soon" (docs/LEAD_SCORING.md), so open hot leads come
 * first; marking a lead handled takes it out of that group until their next call.
 */
import type { ContactDetail, ContactListItem, ContactsPage, ContactStats, TimelineEntry } from "@voxanne/contracts";
import { DateTime } from "luxon";
import type { Db } from "../../db/database";
import { invalid, notFound } from "../../lib/domain-error";
import { speakDateTime } from "../../lib/time";
import { type Actor, insertAudit } from "../audit/queries";
import { clinicById } from "../clinic/queries";
import { contactStats, contactTimeline, type InboxRow, inboxRow, listInbox, type TimelineRow, updateContactFields } from "./queries";

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function toContactListItem(r: InboxRow): ContactListItem {
  return {
    id: r.id,
    phone: r.phone,
    name: r.name,
    email: r.email,
    leadStatus: r.lead_status as ContactListItem["leadStatus"],
    leadScore: r.lead_score,
    leadTemperature: r.lead_temperature as ContactListItem["leadTemperature"],
    serviceInterests: r.service_interests ?? [],
    lastContactedAt: iso(r.last_contacted_at),
    notes: r.notes,
    createdAt: iso(r.created_at)!,
    handled: r.handled,
    needsAttention: r.priority === 0,
    smsOptedOut: r.sms_opted_out,
  };
}

export async function leadStats(db: Db, orgId: string): Promise<ContactStats> {
  const s = await contactStats(db, orgId);
  return { total_leads: s.total, hot_leads: s.hot, warm_leads: s.warm, cold_leads: s.cold };
}

const cursorOf = (r: InboxRow) => Buffer.from(JSON.stringify([r.priority, r.seen, r.id])).toString("base64url");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readCursor(cursor: string): { priority: number; seen: string; id: string } {
  try {
    const [priority, seen, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown, unknown];
    if (
      (priority === 0 || priority === 1) &&
      typeof seen === "string" &&
      !Number.isNaN(Date.parse(seen.replace(" ", "T").replace(/\+00$/, "Z"))) &&
      typeof id === "string" &&
      UUID.test(id)
    ) {
      return { priority, seen, id };
    }
  } catch {
    // fall through
  }
  throw invalid("cursor is not valid: pass the nextCursor value from the previous page unchanged.", "invalid_cursor");
}

export async function leadsPage(
  db: Db,
  orgId: string,
  q: { temperature?: string; status?: string; q?: string; cursor?: string; limit: number },
): Promise<ContactsPage> {
  const rows = await listInbox(db, orgId, { ...q, after: q.cursor ? readCursor(q.cursor) : undefined });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(toContactListItem), nextCursor: rows.length > q.limit && last ? cursorOf(last) : null };
}

function timelineEntry(r: TimelineRow, timeZone: string): TimelineEntry {
  const at = new Date(r.at).toISOString();
  switch (r.kind) {
    case "call": {
      const outcome = r.c === "booked" ? " — booked" : r.c === "emergency" ? " — emergency" : r.c === "transferred" ? " — put through to the clinic" : "";
      const minutes = r.n ? ` (${Math.max(1, Math.round(r.n / 60))} min)` : "";
      return { kind: "call", at, title: `${r.a === "outbound" ? "Called them" : "Called the clinic"}${minutes}${outcome}`, detail: r.b, refId: r.ref_id };
    }
    case "appointment": {
      const when = r.c ? speakDateTime(DateTime.fromISO(new Date(r.c).toISOString(), { zone: timeZone })) : "";
      const what = r.b ?? "Appointment";
      const verb = r.a === "cancelled" ? "Cancelled" : r.a === "completed" ? "Attended" : r.a === "no_show" ? "Missed" : "Booked";
      return { kind: "appointment", at, title: `${verb}: ${what}, ${when}`, detail: null, refId: r.ref_id };
    }
    case "message": {
      const how = r.a === "email" ? "Email" : "Text message";
      const status = r.b === "not_sent" ? "not sent" : r.b === "queued" ? "on its way" : (r.b ?? "");
      return { kind: "message", at, title: `${how} ${status}`, detail: r.c, refId: r.ref_id };
    }
  }
}

export async function leadDetail(db: Db, orgId: string, id: string): Promise<ContactDetail> {
  const row = await inboxRow(db, orgId, id);
  if (!row) throw notFound("No lead with this id in your clinic.");
  const clinic = await clinicById(db, orgId);
  const timeline = (await contactTimeline(db, orgId, id)).map((r) => timelineEntry(r, clinic?.timezone ?? "UTC"));
  if (row.notes) timeline.push({ kind: "note", at: iso(row.created_at)!, title: "Notes", detail: row.notes, refId: null });
  return { contact: toContactListItem(row), timeline };
}

export async function updateLead(
  db: Db,
  actor: Actor,
  now: Date,
  id: string,
  body: { name?: string; email?: string; notes?: string; outcome?: "handled" | "lost" | "reopen"; smsOptOut?: boolean },
): Promise<ContactDetail> {
  const before = await inboxRow(db, actor.orgId, id);
  if (!before) throw notFound("No lead with this id in your clinic.");
  await updateContactFields(db, actor.orgId, id, {
    name: body.name,
    email: body.email === undefined ? undefined : body.email === "" ? null : body.email.toLowerCase(),
    notes: body.notes === undefined ? undefined : body.notes.trim() || null,
    leadStatus: body.outcome === "lost" ? "lost" : body.outcome === "reopen" && before.lead_status === "lost" ? "contacted" : undefined,
    handledAt: body.outcome === "handled" ? now : body.outcome === "reopen" ? null : undefined,
    handledBy: body.outcome === "handled" ? actor.userId : null,
    smsOptOutAt: body.smsOptOut === undefined ? undefined : body.smsOptOut ? now : null,
  });
  await insertAudit(db, actor, {
    action: body.outcome ? (`lead.${body.outcome}` as const) : "lead.updated",
    targetType: "contact",
    targetId: id,
    // Which fields changed, never their values (names and emails are personal data).
    data: { fields: Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined) },
  });
  return leadDetail(db, actor.orgId, id);
}
