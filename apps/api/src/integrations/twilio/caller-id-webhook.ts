import { apiRoutes, CallerIdStatusCallback } from "@voxanne/contracts";
import { Router, type Response } from "express";
import twilio from "twilio";
import { z } from "zod";
import type { AppDeps } from "../../deps";
import { CredentialError } from "../../modules/credentials/crypto";
import { readCredential } from "../../modules/credentials/service";
import { recordCallerIdCallback } from "../../modules/telephony/service";

const route = apiRoutes.telephony.callerIdStatusCallback;
const uuid = z.uuid();

const refuse = (res: Response, status: 401 | 403, code: string, message: string) => res.status(status).json({ error: { code, message } });

/**
 * Twilio's StatusCallback for a caller-ID verification call. Twilio signs it with
 * the auth token of the clinic's own account, so the org id in the path picks the token, and the
 * signature is checked over the configured public URL (PUBLIC_API_URL + path, not req.protocol)
 * and the form fields exactly as received. Missing signature → 401, wrong one → 403. A callback we
 * cannot use (unknown number, a status we do not act on) is answered 200: it would fail the same
 * way every time.
 */
export function createTwilioCallerIdWebhookRouter(deps: Pick<AppDeps, "db" | "config" | "logger">): Router {
  const router = Router();
  router.post(route.path, async (req, res) => {
    const signature = req.header("x-twilio-signature");
    if (!signature) return refuse(res, 401, "missing_signature", "X-Twilio-Signature is required.");
    const orgId = req.params.orgId!;
    if (!uuid.safeParse(orgId).success) return refuse(res, 403, "invalid_signature", "The signature does not match.");
    let authToken: string;
    let accountSid: string;
    try {
      const creds = await deps.db.asService(orgId, (db) => readCredential(db, deps.config.encryptionKeys, orgId, "twilio"));
      if (!("authToken" in creds)) {
        deps.logger.warn({ orgId }, "caller-ID callback for a clinic connected with an API key: only the auth token can check Twilio signatures");
        return refuse(res, 403, "invalid_signature", "The signature does not match.");
      }
      authToken = creds.authToken;
      accountSid = creds.accountSid;
    } catch (err) {
      if (err instanceof CredentialError) return refuse(res, 403, "invalid_signature", "The signature does not match.");
      throw err;
    }
    const params = typeof req.body === "object" && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, string>) : {};
    const url = `${deps.config.PUBLIC_API_URL.replace(/\/+$/, "")}${req.originalUrl}`;
    if (!twilio.validateRequest(authToken, signature, url, params) || (params.AccountSid !== undefined && params.AccountSid !== accountSid)) {
      deps.logger.warn({ orgId }, "caller-ID callback with a signature that does not match");
      return refuse(res, 403, "invalid_signature", "The signature does not match.");
    }
    const body = CallerIdStatusCallback.parse(params);
    const phone = body.To ?? "";
    if (!/^\+[1-9][0-9]{6,14}$/.test(phone) || !body.VerificationStatus) {
      deps.logger.info({ orgId }, "caller-ID callback without a number or status; ignored");
      return res.status(200).json({});
    }
    const outcome = await deps.db.asService(orgId, (db) =>
      recordCallerIdCallback(db, orgId, { phone, status: body.VerificationStatus!, callerIdSid: body.OutgoingCallerIdSid ?? null }),
    );
    deps.logger.info({ orgId, outcome }, "caller-ID verification callback");
    return res.status(200).json({});
  });
  return router;
}
