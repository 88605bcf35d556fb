import { createHmac, randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { Db } from "../../db/database";
import { DomainError } from "../../lib/domain-error";
import { redeemOAuthState } from "./queries";

/**
 * The OAuth `state` of a connect flow: a signed (HS256), expiring token naming the clinic, the
 * member who started it and the provider, redeemed once (public.oauth_state_uses). A state from
 * another clinic or member, a changed one, an old one or a second use is refused, so nobody can
 * complete a connect flow into a clinic they did not start it from.
 */

export const OAUTH_STATE_TTL_SECONDS = 10 * 60;
const AUDIENCE = "voxanne:oauth-state";

/** Its own key, derived from the session secret, so a session token can never pass as a state (or the reverse). */
const stateKey = (secret: string) => createHmac("sha256", secret).update("voxanne:oauth-state:v1").digest();

export async function signOAuthState(secret: string, s: { orgId: string; userId: string; provider: string; now: Date }): Promise<string> {
  const iat = Math.floor(s.now.getTime() / 1000);
  return new SignJWT({ org: s.orgId, provider: s.provider })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(s.userId)
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + OAUTH_STATE_TTL_SECONDS)
    .sign(stateKey(secret));
}

const refused = (why: string) =>
  new DomainError("invalid", "invalid_oauth_state", `This Google sign-in link is ${why}. Start again from the Integrations page.`);

/** Checks and redeems a state for this clinic and member; throws `invalid_oauth_state` otherwise. */
export async function redeemOAuthStateFor(
  db: Db,
  secret: string,
  state: string | undefined,
  expected: { orgId: string; userId: string; provider: string; now: Date },
): Promise<void> {
  if (!state) throw refused("missing its state");
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(state, stateKey(secret), {
      audience: AUDIENCE,
      algorithms: ["HS256"],
      currentDate: expected.now,
      clockTolerance: 0,
    }));
  } catch (err) {
    throw refused((err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "too old" : "not valid");
  }
  if (payload.org !== expected.orgId || payload.sub !== expected.userId || payload.provider !== expected.provider) {
    throw refused("for another clinic or member");
  }
  if (typeof payload.jti !== "string" || typeof payload.exp !== "number") throw refused("not valid");
  if (!(await redeemOAuthState(db, payload.jti, new Date(payload.exp * 1000)))) throw refused("already used");
}
