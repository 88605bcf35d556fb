/**
 * The clinic's price list (Services page). Every member reads it; owners and admins change it.
 * Each change is audited in its transaction. A service with appointments still ahead is archived
 * (inactive, kept for those bookings) instead of deleted; the services_guard_delete trigger
 * (supabase/migrations/20261212000100_clinic_setup.sql) is the guarantee. The receptionist reads
 * services on every price question and booking, and agents in Vapi are re-synced for their prompt.
 */
import type { Role, Service, ServiceInput, ServicePatch, ServiceRemoved, ServicesResponse } from "@voxanne/contracts";
import type { Db } from "../../db/database";
import { conflict, notFound } from "../../lib/domain-error";
import { resyncAgentsAfterClinicChange, type SaveAgentDeps } from "../agents/service";
import { recordClinicChange } from "../settings/queries";
import { assertManager } from "../settings/service";
import * as q from "./queries";

type Who = { orgId: string; userId: string; role: Role };

function toService(r: q.ServiceRow): Service {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    price: Number(r.price),
    durationMinutes: r.duration_minutes,
    keywords: r.keywords,
    active: r.active,
    isDefault: r.is_default,
    archivedAt: r.archived_at?.toISOString() ?? null,
    upcomingAppointments: r.upcoming_appointments,
  };
}

const NOT_FOUND = "That service was not found. It may have been deleted; reload the Services page.";

const mayChange = (db: Db, who: Who) => assertManager(db, who, "change services");

async function assertNameFree(db: Db, orgId: string, name: string, exceptId: string | null): Promise<void> {
  if (await q.serviceNameTaken(db, orgId, name, exceptId))
    throw conflict(`There is already a service called "${name}". Choose another name or edit that one.`, "service_name_taken");
}

const snapshot = (s: Service) => ({ name: s.name, price: s.price, durationMinutes: s.durationMinutes, keywords: s.keywords, active: s.active });

export async function listServices(db: Db, orgId: string): Promise<ServicesResponse> {
  const rows = await q.listServiceRows(db, orgId);
  const info = await q.priceListInfo(db, orgId);
  return { services: rows.map(toService), currency: info.currency, changedAt: info.changedAt?.toISOString() ?? null };
}

export async function getService(db: Db, orgId: string, id: string): Promise<Service> {
  const row = await q.findServiceRow(db, orgId, id);
  if (!row) throw notFound(NOT_FOUND);
  return toService(row);
}

export async function createService(db: Db, deps: SaveAgentDeps, who: Who, input: ServiceInput): Promise<Service> {
  await mayChange(db, who);
  const values = { description: null, keywords: [], active: true, ...input } as q.ServiceValues;
  await assertNameFree(db, who.orgId, values.name, null);
  const id = await q.insertService(db, who.orgId, values);
  const created = await getService(db, who.orgId, id);
  await recordClinicChange(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "service.created",
    targetType: "service",
    targetId: id,
    data: snapshot(created),
  });
  await q.markServicesChanged(db, who.orgId);
  await resyncAgentsAfterClinicChange(db, deps, who.orgId);
  return created;
}

export async function updateService(db: Db, deps: SaveAgentDeps, who: Who, id: string, patch: ServicePatch): Promise<Service> {
  await mayChange(db, who);
  const row = await q.findServiceRow(db, who.orgId, id, { forUpdate: true });
  if (!row) throw notFound(NOT_FOUND);
  const before = toService(row);
  const next: q.ServiceValues = {
    name: patch.name ?? before.name,
    description: patch.description === undefined ? before.description : patch.description,
    price: patch.price ?? before.price,
    durationMinutes: patch.durationMinutes ?? before.durationMinutes,
    keywords: patch.keywords ?? before.keywords,
    active: patch.active ?? before.active,
  };
  // A renamed service, or an archived one made active again, must not clash with a current one.
  if (next.name.toLowerCase() !== before.name.toLowerCase() || (before.archivedAt && next.active)) await assertNameFree(db, who.orgId, next.name, id);
  await q.updateService(db, who.orgId, id, next);
  const after = await getService(db, who.orgId, id);
  await recordClinicChange(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: "service.updated",
    targetType: "service",
    targetId: id,
    data: { before: snapshot(before), after: snapshot(after) },
  });
  await q.markServicesChanged(db, who.orgId);
  await resyncAgentsAfterClinicChange(db, deps, who.orgId);
  return after;
}

/** Deletes a service, or archives it when appointments ahead still use it. */
export async function removeService(db: Db, deps: SaveAgentDeps, who: Who, id: string): Promise<ServiceRemoved> {
  await mayChange(db, who);
  // FOR UPDATE waits for bookings referencing the row (their foreign-key lock) and blocks new ones
  // until we commit, so the count below is the truth when we act on it.
  const row = await q.findServiceRow(db, who.orgId, id, { forUpdate: true });
  if (!row) throw notFound(NOT_FOUND);
  const service = toService(row);
  let result: ServiceRemoved;
  if (service.upcomingAppointments > 0) {
    await q.archiveService(db, who.orgId, id);
    result = { result: "archived", service: await getService(db, who.orgId, id) };
  } else {
    await q.deleteService(db, who.orgId, id);
    result = { result: "deleted", id };
  }
  await recordClinicChange(db, {
    orgId: who.orgId,
    actorUserId: who.userId,
    action: result.result === "archived" ? "service.archived" : "service.deleted",
    targetType: "service",
    targetId: id,
    data: { ...snapshot(service), upcomingAppointments: service.upcomingAppointments },
  });
  await q.markServicesChanged(db, who.orgId);
  await resyncAgentsAfterClinicChange(db, deps, who.orgId);
  return result;
}
