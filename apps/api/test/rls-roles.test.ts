import type { Role } from "@voxanne/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import type { JwtClaims } from "../src/db/database";
import { testConfig } from "./helpers/app";
import { addTeamMember, signUpClinic, type TestUser } from "./helpers/auth";
import { createTestDatabase } from "./helpers/db";
import { seedTenantRows } from "./helpers/tenant-fixtures";

/**
 * Least privilege inside a clinic, as Supabase's REST API would reach the database: plain SQL as
 * role `authenticated` with an owner's, an admin's or a staff member's JWT claims. The rules are
 * declared here by hand (docs/SECURITY.md § Roles has the same matrix), independently of the
 * migration, and checked three ways: the policies in pg_policies, the privileges of anon and
 * authenticated, and what each role can actually do to its own clinic's rows.
 */

const { db, admin } = await createTestDatabase();
const target = { db, config: testConfig() };

const ALL = ["owner", "admin", "staff"] as const satisfies readonly Role[];
const MANAGERS = ["owner", "admin"] as const satisfies readonly Role[];
const NONE = [] as const satisfies readonly Role[];
/** Every member, but only on their own row (user_id = their id). */
const OWN = "own" as const;

type Access = readonly Role[] | typeof OWN;
type Command = "select" | "insert" | "update" | "delete";
const COMMANDS: Command[] = ["select", "insert", "update", "delete"];

type TableRules = Record<Command, Access> & {
  /** The only columns a member may update (column privileges); omitted: the whole row. */
  updatable?: string[];
  /** The only columns a member may read; omitted: the whole row. */
  readable?: string[];
};

const SERVER_WRITTEN = { select: ALL, insert: NONE, update: NONE, delete: NONE } as const;

/** The declared matrix: every table in `public`. A table missing here fails the suite. */
const rules: Record<string, TableRules> = {
  organizations: {
    select: ALL,
    insert: NONE,
    update: MANAGERS,
    delete: NONE,
    updatable: [
      "name",
      "timezone",
      "business_hours",
      "slot_minutes",
      "buffer_before_minutes",
      "buffer_after_minutes",
      "min_booking_notice_minutes",
      "min_cancel_notice_minutes",
      "transfer_number",
      "after_hours_mode",
      "hot_lead_alert_number",
      "clinic_type",
      "currency",
      "address",
      "emergency_number",
      "date_overrides",
      "sms_quiet_start",
      "sms_quiet_end",
      "sms_hourly_limit",
      "sms_booking_confirmation",
      "sms_reminder_offsets_minutes",
    ],
  },
  profiles: { select: ALL, insert: NONE, update: OWN, delete: NONE, updatable: ["full_name", "daily_summary"] },
  // Server-written; owners and admins see the clinic's invites, never the token hash.
  team_invites: {
    select: MANAGERS,
    insert: NONE,
    update: NONE,
    delete: NONE,
    readable: ["id", "org_id", "email", "role", "invited_by", "expires_at", "accepted_at", "accepted_user_id", "revoked_at", "revoked_by", "created_at"],
  },
  audit_events: { select: MANAGERS, insert: NONE, update: NONE, delete: NONE },
  agents: {
    select: ALL,
    insert: NONE,
    update: MANAGERS,
    delete: NONE,
    updatable: ["name", "system_prompt", "first_message", "language", "transfer_number", "transfer_enabled"],
  },
  phone_numbers: { select: ALL, insert: NONE, update: MANAGERS, delete: NONE, updatable: ["label", "agent_id"] },
  contacts: { select: ALL, insert: ALL, update: ALL, delete: MANAGERS },
  appointments: {
    select: ALL,
    insert: ALL,
    update: ALL,
    delete: MANAGERS,
    // The booking; never the calendar sync state, the phone booking's call and key, or reminder bookkeeping.
    updatable: ["contact_id", "service_id", "provider", "starts_at", "ends_at", "status", "notes", "cancelled_at", "cancellation_reason"],
  },
  services: { select: ALL, insert: MANAGERS, update: MANAGERS, delete: MANAGERS },
  tool_invocations: SERVER_WRITTEN,
  call_logs: SERVER_WRITTEN,
  messages: SERVER_WRITTEN,
  usage_daily: SERVER_WRITTEN,
  call_stats_daily: SERVER_WRITTEN,
  live_tickets: { select: OWN, insert: NONE, update: NONE, delete: NONE },
  org_credentials: { ...SERVER_WRITTEN, readable: ["id", "org_id", "provider", "status", "metadata", "created_at", "updated_at"] },
  org_tools: SERVER_WRITTEN,
  verified_caller_ids: SERVER_WRITTEN,
  hybrid_forwarding_configs: SERVER_WRITTEN,
  caller_id_verification_calls: { select: MANAGERS, insert: NONE, update: NONE, delete: NONE },
  knowledge_documents: { select: ALL, insert: NONE, update: MANAGERS, delete: MANAGERS, updatable: ["title", "enabled"] },
  knowledge_chunks: SERVER_WRITTEN,
  slot_holds: SERVER_WRITTEN,
  // A live call's control URL is a bearer capability: members may see that a call has one, never the URL.
  call_controls: { ...SERVER_WRITTEN, readable: ["vapi_call_id", "org_id", "captured_at"] },
  sms_opt_outs: SERVER_WRITTEN,
  appointment_reminders: SERVER_WRITTEN,
};

