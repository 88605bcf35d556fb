/**
 * A fake Twilio REST API on 127.0.0.1 for caller-ID verification, speaking what the `twilio` SDK
 * sends and reads (2010-04-01 API: form-encoded requests, snake_case JSON, `{code, message,
 * more_info, status}` errors, paged lists):
 *   POST   /2010-04-01/Accounts/{AC}/OutgoingCallerIds.json        validationRequests.create → 201
 *   GET    /2010-04-01/Accounts/{AC}/OutgoingCallerIds.json         outgoingCallerIds.list (PhoneNumber filter)
 *   DELETE /2010-04-01/Accounts/{AC}/OutgoingCallerIds/{PN}.json    outgoingCallerIds(sid).remove → 204
 * Twilio generates the 6-digit code; `keypad(phone, digits)` plays the phone's owner typing digits
 * during Twilio's call: the right code adds the caller ID, and either way the StatusCallback is
 * POSTed, signed the way Twilio signs (X-Twilio-Signature over the callback URL and the form fields,
 * with the account's auth token). `deliverTo` rewrites only where the callback is sent (the signed
 * URL stays the public one), like a proxy in front of the API.
 *
 * Also usable as a separate process (e2e): `startFakeTwilioCallerIds({ port })` plus the control
 * endpoint POST /__fake/keypad {phoneNumber, digits}.
 */
import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";

export type FakeTwilioAccount = { accountSid: string; authToken: string };
type Validation = { accountSid: string; phoneNumber: string; friendlyName: string; code: string; callSid: string; statusCallback: string | null };
export type CallerIdRecord = { sid: string; accountSid: string; phoneNumber: string; friendlyName: string; dateCreated: string };
export type Recorded = { method: string; path: string; form: Record<string, string>; query: Record<string, string> };

export type FakeTwilioCallerIds = {
  url: string;
  account: FakeTwilioAccount;
  requests: Recorded[];
  callerIds: Map<string, CallerIdRecord>;
  /** The last validation request Twilio got for the number (its code is what the screen should show). */
  lastValidation(phoneNumber: string): Validation | undefined;
  /** The phone's owner types `digits` during Twilio's call; resolves with the callback's HTTP status (null: no callback URL). */
  keypad(phoneNumber: string, digits: string): Promise<number | null>;
  /** Sends a StatusCallback as Twilio would, signed with `authToken` (default: the account's). */
  sendStatusCallback(url: string, params: Record<string, string>, authToken?: string): Promise<number>;
  /** The next `times` requests matching method and path answer with a Twilio error. */
  failNext(method: string, path: RegExp, status: number, code: number, message: string, times?: number): void;
  reset(): void;
  close(): Promise<void>;
};

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
export const fakeAccount = (): FakeTwilioAccount => ({ accountSid: `AC${hex(16)}`, authToken: hex(16) });

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 100_000) throw new Error("body too large");
  }
  return raw;
}

