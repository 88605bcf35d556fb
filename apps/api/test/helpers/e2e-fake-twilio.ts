/**
 * The fake Twilio (test/helpers/fake-twilio.ts) for the dashboard's e2e runs, as its own process:
 *   node --import tsx test/helpers/e2e-fake-twilio.ts <port> <clinic owner's email>
 * run in apps/api with the e2e API's DATA_DIR. It listens on <port> (the e2e API's
 * TWILIO_API_BASE_URL), passing Twilio's REST calls to the fake, connects the clinic's Twilio
 * account to the fake's through the API's credential vault, prints "ready", and answers a few
 * control requests for the browser test:
 *   GET  /__e2e/validation?phoneNumber=+1…   Twilio's code for the last call to the number, and how many calls
 *   POST /__e2e/keypad {phoneNumber, digits}  the phone's owner types digits; Twilio posts the signed StatusCallback
 */
import { createServer, request as httpRequest } from "node:http";
import { openCliDatabase } from "../../src/cli/database";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { saveCredential } from "../../src/modules/credentials/service";
import { startFakeTwilio } from "./fake-twilio";

const [portArg, email] = process.argv.slice(2);
if (!portArg || !email) throw new Error("usage: e2e-fake-twilio.ts <port> <clinic owner's email>");

const twilio = await startFakeTwilio();
const account = twilio.addAccount();
const upstream = new URL(twilio.url);

const config = loadConfig();
const database = await openCliDatabase(config, createLogger({ level: "warn" }), { migrate: false });
try {
  await database.db.asSystem(async (db) => {
    const { rows } = await db.query<{ org_id: string }>("select org_id from public.profiles where lower(email) = lower($1) limit 1", [email]);
    const orgId = rows[0]?.org_id;
    if (!orgId) throw new Error(`no clinic member with email ${email}`);
    await saveCredential(db, config.encryptionKeys, orgId, "twilio", { accountSid: account.sid, authToken: account.authToken });
  });
} finally {
  await database.close();
}

const lastValidation = (phone: string) => [...twilio.validationRequests].reverse().find((r) => r.phoneNumber === phone);
const json = (res: import("node:http").ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/__e2e/validation") {
    const phone = url.searchParams.get("phoneNumber") ?? "";
    const calls = twilio.requests.filter((r) => r.method === "POST" && r.params.PhoneNumber === phone);
    return json(res, 200, {
      validationCode: lastValidation(phone)?.validationCode ?? null,
      calls: calls.length,
      statusCallback: calls[0]?.params.StatusCallback ?? null,
    });
  }
  if (url.pathname === "/__e2e/keypad" && req.method === "POST") {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const { phoneNumber, digits } = JSON.parse(raw) as { phoneNumber: string; digits: string };
    const validation = lastValidation(phoneNumber);
    if (!validation) return json(res, 404, { message: `no verification call to ${phoneNumber}` });
    const callback = twilio.callerIdStatusCallback(validation, digits === validation.validationCode);
    const sent = await fetch(callback.url, { method: "POST", headers: callback.headers, body: callback.body });
    return json(res, 200, { callbackStatus: sent.status });
  }
  // Everything else is Twilio's REST API: pass it to the fake as it came.
  const proxied = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  proxied.on("error", () => json(res, 502, { message: "fake Twilio unreachable" }));
  req.pipe(proxied);
});
server.listen(Number(portArg), "127.0.0.1", () => process.stdout.write("ready\n"));

const stop = () => {
  server.closeAllConnections();
  server.close();
  void twilio.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
