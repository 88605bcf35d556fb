/**
 * One definition per tool (packages/contracts/src/vapi-tools.ts) feeds three things; this proves
 * they agree: the handlers the app answers with, the JSON schema published to Vapi, and the
 * arguments the simulator sends.
 */
import { checkToolArgs, readToolArgs, VAPI_TOOL_NAMES, vapiFunctionDefinition, vapiTools, type VapiToolDefinition } from "@voxanne/contracts";
import { describe, expect, it } from "vitest";
import { builtInTools } from "../src/integrations/vapi/tools";
import { simCaller } from "../src/simulator/identity";
import { SCENARIO_NAMES } from "../src/simulator/scenarios";
import type { VapiTransport } from "../src/simulator/transport";
import { createTestApp } from "./helpers/app";
import { listen } from "./helpers/http";
import { playScenario, testTransport } from "./helpers/postcall";
import { createClinic, TestClock } from "./helpers/vapi";

const definitions = Object.values(vapiTools) as VapiToolDefinition[];

describe("the tool definitions and the handlers", () => {
  it("every definition has exactly one handler and every handler answers with its own definition", () => {
    expect(builtInTools.map((t) => t.definition.name).sort()).toEqual([...VAPI_TOOL_NAMES].sort());
    for (const tool of builtInTools) expect(tool.definition).toBe(vapiTools[tool.definition.name as keyof typeof vapiTools]);
  });

  it("the handler reads each field under its own name and under every alias, trimmed, numbers as text", () => {
    for (const def of definitions) {
      for (const field of Object.keys(def.parameters.shape)) {
        for (const key of [field, ...(def.aliases[field] ?? [])]) {
          expect(readToolArgs(def, { [key]: "  Maria Lopez  " }), `${def.name}.${field} via ${key}`).toMatchObject({ [field]: "Maria Lopez" });
        }
        // A number is read as text; a name is never a number.
        if (field === "name") expect(readToolArgs(def, { [field]: 42 })).not.toHaveProperty(field);
        else expect(readToolArgs(def, { [field]: 42 })).toMatchObject({ [field]: "42" });
      }
    }
  });

  it("the canonical name wins over an alias, and empty values are skipped", () => {
    const args = readToolArgs(vapiTools.bookClinicAppointment, { patientName: "Alias Name", name: "Canonical Name", phone: "  ", phoneNumber: "+12125550100" });
    expect(args).toEqual({ name: "Canonical Name", phone: "+12125550100" });
  });
});

describe("the tool definitions and the JSON schema published to Vapi", () => {
  it("publishes exactly the canonical fields, with the required ones marked and no aliases", () => {
    for (const def of definitions) {
      const published = vapiFunctionDefinition(def);
      const schema = published.parameters as {
        type: string;
        properties: Record<string, { type: string; maxLength?: number; description?: string }>;
        required?: string[];
      };
      expect(published.name).toBe(def.name);
      expect(published.description.length).toBeGreaterThan(20);
      expect(schema.type).toBe("object");
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(def.parameters.shape).sort());
      const required = Object.entries(def.parameters.shape)
        .filter(([, s]) => !s.safeParse(undefined).success)
        .map(([k]) => k);
      expect((schema.required ?? []).sort()).toEqual(required.sort());
      // An alias is accepted, never published (unless it is another field's own name, like "date").
      const aliasesOnly = Object.values(def.aliases)
        .flatMap((a) => a ?? [])
        .filter((a) => !(a in def.parameters.shape));
      for (const alias of aliasesOnly) expect(schema.properties).not.toHaveProperty(alias);
    }
  });

  it("the handler refuses a value longer than the maximum the published schema announces, with a line to ask again", () => {
    for (const def of definitions) {
      const { properties } = vapiFunctionDefinition(def).parameters as { properties: Record<string, { maxLength?: number }> };
      for (const [field, prop] of Object.entries(properties)) {
        expect(prop.maxLength, `${def.name}.${field} has a maximum`).toBeTypeOf("number");
        expect(checkToolArgs(def, { [field]: "x".repeat(prop.maxLength!) }).args, `${def.name}.${field} at its maximum`).toHaveProperty(field);
        const over = checkToolArgs(def, { [field]: "x".repeat(prop.maxLength! + 1) });
        expect(over.args).not.toHaveProperty(field);
        expect(over.refused).toEqual([{ field, reask: expect.stringMatching(/^(Sorry|Could|Would)[^{}]*\?$/) }]);
      }
    }
  });

  it("the spec's eight tools are defined", () => {
    expect([...VAPI_TOOL_NAMES].sort()).toEqual(
      [
        "bookClinicAppointment",
        "cancelAppointment",
        "checkAvailability",
        "getServicePrice",
        "lookupCaller",
        "rescheduleAppointment",
        "searchKnowledgeBase",
        "transferCall",
      ].sort(),
    );
  });
});

describe("the tool definitions and the simulator", () => {
  it("every scenario calls only defined tools, with only published argument names, and no call is refused for its arguments", async () => {
    const clock = new TestClock(new Date("2026-11-30T15:00:00Z"));
    const t = await createTestApp({ clock });
    const http = await listen(t.app);
    const clinic = await createClinic(t.admin, { minCancelNoticeMinutes: 0 });
    const sent: { name: string; args: Record<string, unknown> }[] = [];
    const real = testTransport(http, t.config.vapiWebhookSecret);
    const recording: VapiTransport = {
      post(path, body) {
        const message = (body as { message: { type: string; toolCallList?: { function: { name: string; arguments: Record<string, unknown> } }[] } }).message;
        if (message.type === "tool-calls") for (const c of message.toolCallList ?? []) sent.push({ name: c.function.name, args: c.function.arguments });
        return real.post(path, body);
      },
    };
    for (const [i, name] of SCENARIO_NAMES.entries()) {
      await playScenario(name, { transport: recording, identity: clinic, caller: simCaller(i), otherCaller: simCaller(i + 50) });
    }

    expect(new Set(sent.map((c) => c.name)).size).toBeGreaterThanOrEqual(6);
    for (const call of sent) {
      const def = vapiTools[call.name as keyof typeof vapiTools];
      expect(def, `simulator calls ${call.name}`).toBeDefined();
      const published = Object.keys((vapiFunctionDefinition(def).parameters as { properties: object }).properties);
      for (const key of Object.keys(call.args)) expect(published, `${call.name}(${key})`).toContain(key);
    }
    // The handlers understood every argument the simulator sent: no "I need …" / "couldn't read" refusals.
    const { rows } = await t.admin.query<{ tool_name: string; error: string | null }>("select tool_name, error from tool_invocations where org_id = $1", [
      clinic.orgId,
    ]);
    expect(rows.length).toBe(sent.length);
    expect(rows.filter((r) => r.error !== null)).toEqual([]);
  });
});
