import { z } from "zod";

/**
 * Every action written to `audit_events.action`, in one list: the audit log viewer filters by it
 * and the API writes only these (the type checks each call site).
 */
export const AUDIT_ACTIONS = [
  "auth.signup",
  "auth.login",
  "auth.logout",
  "auth.password_changed",
  "auth.password_reset_requested",
  "auth.password_reset",
  "account.updated",
  "team.invited",
  "team.invite_revoked",
  "team.invite_accepted",
  "team.role_changed",
  "team.member_removed",
  "agent.saved",
  "agent.test_call",
  "call.emergency_flagged",
  "call.emergency_transfer",
  "call.transferred_by_staff",
  "call.ended_by_staff",
  "call.caller_not_verified",
  "credentials.reencrypted",
  "settings.updated",
  "service.created",
  "service.updated",
  "service.archived",
  "service.deleted",
  "appointment.created",
  "appointment.rescheduled",
  "appointment.cancelled",
  "appointment.reminder_sent",
  "lead.updated",
  "lead.handled",
  "lead.lost",
  "lead.reopen",
  "lead.call_back",
  "contacts.imported",
  "contacts.exported",
  "calls.exported",
  "call.transcript_exported",
  "call.recording_shared",
  "call.follow_up_sent",
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;
