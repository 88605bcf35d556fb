import { createVapiClient, VAPI_NOT_CONFIGURED } from "../../integrations/vapi/client";
import { vapiTelephonyPort } from "../../integrations/vapi/telephony";
import { insertOperatorAudit } from "../../modules/admin/queries";
import { clinicNumbers, deletePhoneNumber, findOrganization } from "../../modules/operations/queries";
import { ProviderFailure } from "../../modules/twilio/ports";
import { orgOption } from "../org-option";
import type { CliCommand } from "../types";

export const command: CliCommand = {
  name: "release-number",
  summary: "Release a clinic's phone number(s) from Vapi and free them here, so the number can be imported again or moved",
  usage: "--org <uuid>",
  options: { org: { type: "string" } },
  dryRun: true,
  async run(ctx, { values }) {
    const org = orgOption(values);
    if ("error" in org) return { ok: false, error: org.error };
    const { db } = await ctx.database();
    const clinic = await db.asSystem((tx) => findOrganization(tx, org.orgId));
    if (!clinic) return { ok: false, error: `No clinic has id ${org.orgId}.` };
    const numbers = await db.asSystem((tx) => clinicNumbers(tx, org.orgId));
    if (numbers.length === 0) {
      ctx.print(`${clinic.name} has no phone number: nothing to release.`);
      return { ok: true, data: { dryRun: ctx.dryRun, orgId: org.orgId, released: [], failures: [] } };
    }
    const client = createVapiClient(ctx.config);
    if (!client && numbers.some((n) => n.vapi_phone_number_id)) return { ok: false, error: VAPI_NOT_CONFIGURED };
    const vapi = client ? vapiTelephonyPort(client, ctx.config) : null;
    const released: { e164: string; vapiPhoneNumberId: string | null }[] = [];
    const failures: { e164: string; error: string }[] = [];
    for (const n of numbers) {
      if (ctx.dryRun) {
        released.push({ e164: n.e164, vapiPhoneNumberId: n.vapi_phone_number_id });
        continue;
      }
      try {
        // Gone from Vapi already (404) counts as released.
        if (n.vapi_phone_number_id)
          await vapi!.releaseNumber(n.vapi_phone_number_id).catch((err: unknown) => {
            if (!(err instanceof ProviderFailure && err.notFound)) throw err;
          });
        await db.asSystem(async (tx) => {
          await deletePhoneNumber(tx, org.orgId, n.id);
          await insertOperatorAudit(tx, {
            orgId: org.orgId,
            actorUserId: null,
            action: "phone_number.released",
            targetType: "phone_numbers",
            targetId: n.id,
            data: { e164: n.e164, vapiPhoneNumberId: n.vapi_phone_number_id },
          });
        });
        released.push({ e164: n.e164, vapiPhoneNumberId: n.vapi_phone_number_id });
      } catch (err) {
        failures.push({ e164: n.e164, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const verb = ctx.dryRun ? "Would release" : "Released";
    for (const r of released) ctx.print(`  ${verb} ${r.e164}${r.vapiPhoneNumberId ? ` (Vapi number ${r.vapiPhoneNumberId})` : ""}`);
    for (const f of failures) ctx.print(`  ✗ ${f.e164}: ${f.error} It is still linked; run again.`);
    return {
      ok: failures.length === 0,
      data: { dryRun: ctx.dryRun, orgId: org.orgId, released, failures },
      error: failures.length ? `${failures.length} number(s) could not be released from Vapi (listed above).` : undefined,
    };
  },
};
