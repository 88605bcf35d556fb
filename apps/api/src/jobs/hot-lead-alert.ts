import { insertMessage, updateMessageOutcome } from "../modules/messages/queries";
import { unavailableSmsSender, type SmsSender } from "../modules/messages/sms";
import { defineJob } from "./runner";

declare module "./runner" {
  interface JobServices {
    smsSender?: SmsSender;
  }
}

export const HOT_LEAD_ALERT_JOB = "hot-lead-alert";
export type HotLeadAlertData = { orgId: string; callLogId: string };

const money = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

/** ≤ 160 characters: one SMS segment. */
export function hotLeadAlertText(input: { name: string | null; phone: string | null; score: number; interests: string[]; value: number }): string {
  const who = [input.name, input.phone].filter(Boolean).join(" ") || "A caller";
  const what = input.interests.length ? ` asked about ${input.interests.slice(0, 2).join(" & ")}` : "";
  const value = input.value > 0 ? ` (${money(input.value)})` : "";
  const text = `Voxanne hot lead ${input.score}/100: ${who}${what}${value}, not booked. Call back soon.`;
  return text.length <= 160 ? text : `${text.slice(0, 157)}...`;
}

/**
 * Texts the clinic's hot-lead number about a hot lead that did not book. The message is recorded
 * first (idempotency key per call), so a retried job never sends twice once the outcome is known.
 */
export const hotLeadAlertJob = defineJob<HotLeadAlertData>({
  name: HOT_LEAD_ALERT_JOB,
  retryLimit: 3,
  retryDelay: 5,
  handler: async ({ orgId, callLogId }, { db, logger, services }) => {
    const prepared = await db.asService(orgId, async (tx) => {
      const { rows } = await tx.query(
        `select c.id, c.lead_score, c.financial_value, c.service_interests, c.contact_id, c.from_number, c.to_number, c.direction,
                ct.name as contact_name, ct.phone as contact_phone, o.hot_lead_alert_number
           from public.call_logs c
           join public.organizations o on o.id = c.org_id
           left join public.contacts ct on ct.id = c.contact_id
          where c.org_id = $1 and c.id = $2`,
        [orgId, callLogId],
      );
      const call = rows[0];
      if (!call) return null;
      const content = hotLeadAlertText({
        name: call.contact_name,
        phone: call.contact_phone ?? (call.direction === "outbound" ? call.to_number : call.from_number),
        score: call.lead_score ?? 0,
        interests: call.service_interests ?? [],
        value: Number(call.financial_value ?? 0),
      });
      const recipient: string | null = call.hot_lead_alert_number;
      const message = await insertMessage(tx, orgId, {
        method: "sms",
        purpose: "hot_lead_alert",
        recipient,
        content,
        status: recipient ? "queued" : "not_sent",
        statusReason: recipient ? null : "No hot-lead alert number is set. Add one in Settings to get these alerts by SMS.",
        callLogId,
        contactId: call.contact_id,
        idempotencyKey: `hot-lead:${callLogId}`,
      });
      return { message, recipient, content };
    });
    if (!prepared) {
      logger.warn({ callLogId }, "hot-lead alert for a call that no longer exists");
      return;
    }
    const { message, recipient, content } = prepared;
    if (message.status !== "queued" || !recipient) return; // decided already (or nothing to send to)

    const sender = services.smsSender ?? unavailableSmsSender;
    const outcome = await sender({ db, orgId, to: recipient, body: content });
    await db.asService(orgId, (tx) =>
      outcome.status === "sent"
        ? updateMessageOutcome(tx, orgId, message.id, { status: "sent", serviceProvider: outcome.provider, externalMessageId: outcome.externalMessageId, sentAt: new Date() })
        : updateMessageOutcome(tx, orgId, message.id, { status: outcome.status, statusReason: outcome.reason }),
    );
    logger.info({ callLogId, messageId: message.id, status: outcome.status }, "hot-lead alert handled");
  },
});
