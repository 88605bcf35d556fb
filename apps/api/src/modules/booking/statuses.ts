import { ACTIVE_APPOINTMENT_STATUSES, type AppointmentStatus } from "@voxanne/contracts";

/** An appointment in one of these statuses holds its slot; the appointments exclusion constraint covers exactly these. */
export function isActiveStatus(status: string): boolean {
  return (ACTIVE_APPOINTMENT_STATUSES as readonly string[]).includes(status);
}

/** `('booked', 'confirmed')`: the active statuses as a SQL list, optionally with more statuses. */
export function activeStatusesSql(...more: AppointmentStatus[]): string {
  return `(${[...ACTIVE_APPOINTMENT_STATUSES, ...more].map((s) => `'${s}'`).join(", ")})`;
}
