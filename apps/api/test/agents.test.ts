/**
 * The receptionist in Vapi (the agents API and the agent-sync job) against a fake Vapi API that
 * speaks the SDK's wire format (test/helpers/fake-vapi.ts).
 */
import { vapiTools } from "@voxanne/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createVapiClient } from "../src/integrations/vapi/client";
import type { JobRunner } from "../src/jobs/runner";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { eventually, startTestJobs } from "./helpers/postcall";
import { type FakeVapi, startFakeVapi } from "./helpers/fake-vapi";
import { addVapiIdentity } from "./helpers/vapi";

let vapi: FakeVapi;
let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;

const SETTINGS = {
  name: "Ava",
  firstMessage: "Thanks for calling Bright Smiles, this is Ava. How can I help?",
  systemPrompt: null,
  voice: { provider: "vapi", voiceId: "Savannah" },
  model: { provider: "openai", model: "gpt-4o" },
  transcriber: { provider: "deepgram", model: "nova-3" },
  language: "en-US",
  maxDurationSeconds: 600,
  endCallPhrases: ["goodbye"],
  emergencyScript: null,
  recordingEnabled: true,
  hipaaEnabled: false,
};

beforeAll(async () => {
  vapi = await startFakeVapi();
  t = await createTestApp({
    config: { VAPI_PRIVATE_KEY: "test-vapi-private-key", VAPI_BASE_URL: vapi.url, PUBLIC_API_URL: "https://api.clinic.example", VAPI_PUBLIC_KEY: "pk_test" },
  });
  const client = createVapiClient(t.config);
  jobs = await startTestJobs(t, { vapi: { client, config: t.config } });
  http = await listen(createApp({ ...t.deps, jobs }));
});
afterAll(async () => {
  await jobs?.stop();
  await vapi?.close();
});

const put = (user: TestUser, role: string, body: unknown) => http.request("PUT", `/api/agents/${role}`, { body, headers: user.bearer });
const agentRow = async (orgId: string) => (await t.admin.query("select * from agents where org_id = $1 and role = 'inbound'", [orgId])).rows[0];
const synced = (orgId: string, status = "synced") =>
  eventually(async () => {
    const row = await agentRow(orgId);
    return row?.sync_status === status ? row : null;
  }, 25_000);

