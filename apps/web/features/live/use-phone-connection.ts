"use client";

import { useQuery } from "@tanstack/react-query";
import { apiRoutes } from "@/lib/api";
import { routeQuery } from "@/lib/query";

export type PhoneConnection = {
  /** Undefined while the answers are loading (or could not be read): say nothing rather than guess. */
  connected: boolean | undefined;
  /** The number patients call, when one is connected. */
  number: string | null;
};

/**
 * Whether patients' calls can reach the receptionist: a Twilio number that is `active`
 * (GET /api/integrations/twilio) or a verified number of the clinic's own with call forwarding
 * set up (GET /api/telephony/verified-numbers), the same rules as the getting-started checklist.
 */
export function usePhoneConnection(): PhoneConnection {
  const twilio = useQuery(routeQuery(apiRoutes.integrations.twilioStatus));
  const own = useQuery(routeQuery(apiRoutes.telephony.verifiedNumbers));
  if (twilio.data?.status === "active") return { connected: true, number: twilio.data.phoneNumber ?? null };
  const forwarded = own.data?.numbers.find((n) => n.status === "verified" && n.hasForwardingConfig);
  if (forwarded) return { connected: true, number: forwarded.phoneNumber };
  if (twilio.data && own.data) return { connected: false, number: null };
  return { connected: undefined, number: null };
}
