import type { Db } from "../../db/database";
import { DomainError, notFound } from "../../lib/domain-error";
import { findAgentRow, vapiLineId } from "../agents/queries";
import { type Actor, insertAudit } from "../audit/queries";
import { inboxRow } from "./queries";

export const CALL_BACK_NOT_CONFIGURED = "Call-back needs Vapi: set VAPI_PRIVATE_KEY in the API's environment, then save the receptionist so it syncs.";

/**
 * Allows "Call back" for a lead: Vapi configured, a synced receptionist (the outbound one, else the
 * inbound one) and the clinic's line to call from. Audited in this transaction — commit it before
 * placing the call outside any transaction, so a call that fails is still on record. Returns what to dial.
 */
export async function authorizeCallBack(
  db: Db,
  vapiConfigured: boolean,
  actor: Actor,
  contactId: string,
): Promise<{ assistantId: string; phoneNumberId: string; phone: string }> {
  const contact = await inboxRow(db, actor.orgId, contactId);
  if (!contact) throw notFound("No lead with this id in your clinic.");
  if (!vapiConfigured) throw new DomainError("unavailable", "vapi_not_configured", CALL_BACK_NOT_CONFIGURED);
  const outbound = await findAgentRow(db, actor.orgId, "outbound");
  const agent = outbound?.vapi_assistant_id ? outbound : await findAgentRow(db, actor.orgId, "inbound");
  if (!agent?.vapi_assistant_id) {
    throw new DomainError("conflict", "agent_not_synced", "Save the receptionist and wait until it shows Synced, then call the lead back.");
  }
  const phoneNumberId = await vapiLineId(db, actor.orgId);
  if (!phoneNumberId)
    throw new DomainError("conflict", "no_phone_line", "Connect the clinic's phone number under Integrations first: call-backs are placed from it.");
  await insertAudit(db, actor, { action: "lead.call_back", targetType: "contact", targetId: contactId, data: { last4: contact.phone.slice(-4) } });
  return { assistantId: agent.vapi_assistant_id, phoneNumberId, phone: contact.phone };
}