describe("saving and syncing a receptionist", () => {
  let owner: TestUser;
  beforeAll(async () => {
    owner = await signUpClinic(t, { clinicName: "Bright Smiles" });
  });

  it("answers at once with pending, then creates exactly one assistant linked to every tool by id", async () => {
    vapi.reset();
    const res = await put(owner, "inbound", SETTINGS);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: "inbound", name: "Ava", syncStatus: "pending" });
    expect(Date.parse(res.body.settingsSavedAt)).not.toBeNaN();
    expect(res.body.renderedPrompt).toContain("Bright Smiles");
    const row = await synced(owner.orgId);

    const created = vapi.sent("POST", "/assistant");
    expect(created).toHaveLength(1);
    const body = created[0]!.body;
    expect(body.model.tools).toBeUndefined();
    expect(body.model.toolIds.sort()).toEqual([...vapi.tools.values()].map((t) => t.id).sort());
    expect([...vapi.tools.values()].map((t) => t.function.name).sort()).toEqual(Object.keys(vapiTools).sort());
    expect(body.server).toEqual({ url: "https://api.clinic.example/api/vapi/webhook", headers: { "x-vapi-secret": t.config.vapiWebhookSecret } });
    for (const tool of vapi.tools.values()) expect(tool.server.url).toBe("https://api.clinic.example/api/vapi/tools");
    // The live transcript (final lines and the history after each turn) comes with the messages we act on.
    expect([...body.serverMessages].sort()).toEqual(
      ["conversation-update", "end-of-call-report", "status-update", "tool-calls", "transcript", "transfer-destination-request"].sort(),
    );
    expect(body.voice).toEqual({ provider: "vapi", voiceId: "Savannah" });
    // Every call gets a control URL (take over, emergency transfer) and no listening stream.
    expect(body.monitorPlan).toEqual({ listenEnabled: false, controlEnabled: true });
    expect(body.firstMessage).toBe(SETTINGS.firstMessage);
    expect(created[0]!.authorization).toBe("Bearer test-vapi-private-key");
    expect(row.vapi_assistant_id).toBe([...vapi.assistants.keys()][0]);
    // The clinic's tool links are recorded.
    const links = await t.admin.query("select tool_name from org_tools where org_id = $1 order by tool_name", [owner.orgId]);
    expect(links.rows.map((r) => r.tool_name)).toEqual(Object.keys(vapiTools).sort());
  });

  it("a second save is one PATCH of the whole model; fields we do not manage survive; unchanged tools send nothing", async () => {
    const { vapi_assistant_id: id } = await agentRow(owner.orgId);
    // Someone set things in Vapi's dashboard that we do not manage.
    const current = vapi.assistants.get(id);
    vapi.assistants.set(id, { ...current, backgroundSound: "office", model: { ...current.model, temperature: 0.3, knowledgeBase: { provider: "custom" } } });
    vapi.reset();
    expect((await put(owner, "inbound", { ...SETTINGS, firstMessage: "Hello from Bright Smiles!" })).status).toBe(200);
    await synced(owner.orgId);
    expect(vapi.sent("POST", "/assistant")).toHaveLength(0);
    const patches = vapi.sent("PATCH", `/assistant/${id}`);
    expect(patches).toHaveLength(1);
    const patch = patches[0]!.body;
    expect(patch.firstMessage).toBe("Hello from Bright Smiles!");
    expect(patch.backgroundSound).toBe("office");
    expect(patch.model).toMatchObject({ temperature: 0.3, knowledgeBase: { provider: "custom" }, provider: "openai", model: "gpt-4o" });
    expect(patch.model.messages[0].content).toContain("Bright Smiles");
    for (const readOnly of ["id", "orgId", "createdAt", "updatedAt"]) expect(patch).not.toHaveProperty(readOnly);
    expect(vapi.sent("POST", "/tool")).toHaveLength(0);
    expect(vapi.sent("PATCH", "/tool")).toHaveLength(0);
  });

  it("removes banned native tools, inline and linked, and keeps the clinic's other tools", async () => {
    const { vapi_assistant_id: id } = await agentRow(owner.orgId);
    const current = vapi.assistants.get(id);
    const banned = { id: "tool_banned_sms", type: "sms", orgId: "org_fake_vapi" };
    const allowed = { id: "tool_clinic_endcall", type: "endCall", orgId: "org_fake_vapi" };
    vapi.tools.set(banned.id, banned);
    vapi.tools.set(allowed.id, allowed);
    vapi.assistants.set(id, {
      ...current,
      model: {
        ...current.model,
        toolIds: [...current.model.toolIds, banned.id, allowed.id],
        tools: [{ type: "google.calendar.event.create" }, { type: "endCall" }],
      },
    });
    vapi.reset();
    await put(owner, "inbound", SETTINGS);
    await synced(owner.orgId);
    const patch = vapi.sent("PATCH", `/assistant/${id}`)[0]!.body;
    expect(patch.model.toolIds).not.toContain(banned.id);
    expect(patch.model.toolIds).toContain(allowed.id);
    expect(patch.model.tools).toEqual([{ type: "endCall" }]);
    vapi.tools.delete(banned.id);
    vapi.tools.delete(allowed.id);
  });

  it("Vapi failing twice with 5xx, then answering, ends synced", async () => {
    vapi.reset();
    vapi.failNext("PATCH", /^\/assistant\//, 503, 2);
    await put(owner, "inbound", { ...SETTINGS, name: "Ava Two" });
    await synced(owner.orgId);
    expect(vapi.sent("PATCH", "/assistant/")).toHaveLength(3);
  });

  it("a 4xx ends failed with Vapi's message, shown to the clinic", async () => {
    vapi.reset();
    vapi.failNext("PATCH", /^\/assistant\//, 400, 1, "voice.voiceId must be a valid voice");
    await put(owner, "inbound", SETTINGS);
    const row = await synced(owner.orgId, "failed");
    expect(row.sync_error).toBe("Vapi answered 400: voice.voiceId must be a valid voice");
    expect(vapi.sent("PATCH", "/assistant/")).toHaveLength(1);
    const page = await http.request("GET", "/api/agents/inbound", { headers: owner.bearer });
    expect(page.body.agent).toMatchObject({ syncStatus: "failed", syncError: "Vapi answered 400: voice.voiceId must be a valid voice" });
  });

  it("reports sync progress as agent.sync live events (pending → syncing → synced)", async () => {
    const listener = await t.admin.connect();
    const seen: string[] = [];
    listener.on("notification", (n) => {
      const event = JSON.parse(n.payload ?? "{}");
      if (event.type === "agent.sync" && event.orgId === owner.orgId) seen.push(event.data.syncStatus);
    });
    await listener.query("listen voxanne_events");
    try {
      await put(owner, "inbound", { ...SETTINGS, name: "Ava Live" });
      await synced(owner.orgId);
      await eventually(async () => seen.includes("synced"));
      expect(seen).toEqual(["pending", "syncing", "synced"]);
    } finally {
      await listener.query("unlisten voxanne_events");
      listener.release();
    }
  });

  it("validates with messages a person can act on", async () => {
    const bad = await put(owner, "inbound", { ...SETTINGS, voice: { provider: "vapi", voiceId: "NoSuchVoice" }, maxDurationSeconds: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/voice: Choose one of the offered voices/);
    expect(bad.body.error.message).toMatch(/maxDurationSeconds: At least 60 seconds/);
    expect((await put(owner, "receptionist", SETTINGS)).status).toBe(400);
  });

  it("a staff member may read but gets 403 on PUT", async () => {
    const staff = await addTeamMember(t, owner.orgId, { role: "staff" });
    expect((await http.request("GET", "/api/agents", { headers: staff.bearer })).status).toBe(200);
    const res = await put(staff, "inbound", SETTINGS);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/owner or an admin/);
  });
});

