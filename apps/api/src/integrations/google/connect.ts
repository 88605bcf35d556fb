import type { GoogleConnectOutcome } from "@voxanne/contracts";
import { decodeJwt } from "jose";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { DomainError } from "../../lib/domain-error";
import type { Logger } from "../../logger";
import { auditCalendarEvent } from "../../modules/calendar/queries";
import { redeemOAuthStateFor, signOAuthState } from "../../modules/calendar/oauth-state";
import { readCredential, revokeCredential, saveCredential } from "../../modules/credentials/service";
import type { GoogleCalendar } from "./calendar";
import { authorizeUrl, CLINIC_CALENDAR_ID, createOAuthClient, googleMessage, REQUIRED_CALENDAR_SCOPES } from "./client";

/**
 * Connecting and disconnecting a clinic's Google Calendar (the Integrations page): the consent
 * redirect with a signed single-use state, the callback that stores the refresh token sealed in
 * the vault, and disconnect, which revokes the token at Google and erases it.
 */

export type ConnectDeps = { config: Config; db: Database; logger: Logger; google: GoogleCalendar };
type Member = { orgId: string; userId: string };

/** Where the browser lands after the flow: the Integrations page, with how it went. */
export const integrationsPage = (config: Pick<Config, "WEB_ORIGINS">, outcome: GoogleConnectOutcome) =>
  `${config.WEB_ORIGINS[0] ?? "http://localhost:3002"}/integrations?google=${outcome}`;

export async function googleConsentUrl(deps: ConnectDeps, member: Member, now: Date): Promise<string> {
  const oauth = createOAuthClient(deps.config);
  if (!oauth) return integrationsPage(deps.config, "not_configured");
  const state = await signOAuthState(deps.config.jwtSecret, { orgId: member.orgId, userId: member.userId, provider: "google", now });
  return authorizeUrl(oauth, state);
}

/** The callback: every outcome is a redirect to the Integrations page; only a bad state stores nothing and says so. */
export async function finishGoogleConnect(
  deps: ConnectDeps,
  member: Member,
  query: { code?: string; state?: string; error?: string },
  now: Date,
): Promise<GoogleConnectOutcome> {
  const oauth = createOAuthClient(deps.config);
  if (!oauth) return "not_configured";
  try {
    await deps.db.asService(member.orgId, (tx) => redeemOAuthStateFor(tx, deps.config.jwtSecret, query.state, { ...member, provider: "google", now }));
  } catch (err) {
    if (err instanceof DomainError && err.code === "invalid_oauth_state") {
      deps.logger.warn({ orgId: member.orgId, reason: err.message }, "Google connect refused: bad state");
      return "invalid_state";
    }
    throw err;
  }
  if (query.error || !query.code) return "denied";

  let tokens: { refresh_token?: string | null; scope?: string; id_token?: string | null };
  try {
    ({ tokens } = await oauth.getToken(query.code));
  } catch (err) {
    deps.logger.warn({ orgId: member.orgId, err: googleMessage(err) }, "Google code exchange failed");
    return "failed";
  }
  if (!tokens.refresh_token) return "no_refresh_token";
  const granted = new Set((tokens.scope ?? "").split(/\s+/));
  if (!REQUIRED_CALENDAR_SCOPES.every((s) => granted.has(s))) {
    // A refresh token for less than we need is useless to us: hand it back.
    await oauth.revokeToken(tokens.refresh_token).catch(() => {});
    return "missing_scopes";
  }
  // Straight from Google's token endpoint (TLS in production), so its claims need no signature check to be read.
  const email = tokens.id_token ? (decodeJwt(tokens.id_token).email as string | undefined) : undefined;

  await deps.db.asService(member.orgId, async (tx) => {
    await saveCredential(
      tx,
      deps.config.encryptionKeys,
      member.orgId,
      "google",
      { refreshToken: tokens.refresh_token!, scope: tokens.scope ?? undefined },
      { connected_email: email ?? null, calendar_id: CLINIC_CALENDAR_ID, connected_at: now.toISOString(), connected_by: member.userId },
    );
    await auditCalendarEvent(tx, { orgId: member.orgId, actorUserId: member.userId, action: "integration.google.connected", data: { email: email ?? null } });
    // Appointments booked while the calendar was missing or broken are written now.
    await deps.google.requeueUnsynced(tx, member.orgId, now);
  });
  deps.google.forget(member.orgId);
  return "connected";
}

/** Revokes the token at Google (best effort: a token Google already dropped is fine) and erases it here. */
export async function disconnectGoogle(deps: ConnectDeps, member: Member): Promise<void> {
  const oauth = createOAuthClient(deps.config);
  const stored = await deps.db.asService(member.orgId, (tx) => readCredential(tx, deps.config.encryptionKeys, member.orgId, "google")).catch(() => null);
  if (oauth && stored) {
    await oauth.revokeToken(stored.refreshToken).catch((err: unknown) => {
      deps.logger.warn({ orgId: member.orgId, err: googleMessage(err) }, "Google did not confirm the revoke; the token is erased here anyway");
    });
  }
  await deps.db.asService(member.orgId, async (tx) => {
    if (await revokeCredential(tx, member.orgId, "google")) {
      await auditCalendarEvent(tx, { orgId: member.orgId, actorUserId: member.userId, action: "integration.google.disconnected", data: {} });
    }
  });
  deps.google.forget(member.orgId);
}
