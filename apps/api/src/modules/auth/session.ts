import type { Role } from "@voxanne/contracts";
import type { JwtClaims } from "../../db/database";

/** A verified dashboard session: who is asking, for which organization, in which role. */
export type AuthContext = {
  claims: JwtClaims;
  userId: string;
  orgId: string;
  /** The role in `orgId`, from the token's app_metadata (stamped from profiles.role). */
  role: Role;
  /** A Voxanne platform operator (app_metadata.operator, stamped from profiles.is_operator); not a clinic role. */
  operator: boolean;
  /** The token's `session_id` claim: one sign-in and all its refreshes; revocable (modules/auth/sessions.ts). */
  sessionId: string;
};