export async function startFakeTwilioCallerIds(
  options: { account?: FakeTwilioAccount; port?: number; deliverTo?: (callbackUrl: string) => string } = {},
): Promise<FakeTwilioCallerIds> {
  const account = options.account ?? fakeAccount();
  const requests: Recorded[] = [];
  const callerIds = new Map<string, CallerIdRecord>();
  const validations = new Map<string, Validation>();
  const failures: { method: string; path: RegExp; status: number; code: number; message: string; times: number }[] = [];
  const deliverTo = options.deliverTo ?? ((u: string) => u);

  const sendStatusCallback = async (url: string, params: Record<string, string>, authToken = account.authToken) => {
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    const res = await fetch(deliverTo(url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, "user-agent": "TwilioProxy/1.1" },
      body: new URLSearchParams(params).toString(),
    });
    await res.arrayBuffer();
    return res.status;
  };

  const keypad = async (phoneNumber: string, digits: string) => {
    const v = validations.get(phoneNumber);
    if (!v) throw new Error(`fake Twilio: no verification call to ${phoneNumber}`);
    const success = digits === v.code;
    let sid: string | null = null;
    if (success) {
      sid = `PN${hex(16)}`;
      callerIds.set(sid, { sid, accountSid: v.accountSid, phoneNumber, friendlyName: v.friendlyName, dateCreated: new Date().toUTCString() });
    }
    validations.delete(phoneNumber);
    if (!v.statusCallback) return null;
    const params: Record<string, string> = {
      AccountSid: v.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: v.callSid,
      CallStatus: "completed",
      Called: phoneNumber,
      Caller: "+14155238886",
      Direction: "outbound-api",
      From: "+14155238886",
      To: phoneNumber,
      VerificationStatus: success ? "success" : "failed",
      ...(sid ? { OutgoingCallerIdSid: sid } : {}),
    };
    return sendStatusCallback(v.statusCallback, params);
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const send = (status: number, payload?: unknown) => {
      if (payload === undefined) return res.writeHead(status).end();
      return res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    };
    const error = (status: number, code: number, message: string) =>
      send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      return error(400, 20001, "Request body too large");
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    const query = Object.fromEntries(url.searchParams);

    if (method === "POST" && url.pathname === "/__fake/keypad") {
      const body = JSON.parse(raw || "{}") as { phoneNumber: string; digits: string };
      try {
        return send(200, { callbackStatus: await keypad(body.phoneNumber, body.digits) });
      } catch (err) {
        return send(404, { message: (err as Error).message });
      }
    }
    requests.push({ method, path: url.pathname, form, query });

    const failure = failures.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
    if (failure) {
      failure.times--;
      return error(failure.status, failure.code, failure.message);
    }
    const auth = req.headers.authorization ?? "";
    const [user, pass] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
      .toString("utf8")
      .split(":");
    if (user !== account.accountSid || pass !== account.authToken) return error(401, 20003, "Authenticate");

    const base = `/2010-04-01/Accounts/${account.accountSid}/OutgoingCallerIds`;
    const payloadOf = (c: CallerIdRecord) => ({
      sid: c.sid,
      account_sid: c.accountSid,
      friendly_name: c.friendlyName,
      phone_number: c.phoneNumber,
      date_created: c.dateCreated,
      date_updated: c.dateCreated,
      uri: `${base}/${c.sid}.json`,
    });

    if (url.pathname === `${base}.json` && method === "POST") {
      const phone = form.PhoneNumber ?? "";
      if (!/^\+[1-9][0-9]{6,14}$/.test(phone)) return error(400, 21421, "PhoneNumber is invalid");
      if ([...callerIds.values()].some((c) => c.phoneNumber === phone)) return error(400, 21450, "Phone number already validated on your account");
      const v: Validation = {
        accountSid: account.accountSid,
        phoneNumber: phone,
        friendlyName: form.FriendlyName ?? phone,
        code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
        callSid: `CA${hex(16)}`,
        statusCallback: form.StatusCallback ?? null,
      };
      validations.set(phone, v);
      return send(201, { account_sid: v.accountSid, call_sid: v.callSid, friendly_name: v.friendlyName, phone_number: phone, validation_code: v.code });
    }
    if (url.pathname === `${base}.json` && method === "GET") {
      const wanted = query.PhoneNumber;
      const list = [...callerIds.values()].filter((c) => !wanted || c.phoneNumber === wanted);
      const pageSize = Number(query.PageSize ?? 50);
      return send(200, {
        outgoing_caller_ids: list.slice(0, pageSize).map(payloadOf),
        first_page_uri: `${base}.json?PageSize=${pageSize}&Page=0`,
        next_page_uri: null,
        previous_page_uri: null,
        page: 0,
        page_size: pageSize,
        start: 0,
        end: Math.max(0, Math.min(list.length, pageSize) - 1),
        uri: `${base}.json?PageSize=${pageSize}&Page=0`,
      });
    }
    const one = url.pathname.match(new RegExp(`^${base}/(PN[0-9a-f]{32})\\.json$`));
    if (one && method === "DELETE") {
      if (!callerIds.delete(one[1]!)) return error(404, 20404, `The requested resource ${url.pathname} was not found`);
      return send(204);
    }
    return error(404, 20404, `The requested resource ${url.pathname} was not found`);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    account,
    requests,
    callerIds,
    lastValidation: (phone) => validations.get(phone),
    keypad,
    sendStatusCallback,
    failNext: (method, path, status, code, message, times = 1) => failures.push({ method, path, status, code, message, times }),
    reset: () => {
      requests.length = 0;
      callerIds.clear();
      validations.clear();
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
