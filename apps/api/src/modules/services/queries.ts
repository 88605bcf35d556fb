import type { Db } from "../../db/database";

export type ServiceMatch = { id: string; name: string; price: number; durationMinutes: number };

/** The clinic's best service for the caller's words, via get_service_price_by_keyword(). */
export async function findServiceByKeyword(db: Db, orgId: string, words: string): Promise<ServiceMatch | null> {
  const { rows } = await db.query("select service_id, service_name, price, duration_minutes from public.get_service_price_by_keyword($1, $2)", [orgId, words]);
  const r = rows[0];
  return r ? { id: r.service_id, name: r.service_name, price: Number(r.price), durationMinutes: r.duration_minutes } : null;
}

export async function activeServiceNames(db: Db, orgId: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("select name from public.services where org_id = $1 and active order by price, name", [orgId]);
  return rows.map((r) => r.name);
}
