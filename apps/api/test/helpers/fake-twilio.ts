/**
 * A fake Twilio REST API (2010-04-01) on 127.0.0.1 for tests, driven through the real `twilio` SDK
 * (`TWILIO_API_BASE_URL` → `client.api.baseUrl`). It speaks Twilio's wire format: form-encoded
 * requests with Basic auth (account SID + auth token, or API key SID + secret), snake_case JSON
 * resources, list pages keyed by the resource name, and errors as
 * `{ code, message, more_info, status }` with Twilio's codes (20003 bad credentials, 20404 not
 * found, 21211 invalid "To" number, 21450 caller ID already verified…).
 *
 * Resources: Accounts/{Sid}.json, IncomingPhoneNumbers (list by PhoneNumber, update SmsUrl…),
 * Messages (create; keeps StatusCallback so a test can deliver a signed status callback),
 * OutgoingCallerIds (validationRequests.create, outgoingCallerIds.list/remove; `markCallerIdVerified`
 * plays the owner typing the code). `signedRequest` builds a webhook exactly as Twilio would sign
 * it (X-Twilio-Signature with the account's auth token). Add resources by extending `routes`.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";

export type FakeTwilioAccount = {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: "active" | "suspended" | "closed";
  type: "Trial" | "Full";
  /** API keys of this account: SK… → secret. */
  apiKeys: Map<string, string>;
};

export type FakeIncomingNumber = {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string;
  smsMethod: string;
  voiceUrl: string;
};

export type FakeMessage = {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  statusCallback: string | null;
  dateCreated: Date;
};

export type FakeCallerId = { sid: string; accountSid: string; phoneNumber: string; friendlyName: string; dateCreated: Date };
export type FakeValidationRequest = {
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  validationCode: string;
  callSid: string;
  statusCallback: string | null;
};

export type TwilioRecorded = { method: string; path: string; params: Record<string, string>; username: string | null };

type Failure = { method: string; path: RegExp; status: number; code: number; message: string; times: number };

export type FakeTwilio = {
  url: string;
  requests: TwilioRecorded[];
  accounts: Map<string, FakeTwilioAccount>;
  numbers: Map<string, FakeIncomingNumber>;
  messages: FakeMessage[];
  callerIds: Map<string, FakeCallerId>;
  validationRequests: FakeValidationRequest[];
  /** A new account with an auth token; `numbers` are its incoming numbers (E.164). */
  addAccount(input?: { numbers?: string[]; status?: FakeTwilioAccount["status"]; type?: FakeTwilioAccount["type"] }): FakeTwilioAccount;
  addApiKey(accountSid: string): { sid: string; secret: string };
  /** Numbers Twilio refuses to text (error 21211 / 21610…): E.164 → [code, message]. */
  refuseRecipients: Map<string, [number, string]>;
  /** The next `times` requests matching method and path answer `status` with Twilio's error body. */
  failNext(method: string, path: RegExp, status: number, code: number, message: string, times?: number): void;
  /** The owner typed the right code: the number becomes an OutgoingCallerId of the account. */
  markCallerIdVerified(accountSid: string, phoneNumber: string): FakeCallerId;
  /** A webhook as Twilio sends it: form body and X-Twilio-Signature computed with the account's auth token. */
  signedRequest(
    accountSid: string,
    url: string,
    params: Record<string, string>,
  ): { headers: Record<string, string>; body: string; params: Record<string, string> };
  /** The status callback Twilio would send for a message (MessageStatus = delivered, failed, …). */
  messageStatusCallback(
    message: FakeMessage,
    status: string,
    extra?: Record<string, string>,
  ): { url: string; headers: Record<string, string>; body: string; params: Record<string, string> };
  /** The verification result callback (VerificationStatus success/failed) of a validation request. */
  callerIdStatusCallback(
    request: FakeValidationRequest,
    verified: boolean,
  ): { url: string; headers: Record<string, string>; body: string; params: Record<string, string> };
  reset(): void;
  close(): Promise<void>;
};

const hex = (n: number) => randomBytes(n).toString("hex");
export const twilioSid = (prefix: string) => `${prefix}${hex(16)}`;
const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");
const API = "/2010-04-01";

function errorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 1_000_000) throw new Error("body too large");
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function basicAuth(req: IncomingMessage): { username: string; password: string } | null {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i < 0 ? null : { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: TwilioRecorded[] = [];
  const accounts = new Map<string, FakeTwilioAccount>();
  const numbers = new Map<string, FakeIncomingNumber>();
  const messages: FakeMessage[] = [];
  const callerIds = new Map<string, FakeCallerId>();
  const validationRequests: FakeValidationRequest[] = [];
  const refuseRecipients = new Map<string, [number, string]>();
  const failures: Failure[] = [];

  const accountJson = (a: FakeTwilioAccount) => ({
    sid: a.sid,
    friendly_name: a.friendlyName,
    status: a.status,
    type: a.type,
    owner_account_sid: a.sid,
    // Twilio really returns the token here; callers must never log this payload.
    auth_token: a.authToken,
    date_created: rfc2822(new Date()),
    date_updated: rfc2822(new Date()),
    uri: `${API}/Accounts/${a.sid}.json`,
    subresource_uris: {},
  });
  const numberJson = (n: FakeIncomingNumber) => ({
    sid: n.sid,
    account_sid: n.accountSid,
    phone_number: n.phoneNumber,
    friendly_name: n.friendlyName,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    sms_url: n.smsUrl,
    sms_method: n.smsMethod,
    voice_url: n.voiceUrl,
    voice_method: "POST",
    status: "in-use",
    origin: "twilio",
    api_version: "2010-04-01",
    date_created: rfc2822(new Date()),
    date_updated: rfc2822(new Date()),
    uri: `${API}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  });
  const messageJson = (m: FakeMessage) => ({
    sid: m.sid,
    account_sid: m.accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: "outbound-api",
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    num_media: "0",
    price: null,
    price_unit: "USD",
    error_code: null,
    error_message: null,
    messaging_service_sid: null,
    api_version: "2010-04-01",
    date_created: rfc2822(m.dateCreated),
    date_sent: null,
    date_updated: rfc2822(m.dateCreated),
    uri: `${API}/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
    subresource_uris: { media: `${API}/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
  });
  const callerIdJson = (c: FakeCallerId) => ({
    sid: c.sid,
    account_sid: c.accountSid,
    phone_number: c.phoneNumber,
    friendly_name: c.friendlyName,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateCreated),
    uri: `${API}/Accounts/${c.accountSid}/OutgoingCallerIds/${c.sid}.json`,
  });
  const page = (key: string, path: string, items: unknown[], pageSize: number) => ({
    [key]: items.slice(0, pageSize),
    page: 0,
    page_size: pageSize,
    start: 0,
    end: Math.max(0, Math.min(items.length, pageSize) - 1),
    uri: path,
    first_page_uri: path,
    next_page_uri: null,
    previous_page_uri: null,
  });

  /** The account the credentials unlock, or null (20003). API keys may not read /Accounts (Twilio: a Main key is needed). */
  function authenticate(req: IncomingMessage, accountSid: string, path: string): FakeTwilioAccount | null {
    const creds = basicAuth(req);
    const account = accounts.get(accountSid);
    if (!creds || !account) return null;
    if (creds.username === account.sid) return creds.password === account.authToken ? account : null;
    if (account.apiKeys.get(creds.username) === creds.password) return path === `${API}/Accounts/${accountSid}.json` ? null : account;
    return null;
  }

  type Ctx = { req: IncomingMessage; method: string; path: string; query: URLSearchParams; params: Record<string, string>; account: FakeTwilioAccount };
  type Handler = (ctx: Ctx, match: RegExpMatchArray) => [number, unknown];
  const routes: { method: string; path: RegExp; handle: Handler }[] = [
    { method: "GET", path: /^\/2010-04-01\/Accounts\/(AC\w+)\.json$/, handle: ({ account }) => [200, accountJson(account)] },
    {
      method: "GET",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/IncomingPhoneNumbers\.json$/,
      handle: ({ account, query, path }) => {
        const wanted = query.get("PhoneNumber");
        const items = [...numbers.values()]
          .filter((n) => n.accountSid === account.sid)
          // Twilio matches partial numbers too; callers compare the full number themselves.
          .filter((n) => !wanted || n.phoneNumber.includes(wanted.replace(/\*/g, "")))
          .map(numberJson);
        return [200, page("incoming_phone_numbers", path, items, Number(query.get("PageSize") ?? 50))];
      },
    },
    {
      method: "POST",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/IncomingPhoneNumbers\/(PN\w+)\.json$/,
      handle: ({ account, params }, m) => {
        const n = numbers.get(m[2]!);
        if (!n || n.accountSid !== account.sid) return [404, errorBody(404, 20404, `The requested resource ${m[0]} was not found`)];
        if (params.SmsUrl !== undefined) n.smsUrl = params.SmsUrl;
        if (params.SmsMethod !== undefined) n.smsMethod = params.SmsMethod;
        if (params.VoiceUrl !== undefined) n.voiceUrl = params.VoiceUrl;
        if (params.FriendlyName !== undefined) n.friendlyName = params.FriendlyName;
        return [200, numberJson(n)];
      },
    },
    {
      method: "POST",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/,
      handle: ({ account, params }) => {
        const to = params.To ?? "";
        if (!/^\+[1-9]\d{6,14}$/.test(to)) return [400, errorBody(400, 21211, `The 'To' number ${to} is not a valid phone number.`)];
        const refused = refuseRecipients.get(to);
        if (refused) return [400, errorBody(400, refused[0], refused[1])];
        const from = params.From ?? "";
        if (![...numbers.values()].some((n) => n.accountSid === account.sid && n.phoneNumber === from))
          return [400, errorBody(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`)];
        if (!params.Body) return [400, errorBody(400, 21602, "Message body is required.")];
        const message: FakeMessage = {
          sid: twilioSid("SM"),
          accountSid: account.sid,
          to,
          from,
          body: params.Body,
          status: "queued",
          statusCallback: params.StatusCallback ?? null,
          dateCreated: new Date(),
        };
        messages.push(message);
        return [201, messageJson(message)];
      },
    },
    {
      method: "POST",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/OutgoingCallerIds\.json$/,
      handle: ({ account, params }) => {
        const phoneNumber = params.PhoneNumber ?? "";
        if (!/^\+[1-9]\d{6,14}$/.test(phoneNumber)) return [400, errorBody(400, 21421, `PhoneNumber ${phoneNumber} is invalid.`)];
        if (params.CallDelay !== undefined && !(Number(params.CallDelay) >= 0 && Number(params.CallDelay) <= 60))
          return [400, errorBody(400, 21454, "Invalid CallDelay")];
        if ([...callerIds.values()].some((c) => c.accountSid === account.sid && c.phoneNumber === phoneNumber))
          return [400, errorBody(400, 21450, "Phone number already validated on your account.")];
        const request: FakeValidationRequest = {
          accountSid: account.sid,
          phoneNumber,
          friendlyName: params.FriendlyName ?? phoneNumber,
          validationCode: String(Math.floor(100000 + Math.random() * 900000)),
          callSid: twilioSid("CA"),
          statusCallback: params.StatusCallback ?? null,
        };
        validationRequests.push(request);
        return [
          201,
          {
            account_sid: request.accountSid,
            call_sid: request.callSid,
            friendly_name: request.friendlyName,
            phone_number: request.phoneNumber,
            validation_code: request.validationCode,
          },
        ];
      },
    },
    {
      method: "GET",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/OutgoingCallerIds\.json$/,
      handle: ({ account, query, path }) => {
        const wanted = query.get("PhoneNumber");
        const items = [...callerIds.values()].filter((c) => c.accountSid === account.sid && (!wanted || c.phoneNumber === wanted)).map(callerIdJson);
        return [200, page("outgoing_caller_ids", path, items, Number(query.get("PageSize") ?? 50))];
      },
    },
    {
      method: "DELETE",
      path: /^\/2010-04-01\/Accounts\/(AC\w+)\/OutgoingCallerIds\/(PN\w+)\.json$/,
      handle: ({ account }, m) => {
        const c = callerIds.get(m[2]!);
        if (!c || c.accountSid !== account.sid) return [404, errorBody(404, 20404, `The requested resource ${m[0]} was not found`)];
        callerIds.delete(c.sid);
        return [204, null];
      },
    },
  ];

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const send = (status: number, payload: unknown) => {
      if (status === 204) return res.writeHead(204).end();
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    };
    let params: Record<string, string>;
    try {
      params = method === "GET" || method === "DELETE" ? {} : await readForm(req);
    } catch {
      return send(400, errorBody(400, 20001, "Unable to read the request body."));
    }
    requests.push({ method, path, params, username: basicAuth(req)?.username ?? null });

    const failure = failures.find((f) => f.method === method && f.path.test(path) && f.times > 0);
    if (failure) {
      failure.times--;
      return send(failure.status, errorBody(failure.status, failure.code, failure.message));
    }
    for (const route of routes) {
      const m = route.method === method ? path.match(route.path) : null;
      if (!m) continue;
      const account = authenticate(req, m[1]!, path);
      if (!account) return send(401, errorBody(401, 20003, "Authenticate"));
      const [status, payload] = route.handle({ req, method, path, query: url.searchParams, params, account }, m);
      return send(status, payload);
    }
    return send(404, errorBody(404, 20404, `The requested resource ${path} was not found`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const signedRequest = (accountSid: string, url: string, params: Record<string, string>) => {
    const account = accounts.get(accountSid);
    if (!account) throw new Error(`no fake Twilio account ${accountSid}`);
    const signature = twilio.getExpectedTwilioSignature(account.authToken, url, params);
    return {
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, "user-agent": "TwilioProxy/1.1" },
      body: new URLSearchParams(params).toString(),
      params,
    };
  };

  const fake: FakeTwilio = {
    url: `http://127.0.0.1:${port}`,
    requests,
    accounts,
    numbers,
    messages,
    callerIds,
    validationRequests,
    refuseRecipients,
    addAccount(input = {}) {
      const account: FakeTwilioAccount = {
        sid: twilioSid("AC"),
        authToken: hex(16),
        friendlyName: "Clinic account",
        status: input.status ?? "active",
        type: input.type ?? "Full",
        apiKeys: new Map(),
      };
      accounts.set(account.sid, account);
      for (const phoneNumber of input.numbers ?? []) {
        const sid = twilioSid("PN");
        numbers.set(sid, { sid, accountSid: account.sid, phoneNumber, friendlyName: phoneNumber, smsUrl: "", smsMethod: "POST", voiceUrl: "" });
      }
      return account;
    },
    addApiKey(accountSid) {
      const key = { sid: twilioSid("SK"), secret: hex(16) };
      accounts.get(accountSid)!.apiKeys.set(key.sid, key.secret);
      return key;
    },
    failNext(method, path, status, code, message, times = 1) {
      failures.push({ method, path, status, code, message, times });
    },
    markCallerIdVerified(accountSid, phoneNumber) {
      const request = [...validationRequests].reverse().find((r) => r.accountSid === accountSid && r.phoneNumber === phoneNumber);
      const callerId: FakeCallerId = {
        sid: twilioSid("PN"),
        accountSid,
        phoneNumber,
        friendlyName: request?.friendlyName ?? phoneNumber,
        dateCreated: new Date(),
      };
      callerIds.set(callerId.sid, callerId);
      return callerId;
    },
    signedRequest,
    messageStatusCallback(message, status, extra = {}) {
      if (!message.statusCallback) throw new Error("the message was sent without a StatusCallback");
      const params = {
        AccountSid: message.accountSid,
        ApiVersion: "2010-04-01",
        From: message.from,
        To: message.to,
        MessageSid: message.sid,
        SmsSid: message.sid,
        SmsStatus: status,
        MessageStatus: status,
        ...extra,
      };
      return { url: message.statusCallback, ...signedRequest(message.accountSid, message.statusCallback, params) };
    },
    callerIdStatusCallback(request, verified) {
      if (!request.statusCallback) throw new Error("the validation request has no StatusCallback");
      const callerId = verified ? fake.markCallerIdVerified(request.accountSid, request.phoneNumber) : null;
      const params: Record<string, string> = {
        AccountSid: request.accountSid,
        ApiVersion: "2010-04-01",
        CallSid: request.callSid,
        CallStatus: "completed",
        Called: request.phoneNumber,
        To: request.phoneNumber,
        Direction: "outbound-api",
        VerificationStatus: verified ? "success" : "failed",
        ...(callerId ? { OutgoingCallerIdSid: callerId.sid } : {}),
      };
      return { url: request.statusCallback, ...signedRequest(request.accountSid, request.statusCallback, params) };
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; end them so close() does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
  return fake;
}
