import { vapiTools } from "@voxanne/contracts";
import { DateTime } from "luxon";
import { toE164 } from "../../../lib/phone";
import { speakDateTime, speakDay } from "../../../lib/time";
import { callerSummary } from "../../../modules/contacts/queries";
import { toolHandler } from "./types";
import { verifyForTool } from "./verification";

/**
 * Recognises a returning caller by caller ID. Without caller ID (web calls, withheld numbers) the
 * record is read only for a number whose full name and date of birth on file the caller gives
 * (modules/booking/caller-verification.ts); a recited number alone is never enough.
 */
export const lookupCallerTool = toolHandler(
  vapiTools.lookupCaller,
  async (args, ctx) => {
    let phone = ctx.callerNumber;
    if (!phone) {
      const given = args.phone ? toE164(args.phone, ctx.defaultCountry) : null;
      if (!given || !args.name || !args.dateOfBirth) {
        return {
          result: {
            say: "Could I have your name and phone number?",
            instructions:
              "There is no caller ID on this call. To read a patient's record, also ask for their full name and date of birth and call lookupCaller again; otherwise treat them as a new caller.",
          },
          outcome: "no_caller_id",
        };
      }
      const check = await verifyForTool(ctx, { phone: given, requestedNumber: given, name: args.name, dateOfBirth: args.dateOfBirth, request: "lookup" });
      if (check.kind !== "verified") {
        return {
          result: {
            say: "I can't confirm those details. For an existing booking, the clinic will call the patient back on the number on file.",
            instructions: "Treat the caller as new: take their name and number.",
          },
          outcome: "not_verified",
        };
      }
      phone = given;
    }

    const summary = await callerSummary(ctx.db, ctx.clinic.orgId, phone, ctx.now);
    if (!summary) return { result: { say: "May I have your name?", instructions: "New caller: there is no record for this number." }, outcome: "new_caller" };

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
    // What the assistant knows about the caller: context for it, not a sentence to read out.
    return {
      result: { say: contact.name ? `Welcome back, ${contact.name.split(/\s+/)[0]}.` : "Welcome back.", instructions: parts.join(" ") },
      outcome: "returning_caller",
    };
  },
  { readOnly: true },
);
