import type { AuthContext } from "../modules/auth/session";

export type { AuthContext };

declare global {
  namespace Express {
    interface Request {
      auth?: AuthContext;
      /** Why a presented access token was rejected (expired, forged, no org); answered on routes that need a session. */
      authError?: import("./errors").HttpError | import("../lib/domain-error").DomainError;
      /** Exact request bytes, kept for webhook signature checks. */
      rawBody?: Buffer;
    }
  }
}
