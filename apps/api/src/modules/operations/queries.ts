import type { Db } from "../../db/database";

/** SQL behind the operator CLI (src/cli/commands): checks and repairs across every clinic, as the service role. */

export type SyncedAgentRow = { org_id: string; org_name: string; role: string; vapi_assistant_id: string };

/** Every agent that has a Vapi assistant, across clinics (or in one). */
export async function listSyncedAgents(db: Db, orgId: string | null = null): Promise<SyncedAgentRow[]> {
  const { rows } = await db.query<SyncedAgentRow>(
    `select a.org_id, o.name as org_name, a.role, a.vapi_assistant_id
       from public.agents a join public.organizations o on o.id = a.org_id
      where a.vapi_assistant_id is not null and ($1::uuid is null or a.org_id = $1)
      order by o.name, a.org_id, a.role`,
    [orgId],
  );
  return rows;
}

export async function findOrganization(db: Db, orgId: string): Promise<{ id: string; name: string } | null> {
  const { rows } = await db.query<{ id: string; name: string }>("select id, name from public.organizations where id = $1", [orgId]);
  return rows[0] ?? null;
}

export async function orgToolLinks(db: Db, orgId: string): Promise<{ tool_name: string; vapi_tool_id: string; definition_hash: string }[]> {
  const { rows } = await db.query<{ tool_name: string; vapi_tool_id: string; definition_hash: string }>(
    "select tool_name, vapi_tool_id, definition_hash from public.org_tools where org_id = $1 order by tool_name",
    [orgId],
  );
  return rows;
}

export type ClinicNumber = { id: string; e164: string; vapi_phone_number_id: string | null; agent_id: string | null };

export async function clinicNumbers(db: Db, orgId: string): Promise<ClinicNumber[]> {
  const { rows } = await db.query<ClinicNumber>(
    "select id, e164, vapi_phone_number_id, agent_id from public.phone_numbers where org_id = $1 order by created_at, id",
    [orgId],
  );
  return rows;
}

export async function deletePhoneNumber(db: Db, orgId: string, id: string): Promise<void> {
  await db.query("delete from public.phone_numbers where org_id = $1 and id = $2", [orgId, id]);
}

export async function inboundAssistantId(db: Db, orgId: string): Promise<string | null> {
  const { rows } = await db.query<{ vapi_assistant_id: string | null }>("select vapi_assistant_id from public.agents where org_id = $1 and role = 'inbound'", [
    orgId,
  ]);
  return rows[0]?.vapi_assistant_id ?? null;
}

export type MembershipRow = {
  user_id: string;
  email: string | null;
  token_org_id: string | null;
  token_role: string | null;
  token_operator: boolean | null;
  profile_org_id: string | null;
  profile_role: string | null;
  profile_operator: boolean | null;
  token_org_exists: boolean;
};

/**
 * Users whose access-token claims (auth.users.raw_app_meta_data) disagree with their profile, or
 * who name an organization that does not exist, or have no profile at all.
 */
export async function membershipMismatches(db: Db): Promise<MembershipRow[]> {
  // auth.users is read through a definer function (migration 20261217000100): the service role cannot.
  const { rows } = await db.query<MembershipRow>("select * from public.membership_mismatches()");
  return rows;
}

/** Copies the profile's org, role and operator flag into the user's claims (migration 20261217000100). */
export async function resyncUserClaims(db: Db, userId: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>("select public.resync_user_claims($1) as ok", [userId]);
  return rows[0]?.ok ?? false;
}

export type AppointmentProblem = { kind: "overlap" | "orphan" | "missing_google_event"; org_id: string; appointment_id: string; detail: string };

/**
 * Appointments that break what the booking engine promises: two active ones of a provider
 * overlapping (buffers included), an active one whose contact is gone, and (for clinics with
 * Google Calendar connected) an upcoming active one without its Google event.
 */
export async function appointmentProblems(db: Db, now: Date): Promise<AppointmentProblem[]> {
  const { rows } = await db.query<AppointmentProblem>(
    `select 'overlap' as kind, a.org_id, a.id::text as appointment_id,
            'overlaps appointment ' || b.id || ' (' || to_char(a.starts_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC)' as detail
       from public.appointments a
       join public.appointments b
         on b.org_id = a.org_id and coalesce(b.provider, '') = coalesce(a.provider, '') and b.id > a.id
        and b.busy_range && a.busy_range and b.status in ('booked', 'confirmed')
      where a.status in ('booked', 'confirmed')
     union all
     select 'orphan', a.org_id, a.id::text, 'has no contact (the patient record was deleted)'
       from public.appointments a
      where a.status in ('booked', 'confirmed') and a.contact_id is null
     union all
     select 'missing_google_event', a.org_id, a.id::text, 'has no Google Calendar event'
       from public.appointments a
       join public.org_credentials c on c.org_id = a.org_id and c.provider = 'google' and c.status = 'active'
      where a.status in ('booked', 'confirmed') and a.google_event_id is null and a.starts_at > $1
      order by 1, 2, 3`,
    [now],
  );
  return rows;
}

export type OperatorProfileRow = { user_id: string; org_id: string; email: string; is_operator: boolean };

export async function findProfileByEmail(db: Db, email: string): Promise<OperatorProfileRow | null> {
  const { rows } = await db.query<OperatorProfileRow>("select user_id, org_id, email, is_operator from public.profiles where lower(email) = lower($1)", [
    email,
  ]);
  return rows[0] ?? null;
}

/** The operator flag; the profiles_sync_claims trigger copies it into the user's next token. */
export async function setOperatorFlag(db: Db, userId: string, operator: boolean): Promise<void> {
  await db.query("update public.profiles set is_operator = $2 where user_id = $1", [userId, operator]);
}
