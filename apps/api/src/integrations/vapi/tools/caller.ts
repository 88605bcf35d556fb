import { vapiTools } from "@voxanne/contracts";
import { DateTime } from "luxon";
import { toE164 } from "../../../lib/phone";
import { speakDateTime, speakDay } from "../../../lib/time";
import { callerSummary } from "../../../modules/contacts/queries";
import { toolHandler } from "./types";

/**
 * Recognises a returning caller by caller ID. A number from the arguments is used only when the
 * call has no caller ID (web calls, withheld numbers), so nobody can read another patient's
 * record by reciting their number.
 */
export const lookupCallerTool = toolHandler(
  vapiTools.lookupCaller,
  async (args, ctx) => {
    const phoneText = args.phone;
    const phone = ctx.callerNumber ?? (phoneText ? toE164(phoneText, ctx.defaultCountry) : null);
    if (!phone) return { result: "There is no caller ID on this call. Ask for the caller's name and phone number.", outcome: "no_caller_id" };

    const summary = await callerSummary(ctx.db, ctx.clinic.orgId, phone, ctx.now);
    if (!summary) return { result: "New caller: there is no record for this number. Ask for their name.", outcome: "new_caller" };

    const tz = ctx.clinic.timezone;
    const { contact, lastVisit, upcoming } = summary;
    const parts = [`Returning caller: ${contact.name ?? "name not on file"}.`];
    parts.push(lastVisit ? `Last visit: ${speakDay(DateTime.fromJSDate(lastVisit, { zone: tz }))}.` : "No past visits on record.");
    if (contact.last_contacted_at) parts.push(`Last call: ${speakDay(DateTime.fromJSDate(contact.last_contacted_at, { zone: tz }))}.`);
    parts.push(
      upcoming.length
        ? `Upcoming: ${upcoming
            .map((u) => `${speakDateTime(DateTime.fromJSDate(u.startsAt, { zone: tz }))}${u.serviceName ? ` (${u.serviceName})` : ""}`)
            .join("; ")}.`
        : "No upcoming appointments.",
    );
    return { result: parts.join(" "), outcome: "returning_caller" };
  },
  { readOnly: true },
);
