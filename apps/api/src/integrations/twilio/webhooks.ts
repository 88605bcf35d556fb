import { type NextFunction, type Request, type Response, Router } from "express";
import twilio from "twilio";
import { z } from "zod";
import type { AppDeps } from "../../deps";
import { credentialStatus, readCredential } from "../../modules/credentials/service";
import { applyDeliveryStatus, deleteOptOut, insertInboundSms, insertOptOut, smsRules } from "../../modules/messages/queries";
import { insertTwilioAudit } from "../../modules/twilio/queries";

/**
 * Twilio's webhooks for a clinic's own number: `POST /api/webhooks/twilio/:orgId/status` (message
 * status callbacks) and `/sms` (inbound SMS: STOP, START, HELP). Each tenant's webhooks are signed
 * with that tenant's auth token, so the org id is in the path (part of the signed URL): its token
 * is loaded and `twilio.validateRequest` checks X-Twilio-Signature against PUBLIC_API_URL + the
 * path — never the URL as this server sees it (a proxy's http would not match Twilio's https).
 * No signature: 401. A signature that does not verify (wrong token, other org, API-key connection
 * that holds no token): 403. Bodies are Twilio's flat form (express.urlencoded in app.ts).
 */

const OrgId = z.uuid();
export const TWILIO_SIGNATURE_HEADER = "x-twilio-signature";

declare global {
  namespace Express {
    interface Request {
      /** Set by verifyTwilioSignature: the org whose token signed this webhook. */
      twilioOrgId?: string;
    }
  }
}

const twiml = (res: Response, xml = "<Response/>") => res.status(200).type("text/xml").send(`<?xml version="1.0" encoding="UTF-8"?>${xml}`);
const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/**
 * Express middleware for any Twilio webhook under `/api/webhooks/twilio/:orgId/…` (also the
 * caller-ID verification callback): verifies the signature with the org's own auth token.
 */
export function verifyTwilioSignature(deps: Pick<AppDeps, "db" | "config">) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const signature = req.header(TWILIO_SIGNATURE_HEADER);
    if (!signature) return res.status(401).json({ error: { code: "missing_signature", message: "X-Twilio-Signature is required." } });
    const orgId = OrgId.safeParse(req.params.orgId);
    const refuse = () => res.status(403).json({ error: { code: "invalid_signature", message: "The Twilio signature does not match." } });
    if (!orgId.success) return refuse();
    const params = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    const token = await deps.db.asService(orgId.data, async (tx) => {
      const summary = await credentialStatus(tx, orgId.data, "twilio");
      if (summary.status !== "active") return null;
      const credentials = await readCredential(tx, deps.config.encryptionKeys, orgId.data, "twilio");
      return "authToken" in credentials ? { token: credentials.authToken, accountSid: credentials.accountSid } : null;
    });
    if (!token) return refuse();
    const url = `${deps.config.PUBLIC_API_URL.replace(/\/+$/, "")}${req.originalUrl}`;
    if (!twilio.validateRequest(token.token, signature, url, params)) return refuse();
    // Checked only after the signature: the body is trustworthy now.
    if (params.AccountSid !== undefined && params.AccountSid !== token.accountSid) return refuse();
    req.twilioOrgId = orgId.data;
    next();
  };
}

const form = (req: Request) => req.body as Record<string, string | undefined>;

const DELIVERY: Record<string, "sent" | "delivered" | "failed" | undefined> = {
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  failed: "failed",
  undelivered: "failed",
};

const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]);
const START_WORDS = new Set(["START", "YES", "UNSTOP"]);
const HELP_WORDS = new Set(["HELP", "INFO"]);

export function createTwilioWebhookRouter(deps: Pick<AppDeps, "db" | "config" | "logger">): Router {
  const router = Router();
  const verify = verifyTwilioSignature(deps);

  router.post("/api/webhooks/twilio/:orgId/status", verify, async (req, res) => {
    const orgId = req.twilioOrgId!;
    const body = form(req);
    const status = DELIVERY[String(body.MessageStatus ?? "").toLowerCase()];
    if (!status || !body.MessageSid) return twiml(res);
    const code = body.ErrorCode ? Number(body.ErrorCode) : null;
    await deps.db.asService(orgId, async (tx) => {
      const row = await applyDeliveryStatus(tx, orgId, body.MessageSid!, {
        status,
        reason: status === "failed" ? `Twilio reported ${body.MessageStatus}${code ? ` (error ${code})` : ""}.` : null,
        code: status === "failed" ? (code === 21610 ? "opted_out" : "provider_error") : null,
      });
      if (row?.recipient && code === 21610) await insertOptOut(tx, orgId, row.recipient, "carrier");
    });
    twiml(res);
  });

  router.post("/api/webhooks/twilio/:orgId/sms", verify, async (req, res) => {
    const orgId = req.twilioOrgId!;
    const body = form(req);
    const from = String(body.From ?? "");
    const text = String(body.Body ?? "");
    const keyword =
      text
        .trim()
        .split(/\s+/)[0]
        ?.toUpperCase()
        .replace(/[^A-Z]/g, "") ?? "";
    const reply = await deps.db.asService(orgId, async (tx) => {
      await insertInboundSms(tx, orgId, { from, to: String(body.To ?? ""), body: text, externalId: body.MessageSid ?? null });
      if (!/^\+[1-9]\d{6,14}$/.test(from)) return null;
      if (STOP_WORDS.has(keyword)) {
        if (await insertOptOut(tx, orgId, from, keyword))
          await insertTwilioAudit(tx, {
            orgId,
            actorUserId: null,
            actorType: "twilio",
            action: "sms.opted_out",
            targetType: "sms_opt_out",
            targetId: keyword,
            data: { keyword },
          });
        // Twilio's own opt-out handling answers STOP; saying more would be ignored.
        return null;
      }
      if (START_WORDS.has(keyword)) {
        if (await deleteOptOut(tx, orgId, from))
          await insertTwilioAudit(tx, {
            orgId,
            actorUserId: null,
            actorType: "twilio",
            action: "sms.opted_in",
            targetType: "sms_opt_out",
            targetId: keyword,
            data: { keyword },
          });
        return null;
      }
      if (HELP_WORDS.has(keyword)) {
        const rules = await smsRules(tx, orgId);
        return `${rules?.name ?? "Your clinic"}: appointment texts. Call us to change a booking. Reply STOP to stop texts, START to resume.`;
      }
      return null;
    });
    twiml(res, reply ? `<Response><Message>${escapeXml(reply)}</Message></Response>` : "<Response/>");
  });
  return router;
}
