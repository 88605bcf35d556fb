import type { JwtClaims } from "../../db/database";

/** A verified dashboard session: who is asking, for which organization, in which role. */
export type AuthContext = {
  claims: JwtClaims;
  userId: string;
  orgId: string;
  role: "owner" | "admin" | "staff";
  /** The token's `session_id` claim: one sign-in and all its refreshes; revocable (modules/auth/sessions.ts). */
  sessionId: string;
};
