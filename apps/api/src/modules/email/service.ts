/**
 * The one outbound email path (invites, password resets, daily summaries, and later shared links
 * and reminders). Every email is recorded in `messages` (method 'email', purpose = its kind).
 *
 * - `SMTP_URL` set: sent through nodemailer; the stored copy has the email's secret links
 *   (`secrets`) replaced, so the database never holds a working invite or reset token.
 * - Not set, outside production: the **development outbox**. Nothing leaves the machine; the email
 *   is stored whole (links included) and listed on the dashboard's Outbox page, where its links work.
 * - Not set in production: recorded as not sent, with what to set.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../../config";
import type { Database } from "../../db/database";
import { insertMessage, updateMessageOutcome } from "../messages/queries";
import { listOutbox, recordedEmail, setSubject } from "./queries";

export type EmailMode = "smtp" | "outbox" | "off";

export type Email = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What it is for (`messages.purpose`): team_invite, password_reset, daily_summary, … */
  kind: string;
  /** Parts of the text that must not be stored when the email really goes out (links with tokens). */
  secrets?: string[];
  /** A retried job finds its earlier email instead of sending twice. */
  idempotencyKey?: string;
};

export type EmailOutcome =
  | { status: "sent"; messageId: string }
  | { status: "outbox"; messageId: string }
  | { status: "not_sent" | "failed"; messageId: string; reason: string }
  | { status: "duplicate"; messageId: string };

export const OUTBOX_REASON = "Development outbox: SMTP_URL is not set, so this email stayed on this machine. Open it from the Outbox page.";
export const EMAIL_NOT_CONFIGURED = "Email is not configured on this server: set SMTP_URL (e.g. smtps://user:pass@smtp.example.com:465) and EMAIL_FROM.";

export function emailMode(config: Pick<Config, "SMTP_URL" | "NODE_ENV">): EmailMode {
  if (config.SMTP_URL) return "smtp";
  return config.NODE_ENV === "production" ? "off" : "outbox";
}

const transports = new Map<string, Transporter>();

/** One pooled nodemailer transport per SMTP_URL for the process. */
function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

const redact = (text: string, secrets: readonly string[] = []) => secrets.reduce((t, s) => (s ? t.split(s).join("[link removed]") : t), text);

/** `messages.content` holds at most 5000 characters. */
const fitContent = (text: string) => (text.length > 5000 ? `${text.slice(0, 4990)}\n[…]` : text);

export type EmailDeps = { db: Database; config: Pick<Config, "SMTP_URL" | "NODE_ENV" | "EMAIL_FROM">; now?: () => Date };

/**
 * Sends (or keeps in the outbox) one email for a clinic, and records it. Never throws for a
 * delivery failure: the outcome says what happened, and the `messages` row says it too.
 */
export async function sendEmail(deps: EmailDeps, orgId: string, email: Email): Promise<EmailOutcome> {
  const mode = emailMode(deps.config);
  const now = deps.now ?? (() => new Date());
  const stored = fitContent(mode === "outbox" ? email.text : redact(email.text, email.secrets));
  const row = await deps.db.asService(orgId, async (tx) => {
    const inserted = await insertMessage(tx, orgId, {
      method: "email",
      purpose: email.kind,
      recipient: email.to,
      content: stored,
      status: mode === "smtp" ? "queued" : "not_sent",
      statusReason: mode === "outbox" ? OUTBOX_REASON : mode === "off" ? EMAIL_NOT_CONFIGURED : null,
      serviceProvider: mode === "smtp" ? "smtp" : mode === "outbox" ? "outbox" : null,
      idempotencyKey: email.idempotencyKey ?? null,
    });
    if (inserted.inserted) await setSubject(tx, orgId, inserted.id, email.subject.slice(0, 300));
    return inserted;
  });
  if (!row.inserted && row.status !== "queued") return { status: "duplicate", messageId: row.id };
  if (mode === "outbox") return { status: "outbox", messageId: row.id };
  if (mode === "off") return { status: "not_sent", messageId: row.id, reason: EMAIL_NOT_CONFIGURED };

  try {
    const info = await transportFor(deps.config.SMTP_URL!).sendMail({
      from: deps.config.EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      ...(email.html ? { html: email.html } : {}),
    });
    await deps.db.asService(orgId, (tx) =>
      updateMessageOutcome(tx, orgId, row.id, { status: "sent", serviceProvider: "smtp", externalMessageId: info.messageId ?? null, sentAt: now() }),
    );
    return { status: "sent", messageId: row.id };
  } catch (err) {
    // The SMTP server's own words (e.g. "550 mailbox unavailable"), never credentials: the URL is not in them.
    const reason = `The mail server refused or could not be reached: ${(err as Error).message}`.slice(0, 500);
    await deps.db.asService(orgId, (tx) => updateMessageOutcome(tx, orgId, row.id, { status: "failed", statusReason: reason }));
    return { status: "failed", messageId: row.id, reason };
  }
}

