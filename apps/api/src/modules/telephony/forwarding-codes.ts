import type { Carrier, ForwardingCodes, ForwardingType } from "@voxanne/contracts";
import { DomainError } from "../../lib/domain-error";

/**
 * The dial codes that forward a clinic's own phone to the receptionist: the one table of them
 * (docs/ARCHITECTURE.md, "carrier codes"). Getting one wrong leaves a clinic silently unreachable,
 * so test/forwarding-codes.test.ts checks every carrier × type × ring time against a table written
 * by hand.
 *
 * GSM networks (AT&T, T-Mobile, any other GSM network) share the 3GPP grammar:
 *   `**SC*NUMBER*BS*T#` registers and activates, `##SC#` erases, `*#SC#` interrogates;
 *   SC 21 = all calls, 004 = all conditional (busy + no answer + unreachable), 61 = no answer;
 *   BS 11 = voice (an explicit BS keeps T in the timer slot — `**61*N*10#` would mean BS 10, not 10 s);
 *   T = the no-reply timer, 5–30 s in 5 s steps.
 * Verizon (CDMA heritage) has no ring-time code: `*72N` all calls, `*71N` busy/no answer, `*73` off.
 */

/** The only ring times a GSM network applies (3GPP no-reply timer: 5–30 s in 5 s steps). */
export const GSM_RING_TIMES = [5, 10, 15, 20, 25, 30] as const;

const US_NUMBER = /^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/;

export type ForwardingRequest = {
  carrier: Carrier;
  forwardingType: ForwardingType;
  /** Where calls go: the receptionist's (Twilio) number, E.164. */
  destination: string;
  /** GSM safety net only: seconds the phone rings before forwarding. */
  ringTimeSeconds?: number | null;
  /** The carrier voicemail number noted with `*#61#` before setup, for an exact restore code. */
  voicemailNumber?: string | null;
};

/** How the destination is written in the dial string for each carrier. */
function dialedDestination(carrier: Carrier, destination: string): string {
  if (carrier === "tmobile") {
    if (!US_NUMBER.test(destination)) {
      throw new DomainError(
        "invalid",
        "tmobile_us_only",
        "T-Mobile forwards only to 10- or 11-digit US numbers; the receptionist's number is not a US number.",
      );
    }
    return destination.slice(1); // 11 digits: 1 + area code + number
  }
  if (carrier === "verizon") {
    if (!US_NUMBER.test(destination)) {
      throw new DomainError("invalid", "verizon_us_only", "Verizon forwards only to 10-digit US numbers; the receptionist's number is not a US number.");
    }
    return destination.slice(2); // 10 digits
  }
  return destination; // GSM accepts international format
}

export function forwardingCodes(req: ForwardingRequest): ForwardingCodes {
  const dest = dialedDestination(req.carrier, req.destination);
  if (req.carrier === "verizon") {
    if (req.ringTimeSeconds != null) {
      throw new DomainError("invalid", "verizon_no_ring_time", "Verizon has no dial code for a ring time; leave the ring time out.");
    }
    return {
      activationCode: req.forwardingType === "total_ai" ? `*72${dest}` : `*71${dest}`,
      deactivationCode: "*73",
      statusCode: null,
      ringTimeSeconds: null,
      voicemailWarning: null,
    };
  }
  if (req.forwardingType === "total_ai") {
    if (req.ringTimeSeconds != null) {
      throw new DomainError("invalid", "ring_time_all_calls", "Forwarding all calls does not ring your phone first; leave the ring time out.");
    }
    return { activationCode: `**21*${dest}#`, deactivationCode: "##21#", statusCode: "*#21#", ringTimeSeconds: null, voicemailWarning: null };
  }
  const t = req.ringTimeSeconds;
  if (t == null || !(GSM_RING_TIMES as readonly number[]).includes(t)) {
    throw new DomainError("invalid", "invalid_ring_time", "Ring time must be one of 5, 10, 15, 20, 25 or 30 seconds on GSM networks.");
  }
  const vm = req.voicemailNumber ?? null;
  return {
    activationCode: `**004*${dest}*11*${t}#`,
    deactivationCode: "##004#",
    statusCode: "*#61#",
    ringTimeSeconds: t,
    voicemailWarning: {
      message:
        "Erasing conditional forwarding (##004#) also removes your carrier's voicemail forwarding. Before you start, dial *#61# and note the number it shows; dial the restore code afterwards to get voicemail back.",
      checkCode: "*#61#",
      restoreCode: vm ? `**004*${vm}#` : null,
      restoreCodePattern: "**004*<voicemail number>#",
    },
  };
}