describe("the tool registry", () => {
  it("ten clinics saving at once register each tool once", async () => {
    const owners = await Promise.all(Array.from({ length: 10 }, (_, i) => signUpClinic(t, { clinicName: `Concurrent Clinic ${i}` })));
    await t.admin.query("delete from vapi_tools");
    vapi.tools.clear();
    vapi.reset();
    const saves = await Promise.all(owners.map((o) => put(o, "inbound", SETTINGS)));
    expect(saves.map((s) => s.status)).toEqual(Array(10).fill(200));
    await Promise.all(owners.map((o) => synced(o.orgId)));
    expect(vapi.sent("POST", "/tool")).toHaveLength(Object.keys(vapiTools).length);
    expect(vapi.sent("POST", "/assistant")).toHaveLength(10);
  });

  it("a changed definition changes its hash and is one PATCH of that tool", async () => {
    const owner = await signUpClinic(t, { clinicName: "Hash Clinic" });
    await put(owner, "inbound", SETTINGS);
    await synced(owner.orgId);
    const { rows } = await t.admin.query("select tool_name, vapi_tool_id from vapi_tools where tool_name = 'getServicePrice'");
    // The definition as it was before a (simulated) release: its stored hash no longer matches.
    await t.admin.query("update vapi_tools set definition_hash = repeat('0', 64) where tool_name = 'getServicePrice'");
    vapi.reset();
    await put(owner, "inbound", { ...SETTINGS, name: "Ava Three" });
    await synced(owner.orgId);
    expect(vapi.sent("PATCH", "/tool/").map((r) => r.path)).toEqual([`/tool/${rows[0].vapi_tool_id}`]);
    expect(vapi.sent("POST", "/tool")).toHaveLength(0);
    const after = await t.admin.query("select definition_hash from vapi_tools where tool_name = 'getServicePrice'");
    expect(after.rows[0].definition_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(after.rows[0].definition_hash).not.toBe("0".repeat(64));
  });
});

describe("assistant-request", () => {
  it("reflects an edit made a second ago, before its sync finishes", async () => {
    const owner = await signUpClinic(t, { clinicName: "Fresh Edit Clinic" });
    const identity = await addVapiIdentity(t.admin, owner.orgId);
    await jobs.stop(); // no sync will run: the answer must come from the saved settings
    try {
      await put(owner, "inbound", { ...SETTINGS, firstMessage: "Edited a second ago." });
      const res = await http.request("POST", "/api/vapi/webhook", {
        body: {
          message: {
            type: "assistant-request",
            call: { id: "ar-fresh", phoneNumberId: identity.phoneNumberId },
            phoneNumber: { id: identity.phoneNumberId, number: identity.clinicNumber },
          },
        },
        headers: { "x-vapi-secret": t.config.vapiWebhookSecret },
      });
      expect(res.status).toBe(200);
      expect(res.body.assistantId).toBe(identity.assistantId);
      expect(res.body.assistantOverrides).toMatchObject({ firstMessage: "Edited a second ago.", voice: { provider: "vapi", voiceId: "Savannah" } });
      expect(res.body.assistantOverrides.model.messages[0].content).toContain("Fresh Edit Clinic");
    } finally {
      jobs = await startTestJobs(t, { vapi: { client: createVapiClient(t.config), config: t.config } });
    }
  });
});

describe("Call my phone", () => {
  it("a 5xx from Vapi places no second call, and the attempt is audited", async () => {
    const owner = await signUpClinic(t, { clinicName: "Test Call Clinic" });
    const identity = await addVapiIdentity(t.admin, owner.orgId);
    await t.admin.query("update agents set vapi_assistant_id = $2 where org_id = $1", [owner.orgId, `asst_${identity.assistantId}`]);
    vapi.reset();
    vapi.failNext("POST", /^\/call$/, 500, 1);
    const res = await http.request("POST", "/api/agents/inbound/test-call", { body: { phone: "+12125550123" }, headers: owner.bearer });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/^The test call could not be placed/);
    expect(vapi.sent("POST", "/call")).toHaveLength(1);
    const ok = await http.request("POST", "/api/agents/inbound/test-call", { body: { phone: "+12125550123" }, headers: owner.bearer });
    expect(ok.status).toBe(201);
    expect(vapi.sent("POST", "/call")).toHaveLength(2);
    expect(vapi.sent("POST", "/call")[1]!.body).toMatchObject({
      assistantId: `asst_${identity.assistantId}`,
      phoneNumberId: identity.phoneNumberId,
      customer: { number: "+12125550123" },
    });
    const audit = await t.admin.query("select count(*)::int as n from audit_events where org_id = $1 and action = 'agent.test_call'", [owner.orgId]);
    expect(audit.rows[0].n).toBe(2);
  });

  it("rejects a number that is not E.164, with the format to use", async () => {
    const owner = await signUpClinic(t);
    const res = await http.request("POST", "/api/agents/inbound/test-call", { body: { phone: "555-0123" }, headers: owner.bearer });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/international format/);
  });
});

