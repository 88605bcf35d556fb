/**
 * TENANT FIXTURES — rows for every tenant table, used by test/cross-tenant.test.ts.
 *
 * The cross-tenant suite lists every table in schema `public` that has an `org_id` column (from the
 * catalogue, not from a list) and proves that a user of org A can neither read nor write org B's
 * rows in it. To do that it needs rows of both orgs in EVERY such table, and it fails with
 * "add fixture rows for table X" when a tenant table has no entry here.
 *
 * ADDED A TABLE WITH AN org_id COLUMN? Add one entry to `tenantFixtures` below:
 *   - key: the table name (schema public);
 *   - value: an async function that inserts ONE valid row for `ctx.orgId` with `ctx.q` (a superuser
 *     connection, so RLS does not get in the way) and returns its primary key as text;
 *   - for a foreign key to another tenant table use `await ctx.ref("other_table")`: it returns the id
 *     of this org's fixture row there (seeding it first if needed), so rows never point across orgs;
 *   - use `ctx.unique("x")` for values that must be unique (phone numbers, emails, external ids).
 * Partitions of a partitioned table need no entry: rows inserted through the parent land in them.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import type pg from "pg";

type Queryable = Pick<pg.ClientBase, "query">;

export type FixtureContext = {
  orgId: string;
  /** Superuser query: bypasses RLS, sees everything. */
  q: <R extends pg.QueryResultRow = Record<string, any>>(sql: string, params?: unknown[]) => Promise<pg.QueryResult<R>>;
  /** The id of this org's fixture row in another tenant table (seeded on first use). */
  ref: (table: string) => Promise<string>;
  /** The org's owner (created by signup), for columns that reference a user. */
  ownerUserId: string;
  /** A short unique string with a prefix. */
  unique: (prefix: string) => string;
  /** A unique E.164 number in the fictional 555-01xx range. */
  phone: () => string;
};

export type TenantFixture = (ctx: FixtureContext) => Promise<string>;

