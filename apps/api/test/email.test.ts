import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendEmail } from "../src/modules/email/service";
import { createTestApp, TEST_ORIGIN, testConfig, type TestApp } from "./helpers/app";
import { signUpClinic, uniqueEmail } from "./helpers/auth";
import { listen } from "./helpers/http";

/**
 * The one outbound email path, through nodemailer against a local SMTP server (smtp-server, the
 * protocol as real servers speak it): what is sent, what is stored, and failures.
 */

type Received = { from: string; to: string[]; data: string };
const received: Received[] = [];
let port = 0;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, _session, callback) {
    // A mailbox the server refuses, as a real one would (550).
    if (address.address.startsWith("bounce")) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        data: Buffer.concat(chunks).toString("utf8"),
      });
      callback();
    });
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe("with SMTP_URL", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { SMTP_URL: `smtp://127.0.0.1:${port}`, EMAIL_FROM: "Voxanne <hello@voxanne.test>" } });
  });

  it("an invite goes out through SMTP with its link; the stored copy has the link removed; the outbox page says email is real", async () => {
    const http = await listen(t.app);
    const owner = await signUpClinic(t);
    const email = uniqueEmail("smtp-invitee");
    const res = await http.request("POST", "/api/team/invites", { headers: { ...owner.bearer, origin: TEST_ORIGIN }, body: { email, role: "admin" } });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBe("sent");

    const mail = received.find((m) => m.to.includes(email));
    expect(mail).toBeTruthy();
    expect(mail!.from).toBe("hello@voxanne.test");
    const unfolded = mail!.data.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const link = /http:\/\/localhost:3002\/accept-invite\?token=[A-Za-z0-9_-]+/.exec(unfolded)?.[0];
    expect(link).toBeTruthy();

    const rows = await t.admin.query("select status, service_provider, content, subject, sent_at from public.messages where recipient = $1", [email]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ status: "sent", service_provider: "smtp" });
    expect(rows.rows[0].subject).toMatch(/invited you to/);
    expect(rows.rows[0].content).toContain("[link removed]");
    expect(rows.rows[0].content).not.toContain(new URL(link!).searchParams.get("token"));

    // The link from the real email works.
    const preview = await http.request("POST", "/api/auth/invite/preview", {
      headers: { origin: TEST_ORIGIN },
      body: { token: new URL(link!).searchParams.get("token") },
    });
    expect(preview.body).toMatchObject({ email, role: "admin" });

    const outbox = await http.request("GET", "/api/outbox", { headers: { ...owner.bearer } });
    expect(outbox.body).toMatchObject({ mode: "smtp", emails: [] });
  });

  it("a refused recipient is recorded as failed with the server's words, and sendEmail does not throw", async () => {
    const owner = await signUpClinic(t);
    const outcome = await sendEmail({ db: t.db, config: t.config }, owner.orgId, {
      to: "bounce@example.com",
      subject: "Hi",
      text: "Hello",
      kind: "daily_summary",
    });
    expect(outcome.status).toBe("failed");
    const row = await t.admin.query("select status, status_reason from public.messages where id = $1", [outcome.messageId]);
    expect(row.rows[0].status).toBe("failed");
    expect(row.rows[0].status_reason).toMatch(/550|Mailbox unavailable/);
  });

  it("an idempotency key sends once", async () => {
    const owner = await signUpClinic(t);
    const before = received.length;
    const input = { to: "once@example.com", subject: "Once", text: "Only once", kind: "daily_summary", idempotencyKey: `once-${owner.orgId}` };
    const first = await sendEmail({ db: t.db, config: t.config }, owner.orgId, input);
    const second = await sendEmail({ db: t.db, config: t.config }, owner.orgId, input);
    expect([first.status, second.status]).toEqual(["sent", "duplicate"]);
    expect(received.length - before).toBe(1);
  });
});

describe("without SMTP_URL", () => {
  it("in production the email is recorded as not sent, saying what to set, and nothing is kept with its link", async () => {
    const t = await createTestApp();
    const owner = await signUpClinic(t);
    const config = { ...testConfig(), NODE_ENV: "production" as const };
    const outcome = await sendEmail({ db: t.db, config }, owner.orgId, {
      to: "x@example.com",
      subject: "Reset",
      text: "Open https://app.example/reset?token=secret-token-123",
      kind: "password_reset",
      secrets: ["https://app.example/reset?token=secret-token-123"],
    });
    expect(outcome).toMatchObject({ status: "not_sent", reason: expect.stringContaining("SMTP_URL") });
    const row = await t.admin.query("select status, content from public.messages where id = $1", [outcome.messageId]);
    expect(row.rows[0].status).toBe("not_sent");
    expect(row.rows[0].content).not.toContain("secret-token-123");
  });
});