/** Platform tables without an org (the global Vapi tool registry, session revocation): members have no privilege on them at all. */
const SYSTEM_TABLES = ["oauth_state_uses", "password_resets", "session_refresh_tokens", "session_revocations", "vapi_tools"];

/** Written only by the server (service role); members may at most read them. */
const serverWrittenTables = [
  "audit_events",
  "tool_invocations",
  "call_logs",
  "messages",
  "usage_daily",
  "call_stats_daily",
  "live_tickets",
  "org_credentials",
  "org_tools",
  "verified_caller_ids",
  "hybrid_forwarding_configs",
  "caller_id_verification_calls",
  "team_invites",
  "knowledge_chunks",
  "slot_holds",
  "call_controls",
  "sms_opt_outs",
  "appointment_reminders",
];

const keyOf = (table: string) => (table === "organizations" ? "id" : "org_id");
const ident = (name: string) => `public."${name.replace(/"/g, '""')}"`;
const allows = (access: Access, role: Role) => access === OWN || access.includes(role);

type Outcome = { rowCount: number; rows: any[]; error: (Error & { code?: string }) | null };

/**
 * One statement as PostgREST would run it for this JWT: role authenticated, the claims in
 * request.jwt.claims. Always rolled back, so every probe starts from the same rows.
 */
async function asJwt(claims: JwtClaims, sql: string, params: unknown[] = []): Promise<Outcome> {
  const client = await admin.connect();
  try {
    await client.query("begin");
    await client.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    const res = await client.query(sql, params);
    return { rowCount: res.rowCount ?? 0, rows: res.rows, error: null };
  } catch (err) {
    return { rowCount: 0, rows: [], error: err as Error & { code?: string } };
  } finally {
    await client.query("rollback");
    client.release();
  }
}