const usedPhones = new Set<string>();
const uniquePhone = () => {
  for (;;) {
    const phone = `+1212${String(randomInt(2_000_000, 9_999_999))}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
  }
};

export const tenantFixtures: Record<string, TenantFixture> = {
  // A second member of the org (the owner's profile comes from signup); the signup trigger makes the profile.
  profiles: async ({ q, orgId, unique }) => {
    const email = `${unique("member")}@example.com`;
    const user = await q<{ id: string }>(
      `insert into auth.users (email, raw_app_meta_data, raw_user_meta_data)
       values ($1, jsonb_build_object('org_id', $2::text, 'role', 'staff'), '{"full_name":"Fixture Member"}') returning id`,
      [email, orgId],
    );
    const profile = await q<{ id: string }>("select id from public.profiles where user_id = $1", [user.rows[0]!.id]);
    return profile.rows[0]!.id;
  },

  audit_events: async ({ q, orgId, ownerUserId }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.audit_events (org_id, actor_user_id, action, target_type, target_id, ip, user_agent, data)
       values ($1::uuid, $2, 'fixture.created', 'organization', $1::text, '203.0.113.7', 'fixture', '{"fixture":true}') returning id`,
      [orgId, ownerUserId],
    );
    return rows[0]!.id;
  },

  agents: async ({ q, orgId }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.agents (org_id, role, name, system_prompt, first_message)
       values ($1, 'inbound', 'Fixture Receptionist', 'You are a receptionist.', 'Hello!') returning id`,
      [orgId],
    );
    return rows[0]!.id;
  },

  phone_numbers: async ({ q, orgId, ref, phone, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.phone_numbers (org_id, e164, label, vapi_phone_number_id, agent_id)
       values ($1, $2, 'Main line', $3, $4) returning id`,
      [orgId, phone(), unique("vapi-phone"), await ref("agents")],
    );
    return rows[0]!.id;
  },

  contacts: async ({ q, orgId, phone }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.contacts (org_id, phone, name, email, lead_status, lead_score, lead_temperature, service_interests)
       values ($1, $2, 'Fixture Patient', 'patient@example.com', 'contacted', 55, 'warm', '{botox}') returning id`,
      [orgId, phone()],
    );
    return rows[0]!.id;
  },

  // Signup already seeds the 7 default services; this adds one of the org's own.
  services: async ({ q, orgId, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.services (org_id, name, price, duration_minutes, keywords)
       values ($1, $2, 99, 30, '{fixture}') returning id`,
      [orgId, unique("Fixture Peel")],
    );
    return rows[0]!.id;
  },

  appointments: async ({ q, orgId, ref, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.appointments (org_id, contact_id, service_id, vapi_call_id, starts_at, ends_at, status, idempotency_key, source)
       values ($1, $2, $3, $4, date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 30 minutes',
               'booked', $5, 'dashboard') returning id`,
      [orgId, await ref("contacts"), await ref("services"), unique("call"), unique("idem")],
    );
    return rows[0]!.id;
  },

  slot_holds: async ({ q, orgId, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.slot_holds (org_id, vapi_call_id, starts_at, busy_range, expires_at)
       values ($1, $2, date_trunc('hour', now()) + interval '9 days',
               tstzrange(date_trunc('hour', now()) + interval '9 days', date_trunc('hour', now()) + interval '9 days 30 minutes'),
               now() + interval '5 minutes') returning id`,
      [orgId, unique("call")],
    );
    return rows[0]!.id;
  },

  call_controls: async ({ q, orgId, unique }) => {
    const { rows } = await q<{ vapi_call_id: string }>(
      `insert into public.call_controls (vapi_call_id, org_id, control_url) values ($1, $2, $3) returning vapi_call_id`,
      [unique("call"), orgId, `https://phone-call-websocket.example.vapi.ai/${unique("secret")}/control`],
    );
    return rows[0]!.vapi_call_id;
  },

  tool_invocations: async ({ q, orgId, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.tool_invocations (org_id, vapi_call_id, tool_call_id, tool_name, arguments, result, outcome)
       values ($1, $2, $3, 'checkAvailability', '{"date":"2026-12-01"}', 'Open: 9:00 AM, 9:30 AM.', 'ok') returning id`,
      [orgId, unique("call"), unique("toolcall")],
    );
    return rows[0]!.id;
  },

  call_logs: async ({ q, orgId, ref, phone, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.call_logs (org_id, vapi_call_id, direction, status, from_number, to_number, started_at, ended_at,
                                     duration_seconds, transcript, summary, contact_id)
       values ($1, $2, 'inbound', 'ended', $3, $4, now() - interval '10 minutes', now(), 600,
               'Patient asked about Botox.', 'Botox enquiry', $5) returning id`,
      [orgId, unique("vapi-call"), phone(), phone(), await ref("contacts")],
    );
    return rows[0]!.id;
  },

  messages: async ({ q, orgId, ref, phone }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.messages (org_id, direction, method, purpose, recipient, content, status, call_log_id, contact_id)
       values ($1, 'outbound', 'sms', 'follow_up', $2, 'Thanks for calling!', 'queued', $3, $4) returning id`,
      [orgId, phone(), await ref("call_logs"), await ref("contacts")],
    );
    return rows[0]!.id;
  },

  usage_daily: async ({ q, orgId }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.usage_daily (org_id, day, calls, seconds, cost) values ($1, current_date, 3, 540, 1.25)
       returning org_id::text || '/' || day::text as id`,
      [orgId],
    );
    return rows[0]!.id;
  },

  // Written by the call_logs triggers: the fixture call creates its day's row.
  call_stats_daily: async ({ q, orgId, ref }) => {
    await ref("call_logs");
    const { rows } = await q<{ id: string }>("select org_id::text || '/' || day::text as id from public.call_stats_daily where org_id = $1 limit 1", [orgId]);
    return rows[0]!.id;
  },

  // Sealed bytes of the right shape (the server seals real ones; RLS is what is tested here).
  org_credentials: async ({ q, orgId }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.org_credentials (org_id, provider, metadata, key_id, iv, ciphertext, auth_tag)
       values ($1, 'twilio', $2, 'k1', $3, $4, $5) returning id`,
      [orgId, { accountSid: `AC${randomBytes(16).toString("hex")}` }, randomBytes(12), randomBytes(48), randomBytes(16)],
    );
    return rows[0]!.id;
  },

  team_invites: async ({ q, orgId, ownerUserId, unique }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.team_invites (org_id, email, role, token_hash, invited_by, expires_at)
       values ($1, $2, 'staff', $3, $4, now() + interval '3 days') returning id`,
      [orgId, `${unique("invitee")}@example.com`.toLowerCase(), createHash("sha256").update(unique("token")).digest("hex"), ownerUserId],
    );
    return rows[0]!.id;
  },
  org_tools: async ({ q, orgId, unique }) => {
    const { rows } = await q<{ id: string }>(
      "insert into public.org_tools (org_id, tool_name, vapi_tool_id, definition_hash) values ($1, 'checkAvailability', $2, $3) returning id",
      [orgId, unique("tool"), createHash("sha256").update(unique("def")).digest("hex")],
    );
    return rows[0]!.id;
  },

  knowledge_documents: async ({ q, orgId, ownerUserId }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.knowledge_documents (org_id, title, source_type, size_bytes, content, status, uploaded_by)
       values ($1, 'Fixture parking notes', 'markdown', 64, '# Parking\n\nFixture parking is behind the clinic.', 'ready', $2) returning id`,
      [orgId, ownerUserId],
    );
    return rows[0]!.id;
  },

  knowledge_chunks: async ({ q, orgId, ref }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.knowledge_chunks (org_id, document_id, position, heading, content)
       values ($1, $2, 0, 'Parking', 'Fixture parking is behind the clinic.') returning id`,
      [orgId, await ref("knowledge_documents")],
    );
    return rows[0]!.id;
  },

  verified_caller_ids: async ({ q, orgId, ownerUserId, phone }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.verified_caller_ids (org_id, phone_number, friendly_name, status, twilio_caller_id_sid, verified_at, created_by)
       values ($1, $2, 'Front desk mobile', 'verified', $3, now(), $4) returning id`,
      [orgId, phone(), `PN${randomBytes(16).toString("hex")}`, ownerUserId],
    );
    return rows[0]!.id;
  },

  caller_id_verification_calls: async ({ q, orgId, ownerUserId, phone }) => {
    const { rows } = await q<{ id: string }>(
      "insert into public.caller_id_verification_calls (org_id, phone_number, requested_by) values ($1, $2, $3) returning id",
      [orgId, phone(), ownerUserId],
    );
    return rows[0]!.id;
  },

  hybrid_forwarding_configs: async ({ q, orgId, ref }) => {
    const number = await ref("verified_caller_ids");
    const { rows } = await q<{ id: string }>(
      `insert into public.hybrid_forwarding_configs (org_id, verified_caller_id, sim_phone_number, destination_number, carrier, forwarding_type,
                                                      ring_time_seconds, activation_code, deactivation_code)
       select $1, v.id, v.phone_number, '+12125550100', 'tmobile', 'safety_net', 20, '**004*12125550100*11*20#', '##004#'
         from public.verified_caller_ids v where v.id = $2 returning id`,
      [orgId, number],
    );
    return rows[0]!.id;
  },

  sms_opt_outs: async ({ q, orgId, phone }) => {
    const { rows } = await q<{ id: string }>("insert into public.sms_opt_outs (org_id, phone, keyword) values ($1, $2, 'STOP') returning id", [orgId, phone()]);
    return rows[0]!.id;
  },

  appointment_reminders: async ({ q, orgId, ref }) => {
    const { rows } = await q<{ id: string }>(
      `insert into public.appointment_reminders (org_id, appointment_id, offset_minutes, send_at)
       values ($1, $2, 1440, now() + interval '2 days') returning id`,
      [orgId, await ref("appointments")],
    );
    return rows[0]!.id;
  },

  live_tickets: async ({ q, orgId, ownerUserId, unique }) => {
    const tokenHash = createHash("sha256").update(unique("ticket")).digest("hex");
    await q(
      `insert into public.live_tickets (token_hash, org_id, user_id, session_id, expires_at) values ($1, $2, $3, gen_random_uuid(), now() + interval '1 minute')`,
      [tokenHash, orgId, ownerUserId],
    );
    return tokenHash;
  },
};

/**
 * Inserts one fixture row for `orgId` into every table in `tenantFixtures` (dependencies first).
 * Returns table → id of the row inserted there.
 */
export async function seedTenantRows(admin: Queryable, orgId: string): Promise<Record<string, string>> {
  const owner = await admin.query<{ user_id: string }>(
    "select user_id from public.profiles where org_id = $1 order by (role = 'owner') desc, created_at limit 1",
    [orgId],
  );
  if (!owner.rows[0]) throw new Error(`seedTenantRows: org ${orgId} has no profile; create it through signup first.`);
  const ids: Record<string, string> = {};
  const inProgress = new Set<string>();
  const ctx: FixtureContext = {
    orgId,
    ownerUserId: owner.rows[0].user_id,
    q: (sql, params) => admin.query(sql, params as unknown[]),
    unique: (prefix) => `${prefix}-${randomBytes(5).toString("hex")}`,
    phone: uniquePhone,
    ref: async (table) => seed(table),
  };
  async function seed(table: string): Promise<string> {
    if (ids[table]) return ids[table]!;
    const fixture = tenantFixtures[table];
    if (!fixture) throw new Error(`add fixture rows for table ${table} in apps/api/test/helpers/tenant-fixtures.ts (needed as a reference)`);
    if (inProgress.has(table)) throw new Error(`tenant fixtures: circular ref() involving ${table}`);
    inProgress.add(table);
    try {
      ids[table] = await fixture(ctx);
    } catch (err) {
      throw new Error(`tenant fixture for ${table} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      inProgress.delete(table);
    }
    return ids[table]!;
  }
  // A fixture may be written before its migration lands; tables that do not exist yet are skipped.
  const existing = await admin.query<{ name: string }>(
    "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')",
  );
  const tables = new Set(existing.rows.map((r) => r.name));
  for (const table of Object.keys(tenantFixtures)) if (tables.has(table)) await seed(table);
  return ids;
}
