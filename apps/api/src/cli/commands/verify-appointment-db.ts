import { appointmentProblems } from "../../modules/operations/queries";
import type { CliCommand } from "../types";

const TITLES = {
  overlap: "Overlapping appointments (the same provider booked twice, buffers included)",
  orphan: "Appointments without a patient",
  missing_google_event: "Upcoming appointments without their Google Calendar event",
} as const;
const FIXES = {
  overlap: "Cancel or move one of each pair from the Appointments page, and tell the patient.",
  orphan: "Open the appointment, attach the patient (or cancel it if nobody is coming).",
  missing_google_event: "Reconnect Google Calendar on Integrations; the next booking change syncs the event.",
} as const;

export const command: CliCommand = {
  name: "verify-appointment-db",
  summary: "Check every clinic's appointments: overlaps, appointments without a patient, and upcoming ones missing their Google event",
  dryRun: true, // read-only: a dry run is the same run
  async run(ctx) {
    const { db } = await ctx.database();
    const problems = await db.asSystem((tx) => appointmentProblems(tx, new Date()));
    for (const kind of Object.keys(TITLES) as (keyof typeof TITLES)[]) {
      const found = problems.filter((p) => p.kind === kind);
      ctx.print(`${found.length ? "✗" : "✓"} ${TITLES[kind]}: ${found.length}`);
      for (const p of found) ctx.print(`    appointment ${p.appointment_id} (org ${p.org_id}) ${p.detail}`);
      if (found.length) ctx.print(`    Fix: ${FIXES[kind]}`);
    }
    return {
      ok: problems.length === 0,
      data: { problems: problems.map((p) => ({ kind: p.kind, orgId: p.org_id, appointmentId: p.appointment_id, detail: p.detail })) },
      error: problems.length ? `${problems.length} appointment problem(s) found (listed above).` : undefined,
    };
  },
};