async function columnsOf(table: string): Promise<{ name: string; insertable: boolean }[]> {
  const { rows } = await admin.query<{ name: string; insertable: boolean }>(
    `select a.attname as name,
            a.attgenerated = '' and a.attidentity <> 'a'
              and not (a.atthasdef and exists (select 1 from pg_index i where i.indrelid = a.attrelid and i.indisprimary and a.attnum = any(i.indkey)))
              as insertable
       from pg_attribute a
      where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [ident(table)],
  );
  return rows;
}

let members: Record<Role, TestUser>;
let orgId: string;

beforeAll(async () => {
  const owner = await signUpClinic(target, { clinicName: "Least Privilege Clinic" });
  orgId = owner.orgId;
  members = {
    owner,
    admin: await addTeamMember(target, orgId, { role: "admin" }),
    staff: await addTeamMember(target, orgId, { role: "staff" }),
  };
  await seedTenantRows(admin, orgId);
  // The fixture's ticket belongs to the owner; each member gets one of their own.
  for (const role of ["admin", "staff"] as const) {
    await admin.query(
      "insert into public.live_tickets (token_hash, org_id, user_id, session_id, expires_at) values (encode(sha256(gen_random_uuid()::text::bytea), 'hex'), $1, $2, gen_random_uuid(), now() + interval '1 minute')",
      [orgId, members[role].userId],
    );
  }
});

describe("the declared matrix covers the schema", () => {
  it("every table in public has declared rules, and every declared table exists", async () => {
    const { rows } = await admin.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([...Object.keys(rules), ...SYSTEM_TABLES].sort());
  });

  it("platform tables without an org grant members and anon nothing, and have RLS on", async () => {
    for (const table of SYSTEM_TABLES) {
      const { rows } = await admin.query<{ rls: boolean; api: boolean }>(
        `select c.relrowsecurity as rls,
                has_table_privilege('authenticated', c.oid, 'select, insert, update, delete, truncate')
                  or has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate') as api
           from pg_class c where c.oid = $1::regclass`,
        [ident(table)],
      );
      expect(rows[0], table).toEqual({ rls: true, api: false });
    }
  });

  it("the server-written tables are exactly those no member may insert into, update or delete from", () => {
    const readOnly = Object.entries(rules)
      .filter(([, r]) => r.insert === NONE && r.update === NONE && r.delete === NONE)
      .map(([t]) => t);
    expect(readOnly.sort()).toEqual([...serverWrittenTables].sort());
  });
});

describe("pg_policies and privileges match the declared matrix", () => {
  for (const [table, rule] of Object.entries(rules)) {
    it(`${table}`, async () => {
      const policies = await admin.query<{ policyname: string; cmd: string; roles: string[] }>(
        "select policyname, cmd, roles::text[] as roles from pg_policies where schemaname = 'public' and tablename = $1",
        [table],
      );
      const forApi = policies.rows.filter((p) => p.roles.some((r) => ["authenticated", "anon", "public"].includes(r)));
      expect(
        forApi.filter((p) => p.cmd === "ALL").map((p) => p.policyname),
        "a `for all` policy gives every command at once",
      ).toEqual([]);
      expect(
        forApi.filter((p) => !p.roles.every((r) => r === "authenticated")).map((p) => p.policyname),
        "policies are for authenticated only",
      ).toEqual([]);
      const allowedCommands = COMMANDS.filter((c) => rule[c] === OWN || rule[c].length > 0);
      expect([...new Set(forApi.map((p) => p.cmd.toLowerCase()))].sort(), "one policy per allowed command, none for the others").toEqual(
        [...allowedCommands].sort(),
      );

      const columns = (await columnsOf(table)).map((c) => c.name);
      const privileges = await admin.query<{ column: string; select: boolean; insert: boolean; update: boolean }>(
        `select c as column,
                has_column_privilege('authenticated', $1::regclass, c, 'select') as select,
                has_column_privilege('authenticated', $1::regclass, c, 'insert') as insert,
                has_column_privilege('authenticated', $1::regclass, c, 'update') as update
           from unnest($2::text[]) c`,
        [ident(table), columns],
      );
      const withPrivilege = (p: "select" | "insert" | "update") => privileges.rows.filter((r) => r[p]).map((r) => r.column);
      const expectColumns = (command: "select" | "insert" | "update", declared: string[] | undefined) => {
        const allowed = rule[command] === OWN || rule[command].length > 0;
        expect(withPrivilege(command).sort(), `${command} privilege of authenticated`).toEqual(allowed ? [...(declared ?? columns)].sort() : []);
      };
      expectColumns("select", rule.readable);
      expectColumns("insert", undefined);
      expectColumns("update", rule.updatable);

      const table_ = await admin.query<Record<string, boolean>>(
        `select has_table_privilege('authenticated', $1::regclass, 'delete') as auth_delete,
                has_table_privilege('authenticated', $1::regclass, 'truncate') as auth_truncate,
                has_table_privilege('authenticated', $1::regclass, 'references') as auth_references,
                has_table_privilege('authenticated', $1::regclass, 'trigger') as auth_trigger,
                has_any_column_privilege('anon', $1::regclass, 'select') or has_any_column_privilege('anon', $1::regclass, 'insert')
                  or has_any_column_privilege('anon', $1::regclass, 'update') or has_any_column_privilege('anon', $1::regclass, 'references')
                  or has_table_privilege('anon', $1::regclass, 'delete, truncate, trigger') as anon_any`,
        [ident(table)],
      );
      expect(table_.rows[0]).toEqual({
        auth_delete: rule.delete === OWN || rule.delete.length > 0,
        auth_truncate: false,
        auth_references: false,
        auth_trigger: false,
        anon_any: false,
      });
    });
  }
});

describe("what each role can do to its own clinic's rows (SQL with the member's JWT)", () => {
  for (const [table, rule] of Object.entries(rules)) {
    it(`${table}: ${COMMANDS.map((c) => `${c} ${rule[c] === OWN ? "own row" : rule[c].join("/") || "nobody"}`).join(", ")}`, async () => {
      const T = ident(table);
      const key = keyOf(table);
      const sample = (await admin.query(`select to_jsonb(t) as row from ${T} t where ${key} = $1 limit 1`, [orgId])).rows[0]?.row;
      expect(sample, `the ${table} fixture must create a row for the clinic`).toBeDefined();
      const insertable = (await columnsOf(table))
        .filter((c) => c.insertable)
        .map((c) => `"${c.name}"`)
        .join(", ");
      const probeColumn = `"${rule.updatable?.[0] ?? key}"`;
      const hasUserId = (await columnsOf(table)).some((c) => c.name === "user_id");
      const problems: string[] = [];

      for (const role of ALL) {
        const { claims, userId } = members[role];
        const check = (command: Command, outcome: Outcome, allowed: boolean) => {
          const refused = outcome.error ? outcome.error.code === "42501" : outcome.rowCount === 0;
          if (allowed === refused) {
            problems.push(
              `${role} ${command} ${table}: expected ${allowed ? "allowed" : "refused"}, got ${outcome.error ? `${outcome.error.code} ${outcome.error.message}` : `${outcome.rowCount} row(s)`}`,
            );
          }
          if (rule[command] === OWN && !outcome.error && hasUserId && outcome.rows.some((r) => r.user_id !== userId)) {
            problems.push(`${role} ${command} ${table}: reached another member's row`);
          }
        };

        const selected = await asJwt(claims, `select ${hasUserId ? "user_id" : "1 as one"} from ${T} where ${key} = $1`, [orgId]);
        check("select", selected, allows(rule.select, role));

        const inserted = await asJwt(claims, `insert into ${T} (${insertable}) select ${insertable} from jsonb_populate_record(null::${T}, $1::jsonb)`, [
          sample,
        ]);
        // Allowed inserts may still hit a unique key (a copy of an existing row): only 42501 is a refusal.
        check("insert", inserted.error && inserted.error.code !== "42501" ? { ...inserted, error: null, rowCount: 1 } : inserted, allows(rule.insert, role));

        const updated = await asJwt(
          claims,
          `update ${T} set ${probeColumn} = ${probeColumn} where ${key} = $1 returning ${hasUserId ? "user_id" : "1 as one"}`,
          [orgId],
        );
        check("update", updated, allows(rule.update, role));

        const deleted = await asJwt(claims, `delete from ${T} where ${key} = $1`, [orgId]);
        // A permitted delete may still be stopped by a foreign key: only 42501 (or no row reached) is a refusal.
        check("delete", deleted.error && deleted.error.code !== "42501" ? { ...deleted, error: null, rowCount: 1 } : deleted, allows(rule.delete, role));
      }
      expect(problems).toEqual([]);
    });
  }

  it("server-written tables refuse every write from a staff and from an owner JWT", async () => {
    for (const table of serverWrittenTables) {
      const T = ident(table);
      const sample = (await admin.query(`select to_jsonb(t) as row from ${T} t where org_id = $1 limit 1`, [orgId])).rows[0].row;
      const cols = (await columnsOf(table))
        .filter((c) => c.insertable)
        .map((c) => `"${c.name}"`)
        .join(", ");
      const statements: [string, unknown[]][] = [
        [`insert into ${T} (${cols}) select ${cols} from jsonb_populate_record(null::${T}, $1::jsonb)`, [sample]],
        [`update ${T} set org_id = org_id where org_id = $1`, [orgId]],
        [`delete from ${T} where org_id = $1`, [orgId]],
        [`truncate ${T}`, []],
      ];
      for (const role of ["staff", "owner"] as const) {
        for (const [sql, params] of statements) {
          const res = await asJwt(members[role].claims, sql, params);
          expect(res.error?.code, `${role}: ${sql.slice(0, 60)}`).toBe("42501");
        }
      }
    }
  });
});

