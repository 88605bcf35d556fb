import type { Database } from "../db/database";
import { DEMO_IDENTITY } from "../simulator/identity";

/** The demo clinic's front-desk settings, applied once when the clinic is created. */
export async function applyDemoClinicSettings(
  db: Database,
  orgId: string,
  clinic: { transferNumber: string; hotLeadAlertNumber: string; businessHours: object },
): Promise<void> {
  await db.asService(orgId, (tx) =>
    tx.query(
      `update public.organizations
          set transfer_number = $2, hot_lead_alert_number = $3, business_hours = $4,
              slot_minutes = 30, buffer_after_minutes = 10, after_hours_mode = 'offer_slots'
        where id = $1`,
      [orgId, clinic.transferNumber, clinic.hotLeadAlertNumber, clinic.businessHours],
    ),
  );
}

/** The demo clinic's inbound assistant and line, so simulated (and CLI) calls resolve to it. */
export async function ensureDemoVapiIdentity(db: Database, orgId: string): Promise<void> {
  await db.asService(orgId, async (tx) => {
    const agent = await tx.query<{ id: string }>(
      `insert into public.agents (org_id, role, name, vapi_assistant_id, first_message, sync_status)
       values ($1, 'inbound', 'Receptionist', $2, 'Thank you for calling, this is the virtual receptionist. How can I help you today?', 'not_configured')
       on conflict (org_id, role) do update set vapi_assistant_id = coalesce(public.agents.vapi_assistant_id, excluded.vapi_assistant_id)
       returning id`,
      [orgId, DEMO_IDENTITY.assistantId],
    );
    await tx.query(
      `insert into public.phone_numbers (org_id, e164, label, vapi_phone_number_id, agent_id)
       values ($1, $2, 'Main line (demo)', $3, $4)
       on conflict do nothing`,
      [orgId, DEMO_IDENTITY.clinicNumber, DEMO_IDENTITY.phoneNumberId, agent.rows[0]!.id],
    );
  });
}