describe("without VAPI_PRIVATE_KEY", () => {
  it("saves with not_configured, says what to set, and contacts no one", async () => {
    const bare = await createTestApp();
    const bareHttp = await listen(bare.app);
    const owner = await signUpClinic(bare, { clinicName: "Offline Clinic" });
    vapi.reset();
    const before = await bareHttp.request("GET", "/api/agents", { headers: owner.bearer });
    expect(before.body.agents.map((a: { settingsSavedAt: string | null }) => a.settingsSavedAt)).toEqual([null, null]);
    const res = await bareHttp.request("PUT", "/api/agents/inbound", { body: SETTINGS, headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.body.syncStatus).toBe("not_configured");
    const list = await bareHttp.request("GET", "/api/agents", { headers: owner.bearer });
    expect(list.body.vapi).toMatchObject({ configured: false, reason: expect.stringMatching(/set VAPI_PRIVATE_KEY/) });
    expect(list.body.vapi.callMyPhone.enabled).toBe(false);
    expect(list.body.vapi.webTest).toMatchObject({ enabled: false, reason: expect.stringMatching(/VAPI_PUBLIC_KEY/) });
    expect(list.body.agents.map((a: { role: string }) => a.role)).toEqual(["inbound", "outbound"]);
    const call = await bareHttp.request("POST", "/api/agents/inbound/test-call", { body: { phone: "+12125550123" }, headers: owner.bearer });
    expect(call.status).toBe(502);
    expect(call.body.error.message).toMatch(/VAPI_PRIVATE_KEY/);
    expect(vapi.requests).toHaveLength(0);
  });
});