/**
 * Delivers an email a dashboard action recorded as queued (a reminder, a shared recording link),
 * the same way sendEmail would: SMTP when configured, else the development outbox, else not sent
 * with what to set. A message already decided is left alone, so a retried job never sends twice.
 */
export async function deliverRecordedEmail(deps: EmailDeps, orgId: string, messageId: string): Promise<EmailOutcome | null> {
  const email = await deps.db.asService(orgId, (tx) => recordedEmail(tx, orgId, messageId));
  if (email?.status !== "queued" || !email.recipient) return null;
  const mode = emailMode(deps.config);
  const now = deps.now ?? (() => new Date());
  if (mode !== "smtp") {
    const reason = mode === "outbox" ? OUTBOX_REASON : EMAIL_NOT_CONFIGURED;
    await deps.db.asService(orgId, (tx) =>
      updateMessageOutcome(tx, orgId, messageId, { status: "not_sent", statusReason: reason, serviceProvider: mode === "outbox" ? "outbox" : null }),
    );
    return mode === "outbox" ? { status: "outbox", messageId } : { status: "not_sent", messageId, reason };
  }
  try {
    const info = await transportFor(deps.config.SMTP_URL!).sendMail({
      from: deps.config.EMAIL_FROM,
      to: email.recipient,
      subject: email.subject ?? "A message from your clinic",
      text: email.content,
    });
    await deps.db.asService(orgId, (tx) =>
      updateMessageOutcome(tx, orgId, messageId, { status: "sent", serviceProvider: "smtp", externalMessageId: info.messageId ?? null, sentAt: now() }),
    );
    return { status: "sent", messageId };
  } catch (err) {
    const reason = `The mail server refused or could not be reached: ${(err as Error).message}`.slice(0, 500);
    await deps.db.asService(orgId, (tx) => updateMessageOutcome(tx, orgId, messageId, { status: "failed", statusReason: reason }));
    return { status: "failed", messageId, reason };
  }
}

const LINK = /https?:\/\/[^\s<>"')]+/g;

/** The development outbox as the dashboard shows it; empty (with why) when email really goes out or is off. */
export async function readOutbox(db: Database, orgId: string, config: Pick<Config, "SMTP_URL" | "NODE_ENV">) {
  const mode = emailMode(config);
  const reason =
    mode === "smtp" ? "Emails go out through SMTP_URL, so there is no outbox: check the recipients' inboxes." : mode === "off" ? EMAIL_NOT_CONFIGURED : null;
  const rows = mode === "outbox" ? await db.asService(orgId, (tx) => listOutbox(tx, orgId, 100)) : [];
  return {
    mode,
    reason,
    emails: rows.map((r) => ({
      id: r.id,
      to: r.recipient,
      subject: r.subject,
      text: r.content,
      kind: r.purpose,
      createdAt: r.created_at.toISOString(),
      links: r.content.match(LINK) ?? [],
    })),
  };
}
