/**
 * Connecting a clinic's own Twilio account and number, its status, and disconnecting.
 *
 * Connect runs one transaction holding a per-clinic advisory lock, so a double click waits for the
 * first request and then finds the connection it made (same account and number → the same answer,
 * no second set of side effects). Inside it, in order: check the credentials with Twilio → confirm
 * the number is on that account → seal the credentials into the vault → create the Twilio
 * credential in Vapi → import the number into Vapi linked to the inbound receptionist → point the
 * number's SMS webhook at us → record it in phone_numbers. Database writes roll back with the
 * transaction; provider side effects are undone in reverse order when a later step fails, and the
 * error names the step, the provider's reason and what was undone.
 */
import type { TwilioConnectBody, TwilioConnectStep, TwilioStatus } from "@voxanne/contracts";
import type { Database, Db } from "../../db/database";
import type { TwilioCredentials } from "../../integrations/twilio/credentials";
import { conflict, DomainError } from "../../lib/domain-error";
import type { Keyring } from "../credentials/crypto";
import { credentialStatus, readCredential, revokeCredential, saveCredential } from "../credentials/service";
import { ProviderFailure, type TwilioConnectionPorts } from "./ports";
import * as q from "./queries";

const STEP_LABEL: Record<TwilioConnectStep, string> = {
  check_credentials: "check the credentials with Twilio",
  find_number: "find the number in your Twilio account",
  save_credentials: "encrypt and save the credentials",
  create_vapi_credential: "create the Twilio credential in Vapi",
  import_number: "import the number into Vapi",
  configure_sms_webhook: "point the number's SMS webhook at Voxanne",
  record_number: "record the number",
};
const STEP_ORDER = Object.keys(STEP_LABEL) as TwilioConnectStep[];

/** What the credential row's metadata holds for Twilio (never a secret). */
export type TwilioConnectionMetadata = {
  accountSid: string;
  authMode: "auth_token" | "api_key";
  phoneNumber: string;
  twilioNumberSid: string;
  accountType: string | null;
  vapiCredentialId: string | null;
  vapiPhoneNumberId: string | null;
  linkedAssistantId: string | null;
  /** The number's SMS URL before we pointed it at Voxanne; restored on disconnect. */
  previousSmsUrl: string | null;
  smsWebhookConfigured: boolean;
  connectedAt: string;
};

/** Where Twilio posts this clinic's inbound SMS and message status callbacks (the org id is part of the signed URL). */
export const twilioWebhookUrl = (publicApiUrl: string, orgId: string, kind: "sms" | "status") =>
  `${publicApiUrl.replace(/\/+$/, "")}/api/webhooks/twilio/${orgId}/${kind}`;

function credentialsOf(body: TwilioConnectBody): TwilioCredentials {
  return "authToken" in body
    ? { accountSid: body.accountSid, authToken: body.authToken }
    : { accountSid: body.accountSid, apiKeySid: body.apiKeySid, apiKeySecret: body.apiKeySecret };
}

/** The connection as the dashboard shows it; works as a member (RLS) and as the service. */
export async function twilioStatus(db: Db, orgId: string, vapiUnavailableReason: string | null): Promise<TwilioStatus> {
  const summary = await credentialStatus(db, orgId, "twilio");
  const numbers = await q.twilioNumbers(db, orgId);
  const meta = summary.metadata as Partial<TwilioConnectionMetadata>;
  const active = summary.status === "active";
  const number = numbers[0] ?? null;
  const notes: string[] = [];
  if (active && meta.accountType === "Trial")
    notes.push("This is a Twilio trial account: it can only text and call numbers verified in your Twilio console. Upgrade it in Twilio for patients.");
  if (active && meta.authMode === "api_key")
    notes.push(
      "Connected with an API key: Twilio signs delivery reports and replies (STOP, START, HELP) with the auth token, so they cannot be verified and are not used. Reconnect with the auth token to track delivery.",
    );
  return {
    status: summary.status,
    accountSid: typeof meta.accountSid === "string" ? meta.accountSid : null,
    authMode: active ? (meta.authMode ?? null) : null,
    phoneNumber: active ? (number?.e164 ?? meta.phoneNumber ?? null) : null,
    vapiPhoneNumberId: active ? (number?.vapi_phone_number_id ?? null) : null,
    linkedToAssistant: active && Boolean(number?.vapi_phone_number_id) && Boolean(meta.linkedAssistantId),
    webhooksVerified: active && meta.authMode === "auth_token",
    connectedAt: active && meta.connectedAt ? meta.connectedAt : null,
    unavailableReason: vapiUnavailableReason,
    notes,
  };
}

type Undo = { what: string; run: () => Promise<void> };

