import type { JwtClaims } from "../db/database";

/** The verified dashboard session, set by the auth middleware. */
export type AuthContext = {
  claims: JwtClaims;
  userId: string;
  orgId: string;
  role: "owner" | "admin" | "staff";
};

declare global {
  namespace Express {
    interface Request {
      auth?: AuthContext;
      /** Why a presented access token was rejected (expired, forged, no org); answered on routes that need a session. */
      authError?: import("./errors").HttpError;
      /** Exact request bytes, kept for webhook signature checks. */
      rawBody?: Buffer;
    }
  }
}
export {};
