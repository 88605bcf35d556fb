/**
 * The knowledge base from upload to the caller's ear: real PDF, DOCX and Markdown files generated
 * here, uploaded over HTTP, indexed by the pg-boss job, then asked through the searchKnowledgeBase
 * tool, Vapi's knowledge-base-request and the "try a question" preview.
 */
import { randomUUID } from "node:crypto";
import { KNOWLEDGE_MAX_UPLOAD_BYTES } from "@voxanne/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { seedDemoKnowledge } from "../src/demo/knowledge";
import type { JobRunner } from "../src/jobs/runner";
import { createTestApp, type TestApp } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { listen, type TestHttp } from "./helpers/http";
import { makeDocx, makePdf } from "./helpers/knowledge-files";
import { eventually, startTestJobs } from "./helpers/postcall";
import { addVapiIdentity, toolCallsMessage, toolText, type VapiIdentity } from "./helpers/vapi";

let t: TestApp;
let http: TestHttp;
let jobs: JobRunner;
let owner: TestUser;
let staff: TestUser;
let clinicA: VapiIdentity;
let otherOwner: TestUser;
let clinicB: VapiIdentity;
const docs: Record<string, string> = {};

const NO_MATCH = /^I don't have that information\b.*take a message/;

async function uploadFile(user: TestUser, filename: string, bytes: Buffer | string) {
  const form = new FormData();
  form.append("file", new Blob([typeof bytes === "string" ? Buffer.from(bytes) : bytes]), filename);
  const res = await fetch(`${http.baseUrl}/api/knowledge/documents`, { method: "POST", headers: user.bearer, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function waitUntilReady(user: TestUser, id: string) {
  return eventually(async () => {
    const res = await http.request("GET", "/api/knowledge/documents", { headers: user.bearer });
    const doc = res.body.documents.find((d: { id: string }) => d.id === id);
    return doc?.status === "ready" ? doc : null;
  });
}

const ask = (clinic: VapiIdentity, query: string) =>
  toolText(http, t.config.vapiWebhookSecret, toolCallsMessage(clinic, [{ name: "searchKnowledgeBase", args: { query } }]).body);

async function knowledgeCount(orgId: string): Promise<{ documents: number; jobs: number }> {
  const { rows } = await t.admin.query(
    `select (select count(*)::int from public.knowledge_documents where org_id = $1) as documents,
            (select count(*)::int from pgboss.job where name = 'knowledge-index' and data->>'orgId' = $1::text) as jobs`,
    [orgId],
  );
  return rows[0];
}

beforeAll(async () => {
  t = await createTestApp();
  jobs = await startTestJobs(t, { knowledge: { embedder: null } });
  http = await listen(createApp({ ...t.deps, jobs }));
  owner = await signUpClinic(t, { clinicName: "Sunrise Knowledge Clinic" });
  staff = await addTeamMember(t, owner.orgId, { role: "staff" });
  clinicA = await addVapiIdentity(t.admin, owner.orgId);
  otherOwner = await signUpClinic(t, { clinicName: "Other Clinic" });
  clinicB = await addVapiIdentity(t.admin, otherOwner.orgId);

  const pdf = await makePdf([
    {
      heading: "Laser Hair Removal Aftercare",
      paragraphs: [
        "For fourteen days after laser hair removal, avoid sunbathing, tanning beds and self-tanner. Apply SPF 50 to the treated skin every morning.",
        "Mild redness for a day or two is normal; a cool compress helps.",
      ],
    },
  ]);
  const docx = await makeDocx([
    { heading: "Payment", paragraphs: ["We accept Visa, Mastercard, American Express and HSA cards. Payment is due at the time of treatment."] },
  ]);
  const markdown = [
    "# Visiting the clinic",
    "",
    "## Parking",
    "",
    "Free **parking** is available in the garage behind the clinic on Elm Street. Bring your ticket to reception for validation.",
    "",
    "## Botox and breastfeeding",
    "",
    "We do not give Botox to patients who are pregnant or breastfeeding, because its safety has not been studied. Please wait until you have finished breastfeeding.",
  ].join("\n");

  for (const [name, file, bytes] of [
    ["pdf", "laser-aftercare.pdf", pdf],
    ["docx", "Payment policy.docx", docx],
    ["md", "visiting.md", markdown],
  ] as const) {
    const res = await uploadFile(owner, file, bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.status).toBe("processing");
    docs[name] = res.body.id;
  }
  for (const id of Object.values(docs)) await waitUntilReady(owner, id);

  const other = await uploadFile(otherOwner, "other.md", "# Opening hours\n\nWe are open on Saturdays from nine to noon, and closed on Sundays.");
  expect(other.status).toBe(202);
  await waitUntilReady(otherOwner, other.body.id);
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
});

describe("upload → job → the caller's answer", () => {
  it("lists the three uploads as ready, with their type, size and chunks", async () => {
    const res = await http.request("GET", "/api/knowledge/documents", { headers: staff.bearer });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.documents.map((d: any) => [d.id, d]));
    expect(byId.get(docs.pdf)).toMatchObject({ title: "laser-aftercare", sourceType: "pdf", status: "ready", enabled: true });
    expect(byId.get(docs.docx)).toMatchObject({ title: "Payment policy", sourceType: "docx", status: "ready" });
    expect(byId.get(docs.md)).toMatchObject({ title: "visiting", sourceType: "markdown", status: "ready" });
    for (const id of Object.values(docs)) expect((byId.get(id) as any).chunkCount).toBeGreaterThan(0);
  });

  it("answers a question whose words appear only in the PDF from the PDF", async () => {
    const said = await ask(clinicA, "How long should I stay out of tanning beds after laser?");
    expect(said).toMatch(/^From the clinic's "laser-aftercare": /);
    expect(said).toContain("fourteen days");
    const preview = await http.request("GET", `/api/knowledge/search?q=${encodeURIComponent("How long should I stay out of tanning beds after laser?")}`, {
      headers: staff.bearer,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.spoken).toBe(said);
    expect(preview.body.hits[0]).toMatchObject({ documentId: docs.pdf, sourceType: "pdf", heading: "Laser Hair Removal Aftercare" });
    expect(preview.body.mode).toBe("full_text");
    expect(preview.body.vectorNote).toMatch(/EMBEDDING_API_KEY/);
  });

  it("answers from the DOCX, under its heading", async () => {
    const said = await ask(clinicA, "Do you take American Express?");
    expect(said).toMatch(/^From the clinic's "Payment policy": .*American Express/);
  });

  it("finds the parking answer for a misspelled question", async () => {
    const said = await ask(clinicA, "Do you have parkng?");
    expect(said).toContain("garage behind the clinic on Elm Street");
  });

  it("answers a clinical question only with the clinic's own words", async () => {
    const said = await ask(clinicA, "Is Botox safe while breastfeeding?");
    expect(said).toContain("We do not give Botox to patients who are pregnant or breastfeeding");
  });

  it("says it doesn't know, and offers a message, when nothing matches", async () => {
    expect(await ask(clinicA, "What is the capital of France?")).toMatch(NO_MATCH);
  });

  it("answers an emergency phrase with emergency advice, not a document", async () => {
    const said = await ask(clinicA, "My mother has chest pain after her Botox, is that normal?");
    expect(said).toMatch(/dial 911/);
    expect(said).not.toContain("From the clinic's");
  });

  it("says every answer on one line of at most 400 characters, without markup", async () => {
    const long = `# Aftercare for fillers\n\n${Array.from({ length: 12 }, (_, i) => `Step ${i + 1}: keep the **filler** area clean and avoid pressure on it for a while.`).join(" ")}`;
    const up = await uploadFile(owner, "fillers.md", long);
    await waitUntilReady(owner, up.body.id);
    for (const q of ["How do I look after my filler?", "Do you have parkng?", "Is Botox safe while breastfeeding?", "What is the capital of France?"]) {
      const said = await ask(clinicA, q);
      expect(said).not.toMatch(/[\n\r]/);
      expect(said.length).toBeLessThanOrEqual(400);
      expect(said).not.toMatch(/\*\*|#|`|\[|\]\(/);
    }
  });
});

describe("Vapi knowledge-base-request", () => {
  it("returns the clinic's passages as documents with content, similarity and uuid", async () => {
    const message = {
      type: "knowledge-base-request",
      call: { id: `vcall_${randomUUID()}`, assistantId: clinicA.assistantId, phoneNumberId: clinicA.phoneNumberId },
      phoneNumber: { id: clinicA.phoneNumberId, number: clinicA.clinicNumber },
      messages: [
        { role: "assistant", content: "Thanks for calling, how can I help?" },
        { role: "user", content: "Where can I park my car?" },
      ],
    };
    const res = await http.request("POST", "/api/vapi/webhook", { body: { message }, headers: { "x-vapi-secret": t.config.vapiWebhookSecret } });
    expect(res.status).toBe(200);
    expect(res.body.documents.length).toBeGreaterThan(0);
    const [first] = res.body.documents;
    expect(first.content).toContain("Elm Street");
    expect(first.content).not.toContain("**");
    expect(typeof first.similarity).toBe("number");
    const { rows } = await t.admin.query("select org_id from public.knowledge_chunks where id = $1", [first.uuid]);
    expect(rows[0].org_id).toBe(owner.orgId);
  });
});

describe("isolation and disabling", () => {
  it("never answers clinic B's callers from clinic A's documents", async () => {
    expect(await ask(clinicB, "Do you have parking?")).toMatch(NO_MATCH);
    expect(await ask(clinicB, "How long should I stay out of tanning beds after laser?")).toMatch(NO_MATCH);
    expect(await ask(clinicA, "Are you open on Saturdays?")).toMatch(NO_MATCH);
    expect(await ask(clinicB, "Are you open on Saturdays?")).toContain("Saturdays from nine to noon");
    const preview = await http.request("GET", "/api/knowledge/search?q=parking", { headers: otherOwner.bearer });
    expect(preview.body.hits).toEqual([]);
    const list = await http.request("GET", "/api/knowledge/documents", { headers: otherOwner.bearer });
    expect(list.body.documents.map((d: { id: string }) => d.id)).not.toContain(docs.md);
    const patch = await http.request("PATCH", `/api/knowledge/documents/${docs.md}`, { body: { enabled: false }, headers: otherOwner.bearer });
    expect(patch.status).toBe(404);
  });

  it("never uses a disabled document, and uses it again once enabled", async () => {
    const off = await http.request("PATCH", `/api/knowledge/documents/${docs.md}`, { body: { enabled: false }, headers: owner.bearer });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect(await ask(clinicA, "Do you have parking?")).toMatch(NO_MATCH);
    const preview = await http.request("GET", "/api/knowledge/search?q=parking", { headers: owner.bearer });
    expect(preview.body.hits.filter((h: { documentId: string }) => h.documentId === docs.md)).toEqual([]);
    await http.request("PATCH", `/api/knowledge/documents/${docs.md}`, { body: { enabled: true }, headers: owner.bearer });
    expect(await ask(clinicA, "Do you have parking?")).toContain("Elm Street");
  });
});

describe("hostile files", () => {
  it("refuses a corrupt PDF with a clear message and stores nothing", async () => {
    const before = await knowledgeCount(owner.orgId);
    const res = await uploadFile(owner, "broken.pdf", Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref"));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("corrupt_file");
    expect(res.body.error.message).toMatch(/could not be read.*damaged/);
    expect(await knowledgeCount(owner.orgId)).toEqual(before);
  });

  it("refuses an over-size file with 413 and stores nothing", async () => {
    const before = await knowledgeCount(owner.orgId);
    const res = await uploadFile(owner, "huge.txt", Buffer.alloc(KNOWLEDGE_MAX_UPLOAD_BYTES + 1, "a"));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("file_too_large");
    expect(res.body.error.message).toMatch(/larger than 10 MB/);
    expect(await knowledgeCount(owner.orgId)).toEqual(before);
  });

  it("refuses empty, text-less, mislabelled and unsupported files, each saying what to do", async () => {
    const before = await knowledgeCount(owner.orgId);
    const cases: [string, Buffer | string, string][] = [
      ["empty.txt", "", "empty_file"],
      ["blank.md", "   \n\n  ", "no_text"],
      ["not-really.pdf", "hello, this is text", "corrupt_file"],
      ["not-really.docx", "hello, this is text", "corrupt_file"],
      ["locked.docx", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), "encrypted_file"],
      ["photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]), "unsupported_file_type"],
    ];
    for (const [name, bytes, code] of cases) {
      const res = await uploadFile(owner, name, bytes);
      expect(res.status, name).toBe(400);
      expect(res.body.error.code, name).toBe(code);
    }
    expect(await knowledgeCount(owner.orgId)).toEqual(before);
  });
});

describe("quick answers and roles", () => {
  it("answers from a quick answer once saved, and from its new wording once changed", async () => {
    const created = await http.request("POST", "/api/knowledge/quick-answers", {
      body: { question: "Do you offer payment plans?", answer: "Yes, monthly payment plans are available through Cherry for treatments over $500." },
      headers: owner.bearer,
    });
    expect(created.status).toBe(201);
    const quickAnswerReady = () =>
      eventually(async () => {
        const res = await http.request("GET", "/api/knowledge/quick-answers", { headers: staff.bearer });
        return res.body.quickAnswers.find((q: { id: string; status: string }) => q.id === created.body.id && q.status === "ready");
      });
    await quickAnswerReady();
    const preview = await http.request("GET", `/api/knowledge/search?q=${encodeURIComponent("Can I pay monthly with a payment plan?")}`, {
      headers: staff.bearer,
    });
    expect(preview.body.hits.map((h: { documentTitle: string }) => h.documentTitle).slice(0, 2)).toEqual(["Do you offer payment plans?", "Payment policy"]);
    expect(await ask(clinicA, "Can I pay monthly with a payment plan?")).toBe(
      "Yes, monthly payment plans are available through Cherry for treatments over $500.",
    );
    const changed = await http.request("PUT", `/api/knowledge/quick-answers/${created.body.id}`, {
      body: { question: "Do you offer payment plans?", answer: "Yes, monthly payment plans are available through Affirm." },
      headers: owner.bearer,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe("processing");
    await quickAnswerReady();
    expect(await ask(clinicA, "Do you offer a payment plan?")).toBe("Yes, monthly payment plans are available through Affirm.");
    const list = await http.request("GET", "/api/knowledge/quick-answers", { headers: staff.bearer });
    expect(list.body.quickAnswers).toEqual([expect.objectContaining({ question: "Do you offer payment plans?", status: "ready" })]);
  });

  it("lets staff view and search, but not upload, change or delete", async () => {
    expect((await http.request("GET", "/api/knowledge/search?q=parking", { headers: staff.bearer })).status).toBe(200);
    const up = await uploadFile(staff, "notes.txt", "Staff notes about the clinic and its parking garage.");
    expect(up.status).toBe(403);
    expect((await http.request("PATCH", `/api/knowledge/documents/${docs.pdf}`, { body: { enabled: false }, headers: staff.bearer })).status).toBe(403);
    expect((await http.request("DELETE", `/api/knowledge/documents/${docs.pdf}`, { headers: staff.bearer })).status).toBe(403);
    const qa = await http.request("POST", "/api/knowledge/quick-answers", { body: { question: "Parking?", answer: "Yes." }, headers: staff.bearer });
    expect(qa.status).toBe(403);
  });

  it("deletes a document with its chunks, and audits the change", async () => {
    const up = await uploadFile(owner, "temporary.txt", "Temporary notice\n\nThe clinic is closed for the holiday on the first Monday of September.");
    await waitUntilReady(owner, up.body.id);
    const res = await http.request("DELETE", `/api/knowledge/documents/${up.body.id}`, { headers: owner.bearer });
    expect(res.status).toBe(200);
    const { rows } = await t.admin.query(
      `select (select count(*)::int from public.knowledge_chunks where document_id = $1) as chunks,
              (select count(*)::int from public.audit_events where target_id = $1::text and action = 'knowledge.document_deleted') as audits`,
      [up.body.id],
    );
    expect(rows[0]).toEqual({ chunks: 0, audits: 1 });
    expect(await ask(clinicA, "Are you closed in September for the holiday?")).toMatch(NO_MATCH);
  });
});

describe("the demo clinic", () => {
  it("answers from its seeded quick answers out of the box, seeded once however often the seed runs", async () => {
    const demo = await signUpClinic(t, { clinicName: "Demo Knowledge Clinic" });
    await seedDemoKnowledge(t.deps, demo.orgId, demo.userId);
    await seedDemoKnowledge(t.deps, demo.orgId, demo.userId);
    const list = await http.request("GET", "/api/knowledge/quick-answers", { headers: demo.bearer });
    expect(list.body.quickAnswers.map((q: { question: string; status: string }) => [q.question, q.status]).sort()).toEqual([
      ["Do you have parking?", "ready"],
      ["What payment methods do you accept?", "ready"],
      ["What should I do after Botox?", "ready"],
    ]);
    const preview = await http.request("GET", "/api/knowledge/search?q=parkng", { headers: demo.bearer });
    expect(preview.body.spoken).toContain("Free parking is in the garage behind the clinic");
  });
});