async function undoAll(undo: Undo[]): Promise<{ undone: string[]; failed: string[] }> {
  const undone: string[] = [];
  const failed: string[] = [];
  for (const u of [...undo].reverse()) {
    try {
      await u.run();
      undone.push(u.what);
    } catch (err) {
      if (err instanceof ProviderFailure && err.notFound) undone.push(u.what);
      else failed.push(`${u.what} (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return { undone, failed };
}

function stepFailed(step: TwilioConnectStep, err: ProviderFailure, undo: { undone: string[]; failed: string[] }): DomainError {
  const n = STEP_ORDER.indexOf(step) + 1;
  const afterwards = [
    "Nothing was saved.",
    undo.undone.length ? `Undone: ${undo.undone.join("; ")}.` : "",
    undo.failed.length ? `Could not undo: ${undo.failed.join("; ")} — remove it by hand in the provider's dashboard.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return new DomainError(
    err.clientError ? "invalid" : "unavailable",
    `twilio_${step}_failed`,
    `Connecting Twilio stopped at step ${n} of ${STEP_ORDER.length} (${STEP_LABEL[step]}): ${err.message} ${afterwards}`,
  );
}

export type TwilioConnectionDeps = { db: Database; keys: Keyring; ports: TwilioConnectionPorts };
export type Actor = { orgId: string; userId: string };

/** Connects (or, for the same account and number, confirms) the clinic's Twilio; owner or admin. */
export async function connectTwilio(deps: TwilioConnectionDeps, actor: Actor, body: TwilioConnectBody): Promise<TwilioStatus> {
  const { keys, ports } = deps;
  const { orgId } = actor;
  const e164 = body.phoneNumber;
  return deps.db.asService(
    orgId,
    async (tx) => {
      await q.lockTwilioConnection(tx, orgId);
      const current = await credentialStatus(tx, orgId, "twilio");
      if (current.status === "active") {
        const meta = current.metadata as Partial<TwilioConnectionMetadata>;
        const numbers = await q.twilioNumbers(tx, orgId);
        if (meta.accountSid === body.accountSid && numbers.some((n) => n.e164 === e164)) return twilioStatus(tx, orgId, null);
        throw conflict(
          `Twilio is already connected with ${meta.phoneNumber ?? "another number"} (account ${meta.accountSid ?? "unknown"}). Disconnect it first to connect a different account or number.`,
          "twilio_already_connected",
        );
      }
      const vapi = ports.vapi;
      if (!vapi) throw new DomainError("unavailable", "vapi_not_configured", ports.vapiUnavailableReason);
      const owner = await q.numberOwner(tx, e164);
      if (owner)
        throw conflict(
          owner.org_id === orgId
            ? `${e164} is already one of your clinic's numbers. Remove it first, or connect a different number.`
            : `${e164} is connected to another Voxanne clinic. A number can answer for one clinic only.`,
          "number_in_use",
        );

      const credentials = credentialsOf(body);
      const twilio = ports.twilio(credentials);
      const authMode = "authToken" in credentials ? "auth_token" : "api_key";
      const undo: Undo[] = [];
      let step: TwilioConnectStep = "check_credentials";
      try {
        const account = await twilio.verify();
        if (account.status && account.status !== "active")
          throw new ProviderFailure("twilio", true, `The Twilio account is ${account.status}. Reactivate it in Twilio, then connect again.`);
        step = "find_number";
        const number = await twilio.findNumber(e164);
        if (!number)
          throw new ProviderFailure(
            "twilio",
            true,
            `${e164} is not a phone number of Twilio account ${body.accountSid}. Check the number, or buy or port it into this account in Twilio first.`,
          );
        step = "save_credentials";
        const meta: TwilioConnectionMetadata = {
          accountSid: body.accountSid,
          authMode,
          phoneNumber: e164,
          twilioNumberSid: number.sid,
          accountType: account.type,
          vapiCredentialId: null,
          vapiPhoneNumberId: null,
          linkedAssistantId: null,
          previousSmsUrl: number.smsUrl,
          smsWebhookConfigured: false,
          connectedAt: new Date().toISOString(),
        };
        await saveCredential(tx, keys, orgId, "twilio", credentials, meta);

        step = "create_vapi_credential";
        meta.vapiCredentialId = await vapi.createTwilioCredential({ credentials, name: `voxanne-${orgId.slice(0, 8)}` });
        const credentialId = meta.vapiCredentialId;
        undo.push({ what: "deleted the Twilio credential created in Vapi", run: () => vapi.deleteCredential(credentialId) });

        step = "import_number";
        const agent = await q.inboundAgent(tx, orgId);
        meta.vapiPhoneNumberId = await vapi.importNumber({ e164, credentials, assistantId: agent?.vapi_assistant_id ?? null, name: `Clinic line ${e164}` });
        meta.linkedAssistantId = agent?.vapi_assistant_id ?? null;
        const vapiNumberId = meta.vapiPhoneNumberId;
        undo.push({ what: "released the number from Vapi", run: () => vapi.releaseNumber(vapiNumberId) });

        step = "configure_sms_webhook";
        // Only an auth token can verify Twilio's signatures; with an API key, Twilio's own STOP handling stands.
        if (authMode === "auth_token") {
          await twilio.setSmsUrl(number.sid, twilioWebhookUrl(ports.publicApiUrl, orgId, "sms"));
          meta.smsWebhookConfigured = true;
          undo.push({ what: "restored the number's previous SMS webhook in Twilio", run: () => twilio.setSmsUrl(number.sid, number.smsUrl ?? "") });
        }

        step = "record_number";
        await q.insertTwilioNumber(tx, orgId, { e164, twilioSid: number.sid, vapiPhoneNumberId: meta.vapiPhoneNumberId, agentId: agent?.id ?? null });
        await saveCredential(tx, keys, orgId, "twilio", credentials, meta);
        await q.insertTwilioAudit(tx, {
          orgId,
          actorUserId: actor.userId,
          action: "integration.twilio.connected",
          data: {
            accountSid: body.accountSid,
            authMode,
            phoneNumber: e164,
            vapiPhoneNumberId: meta.vapiPhoneNumberId,
            linkedAssistantId: meta.linkedAssistantId,
          },
        });
      } catch (err) {
        const undone = await undoAll(undo);
        if (err instanceof ProviderFailure) throw stepFailed(step, err, undone);
        throw err;
      }
      return twilioStatus(tx, orgId, null);
    },
    // Waiting for a first request's provider calls (a double click) may take longer than the usual lock timeout.
    { lockTimeoutMs: 60_000 },
  );
}

/**
 * Disconnect: release the number from Vapi, delete the Vapi credential, restore the number's SMS
 * webhook, then erase the sealed secrets and the phone number row. A provider that is unreachable
 * stops it before anything changes here, so trying again finishes the job (a 404 counts as done).
 */
export async function disconnectTwilio(deps: TwilioConnectionDeps, actor: Actor): Promise<TwilioStatus> {
  const { keys, ports } = deps;
  const { orgId } = actor;
  return deps.db.asService(
    orgId,
    async (tx) => {
      await q.lockTwilioConnection(tx, orgId);
      const summary = await credentialStatus(tx, orgId, "twilio");
      const numbers = await q.twilioNumbers(tx, orgId);
      if (summary.status !== "active" && numbers.length === 0) return twilioStatus(tx, orgId, null);
      const meta = summary.metadata as Partial<TwilioConnectionMetadata>;
      const vapiNumberIds = [...new Set([...numbers.map((n) => n.vapi_phone_number_id), meta.vapiPhoneNumberId].filter((x): x is string => Boolean(x)))];
      const ignoreGone = (err: unknown) => {
        if (err instanceof ProviderFailure && err.notFound) return;
        throw err;
      };
      const notes: string[] = [];
      try {
        if (vapiNumberIds.length > 0 || meta.vapiCredentialId) {
          if (!ports.vapi) throw new DomainError("unavailable", "vapi_not_configured", ports.vapiUnavailableReason);
          for (const id of vapiNumberIds) await ports.vapi.releaseNumber(id).catch(ignoreGone);
          if (meta.vapiCredentialId) await ports.vapi.deleteCredential(meta.vapiCredentialId).catch(ignoreGone);
        }
        if (summary.status === "active" && meta.smsWebhookConfigured && meta.twilioNumberSid) {
          // Best effort: the clinic may have rotated the token already; the number is theirs either way.
          try {
            const credentials = await readCredential(tx, keys, orgId, "twilio");
            await ports.twilio(credentials).setSmsUrl(meta.twilioNumberSid, meta.previousSmsUrl ?? "");
          } catch (err) {
            notes.push(`The number's SMS webhook could not be restored in Twilio: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      } catch (err) {
        if (err instanceof ProviderFailure)
          throw new DomainError(
            err.clientError ? "invalid" : "unavailable",
            "twilio_disconnect_failed",
            `Disconnecting Twilio stopped: ${err.message} Nothing was changed here; try again.`,
          );
        throw err;
      }
      await q.deleteTwilioNumbers(tx, orgId);
      await revokeCredential(tx, orgId, "twilio");
      await q.insertTwilioAudit(tx, {
        orgId,
        actorUserId: actor.userId,
        action: "integration.twilio.disconnected",
        data: { accountSid: meta.accountSid ?? null, phoneNumber: meta.phoneNumber ?? null, releasedVapiNumbers: vapiNumberIds, notes },
      });
      const status = await twilioStatus(tx, orgId, null);
      return { ...status, notes: [...status.notes, ...notes] };
    },
    { lockTimeoutMs: 60_000 },
  );
}
