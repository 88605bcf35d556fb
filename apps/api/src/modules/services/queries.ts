import { prepared, type Db } from "../../db/database";

export type ServiceMatch = { id: string; name: string; price: number; durationMinutes: number };

/** The clinic's best service for the caller's words, via get_service_price_by_keyword(). */
export async function findServiceByKeyword(db: Db, orgId: string, words: string): Promise<ServiceMatch | null> {
  const { rows } = await db.query(prepared("select service_id, service_name, price, duration_minutes from public.get_service_price_by_keyword($1, $2)"), [
    orgId,
    words,
  ]);
  const r = rows[0];
  return r ? { id: r.service_id, name: r.service_name, price: Number(r.price), durationMinutes: r.duration_minutes } : null;
}

export async function activeServiceNames(db: Db, orgId: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("select name from public.services where org_id = $1 and active order by price, name", [orgId]);
  return rows.map((r) => r.name);
}

// The Services page ---------------------------------------------------------------------------------

export type ServiceRow = {
  id: string;
  name: string;
  description: string | null;
  price: string;
  duration_minutes: number;
  keywords: string[];
  active: boolean;
  is_default: boolean;
  archived_at: Date | null;
  upcoming_appointments: number;
};

const SERVICE_COLUMNS = `s.id, s.name, s.description, s.price, s.duration_minutes, s.keywords, s.active, s.is_default, s.archived_at,
  (select count(*)::int from public.appointments a
    where a.org_id = s.org_id and a.service_id = s.id and a.status in ('booked', 'confirmed') and a.ends_at > now()) as upcoming_appointments`;

export async function listServiceRows(db: Db, orgId: string): Promise<ServiceRow[]> {
  const { rows } = await db.query<ServiceRow>(
    `select ${SERVICE_COLUMNS} from public.services s where s.org_id = $1 order by s.archived_at nulls first, s.active desc, lower(s.name)`,
    [orgId],
  );
  return rows;
}

export async function findServiceRow(db: Db, orgId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ServiceRow | null> {
  const { rows } = await db.query<ServiceRow>(
    `select ${SERVICE_COLUMNS} from public.services s where s.org_id = $1 and s.id = $2${options.forUpdate ? " for update of s" : ""}`,
    [orgId, id],
  );
  return rows[0] ?? null;
}

export async function priceListInfo(db: Db, orgId: string): Promise<{ currency: string; changedAt: Date | null }> {
  const { rows } = await db.query<{ currency: string; services_changed_at: Date | null }>(
    "select currency, services_changed_at from public.organizations where id = $1",
    [orgId],
  );
  return { currency: rows[0]?.currency ?? "USD", changedAt: rows[0]?.services_changed_at ?? null };
}

export async function markServicesChanged(db: Db, orgId: string): Promise<void> {
  await db.query("update public.organizations set services_changed_at = now() where id = $1", [orgId]);
}

/** Whether another current (not archived) service of the org already has this name, case-insensitively. */
export async function serviceNameTaken(db: Db, orgId: string, name: string, exceptId: string | null): Promise<boolean> {
  const { rows } = await db.query(
    "select 1 from public.services where org_id = $1 and lower(name) = lower($2) and archived_at is null and ($3::uuid is null or id <> $3)",
    [orgId, name, exceptId],
  );
  return rows.length > 0;
}

export type ServiceValues = { name: string; description: string | null; price: number; durationMinutes: number; keywords: string[]; active: boolean };

export async function insertService(db: Db, orgId: string, v: ServiceValues): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.services (org_id, name, description, price, duration_minutes, keywords, active)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [orgId, v.name, v.description, v.price, v.durationMinutes, v.keywords, v.active],
  );
  return rows[0]!.id;
}

export async function updateService(db: Db, orgId: string, id: string, v: ServiceValues): Promise<void> {
  await db.query(
    // Making an archived service active again restores it.
    `update public.services set name = $3, description = $4, price = $5, duration_minutes = $6, keywords = $7, active = $8,
            archived_at = case when $8 then null else archived_at end
      where org_id = $1 and id = $2`,
    [orgId, id, v.name, v.description, v.price, v.durationMinutes, v.keywords, v.active],
  );
}

export async function archiveService(db: Db, orgId: string, id: string): Promise<void> {
  await db.query("update public.services set active = false, archived_at = now() where org_id = $1 and id = $2", [orgId, id]);
}

export async function deleteService(db: Db, orgId: string, id: string): Promise<void> {
  await db.query("delete from public.services where org_id = $1 and id = $2", [orgId, id]);
}
