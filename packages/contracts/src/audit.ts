/**
 * Every action the audit trail records (`audit_events.action`), in one typed list. Code that
 * writes an audit event names one of these; the audit viewer's filter offers them.
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
  "call.caller_not_verified",
  "call.emergency_flagged",
  "credentials.reencrypted",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
