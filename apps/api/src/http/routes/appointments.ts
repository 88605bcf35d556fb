import { apiRoutes } from "@voxanne/contracts";
import { Router } from "express";
import type { AppDeps } from "../../deps";
import type { Db } from "../../db/database";
import {
  availableSlots,
  cancelAppointmentByStaff,
  createAppointment,
  listAppointments,
  moveAppointment,
  sendAppointmentReminder,
} from "../../modules/appointments/service";
import { mount } from "../route";

/**
 * /api/appointments: the Appointments page. Reads run under the member's RLS; changes run as the
 * service role for the member's own org (mount() has checked the role), because each one writes
 * its audit row in the same transaction and members cannot write the audit trail.
 */
export function createAppointmentsRouter(deps: Pick<AppDeps, "db" | "clock" | "jobs" | "googleCalendar">): Router {
  const router = Router();
  const actor = (auth: { orgId: string; userId: string }) => ({ orgId: auth.orgId, userId: auth.userId });
  const google = deps.googleCalendar?.configured ? deps.googleCalendar : undefined;
  // Changes run as the service role, which may read the clinic's Google token from the vault.
  const frontDesk = () => ({ jobs: deps.jobs, now: deps.clock.now(), calendarBusy: google?.busy.bind(google) });
  // The slot picker reads under the member's RLS, which does not open the vault: free/busy gets its
  // own short service-role transaction for the member's org.
  const slotDeps = () => ({
    now: deps.clock.now(),
    calendarBusy: google && ((_db: Db, orgId: string, from: Date, to: Date) => deps.db.asService(orgId, (tx) => google.busy(tx, orgId, from, to))),
  });

  mount(router, apiRoutes.appointments.list, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => listAppointments(db, auth.orgId, query)));
  mount(router, apiRoutes.appointments.slots, ({ auth, query }) => deps.db.asUser(auth.claims, (db) => availableSlots(db, auth.orgId, slotDeps(), query)));
  mount(router, apiRoutes.appointments.create, async ({ auth, body }) => ({
    appointment: await deps.db.asService(auth.orgId, (db) => createAppointment(db, actor(auth), frontDesk(), body)),
  }));
  mount(router, apiRoutes.appointments.reschedule, async ({ auth, params, body }) => ({
    appointment: await deps.db.asService(auth.orgId, (db) => moveAppointment(db, actor(auth), frontDesk(), params.id!, body.start)),
  }));
  mount(router, apiRoutes.appointments.cancel, async ({ auth, params, body }) => ({
    appointment: await deps.db.asService(auth.orgId, (db) => cancelAppointmentByStaff(db, actor(auth), frontDesk(), params.id!, body.reason)),
  }));
  mount(router, apiRoutes.appointments.sendReminder, ({ auth, params, body }) =>
    deps.db.asService(auth.orgId, (db) => sendAppointmentReminder(db, actor(auth), frontDesk(), params.appointmentId!, body.method)),
  );
  return router;
}
