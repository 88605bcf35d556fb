import type { AgentRole } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { DomainError, forbidden } from "../../lib/domain-error";
import { countTestCalls, findAgentRow, insertAgentAudit, vapiLineId } from "./queries";

/** "Call my phone" is a button that makes Vapi dial a number: a few per clinic per hour. */
export const TEST_CALLS_PER_HOUR = 5;

/**
 * Allows one "Call my phone" to `phone` (E.164, validated by the contract): owner/admin only,
 * rate-limited per clinic, and audited in this transaction — commit it before placing the call
 * (outside any transaction), so a call that fails still counts. Returns what to dial with.
 */
export async function authorizeTestCall(
  db: Db,
  vapiConfigured: boolean,
  who: { orgId: string; userId: string; role: "owner" | "admin" | "staff" },
  role: AgentRole,
  phone: string,
  now: Date,
): Promise<{ assistantId: string; phoneNumberId: string; phone: string }> {
  if (who.role === "staff") throw forbidden("Only the clinic's owner or an admin can place a test call.");
  if (!vapiConfigured) throw new DomainError("unavailable", "vapi_not_configured", "Test calls need Vapi: set VAPI_PRIVATE_KEY in the API's environment.");
  const agent = await findAgentRow(db, who.orgId, role);
  if (!agent?.vapi_assistant_id) {
    throw new DomainError("conflict", "agent_not_synced", "Save the receptionist and wait until it shows Synced, then try the test call again.");
  }
  const phoneNumberId = await vapiLineId(db, who.orgId);
  if (!phoneNumberId) throw new DomainError("conflict", "no_phone_line", "Connect the clinic's phone number first: test calls are placed from it.");
  const used = await countTestCalls(db, who.orgId, new Date(now.getTime() - 3600_000));
  if (used >= TEST_CALLS_PER_HOUR) {
    throw new DomainError("rate_limited", "test_calls_exhausted", `At most ${TEST_CALLS_PER_HOUR} test calls an hour. Try again later.`, 3600);
  }
  await insertAgentAudit(db, { orgId: who.orgId, actorUserId: who.userId, role, action: "agent.test_call", data: { last4: phone.slice(-4) } });
  return { assistantId: agent.vapi_assistant_id, phoneNumberId, phone };
}
