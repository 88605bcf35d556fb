import type { JwtClaims } from "../../db/database";

/** A verified dashboard session: who is asking, for which organization, in which role. */
export type AuthContext = {
  claims: JwtClaims;
  userId: string;
  orgId: string;
  role: "owner" | "admin" | "staff";
};
