/**
 * `npm run simulate -- --scenario <name>`: plays signed Vapi webhooks at a running backend, with
 * realistic timing, so a call shows up live in the dashboard without a phone line.
 *
 *   --scenario <name|all>   one of the scenarios below (required)
 *   --api <url>             backend (default http://localhost:3000 or $API_URL)
 *   --speed <n>             1 = real time (default), 4 = four times faster, 0 = no waiting
 *   --caller <n>            which fictional caller (0–99; default random)
 *   --control               give each call a control URL on 127.0.0.1, so the dashboard's "Transfer
 *                           to me" / "End call" end it (the API must list 127.0.0.1 in
 *                           VAPI_CONTROL_URL_HOSTS)
 *   --assistant <id> --phone-number-id <id> --clinic-number <e164>   the clinic's Vapi identity
 *                           (default: the demo clinic's)
 * The webhook secret comes from $VAPI_WEBHOOK_SECRET or .data/local-secrets.json; with
 * $VAPI_HMAC_SECRET the requests are HMAC-signed too.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../config";
import { type SimControl, startSimControl } from "./control";
import { CallTakenOver, realClock } from "./engine";
import { DEMO_IDENTITY, simCaller } from "./identity";
import { SCENARIO_NAMES, scenarios } from "./scenarios";
import { httpTransport, type VapiTransport } from "./transport";

const out = (line: string) => process.stdout.write(`${line}\n`);

function webhookSecret(): string | undefined {
  if (process.env.VAPI_WEBHOOK_SECRET) return process.env.VAPI_WEBHOOK_SECRET;
  const file = join(process.env.DATA_DIR ?? join(repoRoot, ".data"), "local-secrets.json");
  if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { vapiWebhookSecret?: string }).vapiWebhookSecret;
  return undefined;
}

/** Prints what Vapi would be sending, and what our tools answered. */
function narrated(inner: VapiTransport): VapiTransport {
  return {
    async post(path, body) {
      const m = (body as { message: Record<string, any> }).message;
      const res = await inner.post(path, body);
      const t = new Date().toISOString().slice(11, 19);
      if (m.type === "status-update") out(`${t}  ${m.call.id}  status → ${m.status}`);
      else if (m.type === "tool-calls") {
        const call = m.toolCallList[0];
        const result = (res.json as any)?.results?.[0];
        out(`${t}  ${m.call.id}  ${call.function.name}(${JSON.stringify(call.function.arguments)})`);
        out(`          ↳ ${result?.result ?? result?.error ?? "(no result)"}`);
      } else if (m.type === "end-of-call-report") out(`${t}  ${m.call.id}  end-of-call-report (${m.endedReason})`);
      return res;
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" },
      api: { type: "string" },
      speed: { type: "string", default: "1" },
      caller: { type: "string" },
      assistant: { type: "string" },
      "phone-number-id": { type: "string" },
      "clinic-number": { type: "string" },
      control: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  const list = SCENARIO_NAMES.map((n) => `  ${n.padEnd(30)} ${scenarios[n]!.description}`).join("\n");
  if (values.help || !values.scenario) {
    out(`Usage: npm run simulate -- --scenario <name|all> [--api http://localhost:3000] [--speed 1]\n\nScenarios:\n${list}`);
    process.exit(values.help ? 0 : 2);
  }
  const names = values.scenario === "all" ? SCENARIO_NAMES : [values.scenario];
  const unknown = names.filter((n) => !scenarios[n]);
  if (unknown.length) {
    process.stderr.write(`Unknown scenario "${unknown[0]}". Choose one of:\n${list}\n`);
    process.exit(2);
  }
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0) {
    process.stderr.write("--speed must be a number ≥ 0 (1 = real time, 0 = no waiting)\n");
    process.exit(2);
  }
  const secret = webhookSecret();
  const hmacSecret = process.env.VAPI_HMAC_SECRET;
  if (!secret && !hmacSecret) {
    process.stderr.write("No webhook secret: set VAPI_WEBHOOK_SECRET (or start the backend once so .data/local-secrets.json exists).\n");
    process.exit(2);
  }
  const baseUrl = values.api ?? process.env.API_URL ?? "http://localhost:3000";
  const transport = narrated(httpTransport({ baseUrl, secret, secretHeader: process.env.VAPI_SECRET_HEADER, hmacSecret }));
  const identity = {
    assistantId: values.assistant ?? DEMO_IDENTITY.assistantId,
    phoneNumberId: values["phone-number-id"] ?? DEMO_IDENTITY.phoneNumberId,
    clinicNumber: values["clinic-number"] ?? DEMO_IDENTITY.clinicNumber,
  };
  const callerIndex = values.caller !== undefined ? Number(values.caller) : Math.floor(Math.random() * 100);
  const control: SimControl | undefined = values.control
    ? await startSimControl((callId, request) =>
        out(`${new Date().toISOString().slice(11, 19)}  ${callId}  control → ${request.type === "transfer" ? `transfer to ${request.to}` : "end-call"}`),
      )
    : undefined;
  try {
    for (const name of names) {
      out(`\n▶ ${name}: ${scenarios[name]!.description}`);
      try {
        const result = await scenarios[name]!.run({
          transport,
          clock: realClock(speed),
          identity,
          caller: simCaller(callerIndex),
          otherCaller: simCaller(callerIndex + 1),
          random: Math.random,
          control,
        });
        out(`✓ ${name}: ${result.calls.length} call(s) played — ${result.calls.map((c) => c.id).join(", ")}`);
      } catch (err) {
        if (!(err instanceof CallTakenOver)) throw err;
        out(`✓ ${name}: ${err.message}`);
      }
    }
  } finally {
    await control?.close();
  }
}

main().catch((err) => {
  process.stderr.write(`simulate failed: ${err?.message ?? err}\n`);
  process.exit(1);
});