describe("columns no member may change", () => {
  it("every column outside a table's updatable list is refused, for the owner too", async () => {
    const problems: string[] = [];
    for (const [table, rule] of Object.entries(rules)) {
      if (!rule.updatable) continue;
      for (const { name } of await columnsOf(table)) {
        if (rule.updatable.includes(name)) continue;
        const res = await asJwt(members.owner.claims, `update ${ident(table)} set "${name}" = "${name}" where ${keyOf(table)} = $1`, [orgId]);
        // 428C9: a generated column (appointments.busy_range), which nobody can set.
        if (res.error?.code !== "42501" && res.error?.code !== "428C9")
          problems.push(`${table}.${name}: ${res.error ? res.error.message : `${res.rowCount} row(s) updated`}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("a member cannot change a role, suspend or reactivate the clinic, or move its routing ids", async () => {
    const attempts: [Role, string][] = [
      ["staff", "update public.profiles set role = 'owner' where user_id = auth.uid()"],
      ["admin", "update public.profiles set role = 'owner' where user_id = auth.uid()"],
      ["owner", "update public.profiles set role = 'admin' where role = 'staff'"],
      ["owner", "update public.profiles set is_operator = true where user_id = auth.uid()"],
      ["owner", "update public.organizations set status = 'active'"],
      ["admin", "update public.organizations set status = 'suspended'"],
      ["owner", "update public.agents set vapi_assistant_id = 'asst-hijack'"],
      ["owner", "update public.phone_numbers set vapi_phone_number_id = 'pn-hijack'"],
      ["owner", "update public.phone_numbers set e164 = '+12125550199'"],
      ["owner", "insert into public.phone_numbers (org_id, e164, vapi_phone_number_id) values (public.auth_org_id(), '+12125550198', 'pn-new')"],
      ["owner", "insert into public.agents (org_id, role, vapi_assistant_id) values (public.auth_org_id(), 'outbound', 'asst-new')"],
      ["owner", "insert into public.profiles (user_id, org_id, role, email) values (auth.uid(), public.auth_org_id(), 'owner', 'x@example.com')"],
    ];
    for (const [role, sql] of attempts) {
      const res = await asJwt(members[role].claims, sql);
      expect(res.error?.code, `${role}: ${sql}`).toBe("42501");
    }
  });

  it("owners and admins change settings, each member their own name; staff change neither settings nor others' names", async () => {
    expect((await asJwt(members.admin.claims, "update public.organizations set slot_minutes = 15")).rowCount).toBe(1);
    expect((await asJwt(members.staff.claims, "update public.organizations set slot_minutes = 15")).rowCount).toBe(0);
    expect((await asJwt(members.staff.claims, "update public.profiles set full_name = 'New Name' where user_id = auth.uid()")).rowCount).toBe(1);
    expect((await asJwt(members.staff.claims, "update public.profiles set full_name = 'Renamed' where user_id = $1", [members.owner.userId])).rowCount).toBe(0);
    expect((await asJwt(members.admin.claims, "update public.profiles set full_name = 'Renamed' where user_id = $1", [members.owner.userId])).rowCount).toBe(0);
  });
});

describe("the role RLS sees is the member's current one", () => {
  it("a demotion or a removal applies at once, even to a token issued before it", async () => {
    const manager = await addTeamMember(target, orgId, { role: "admin" });
    const renameServices = "update public.services set description = description where org_id = public.auth_org_id()";
    expect((await asJwt(manager.claims, renameServices)).rowCount).toBeGreaterThan(0);

    await admin.query("update public.profiles set role = 'staff' where user_id = $1", [manager.userId]);
    expect(manager.claims.app_metadata.role).toBe("admin"); // the old token still says admin
    // The next token will not: the role is copied into app_metadata for the token to carry.
    const stamped = await admin.query("select raw_app_meta_data as meta from auth.users where id = $1", [manager.userId]);
    expect(stamped.rows[0].meta).toMatchObject({ org_id: orgId, role: "staff", operator: false });
    expect((await asJwt(manager.claims, renameServices)).rowCount).toBe(0);
    expect((await asJwt(manager.claims, "select 1 from public.call_logs")).rowCount).toBeGreaterThan(0);

    await admin.query("delete from public.profiles where user_id = $1", [manager.userId]);
    for (const table of ["call_logs", "contacts", "organizations", "profiles"]) {
      expect((await asJwt(manager.claims, `select 1 from public.${table}`)).rowCount, table).toBe(0);
    }
  });
});
