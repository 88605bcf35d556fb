import { needsStrongCheck, verifyCaller, type Verification } from "../../../modules/booking/caller-verification";
import { CALLER_CALLBACK_JOB, type CallerCallbackData } from "../../../modules/messages/caller-callback";
import { contactOnFile } from "../../../modules/contacts/queries";
import { recordCallerNotVerified } from "../queries";
import type { Reply } from "../speech";
import type { ToolContext } from "./types";

/**
 * Checks a caller against what is on file for `phone` (modules/booking/caller-verification.ts).
 * `requestedNumber` is the number the caller named (null: their own caller ID). On a refusal the
 * clinic is told (an audit row, and an SMS to its alert number through the caller-callback job),
 * so a real patient who failed the check still gets a call back.
 */
export async function verifyForTool(
  ctx: ToolContext,
  check: { phone: string; requestedNumber: string | null; name: string | undefined; dateOfBirth: string | undefined; request: CallerCallbackData["request"] },
): Promise<Verification> {
  const request = {
    callerNumber: ctx.callerNumber,
    requestedNumber: check.requestedNumber,
    givenName: check.name,
    givenDateOfBirth: check.dateOfBirth,
    now: ctx.now,
    country: ctx.defaultCountry,
  };
  const decision = verifyCaller(request, needsStrongCheck(request) ? await contactOnFile(ctx.db, ctx.clinic.orgId, check.phone) : null);
  if (decision.kind !== "refused") return decision;

  await recordCallerNotVerified(ctx.db, { orgId: ctx.clinic.orgId, callId: ctx.callId, request: check.request, callerHasId: ctx.callerNumber !== null });
  const data: CallerCallbackData = {
    orgId: ctx.clinic.orgId,
    vapiCallId: ctx.callId,
    phone: check.phone,
    request: check.request,
    callerNumber: ctx.callerNumber,
  };
  if (ctx.jobs) await ctx.jobs.send(CALLER_CALLBACK_JOB, data, { db: ctx.db, singletonKey: `caller-callback:${ctx.callId}:${check.phone}` });
  else ctx.log.warn({ orgId: ctx.clinic.orgId, callId: ctx.callId }, "caller not verified, but no job runner in this process: clinic not texted");
  return decision;
}

/** What the caller is asked when the check needs more (it never says whether a record exists). */
export function askForDetails(missing: ("name" | "date of birth")[], tool: string, why: string): Reply {
  const what = missing.map((m) => (m === "name" ? "the patient's full name" : "their date of birth")).join(" and ");
  return {
    say: `For privacy, ${why} I need the patient's full name and date of birth as the clinic has them. Could you give me ${what}?`,
    instructions: `When the caller answers, call ${tool} again with name and dateOfBirth.`,
  };
}
