"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConfirmForwardingBody, SaveForwardingConfigBody } from "@voxanne/contracts";
import { useCallback, useEffect, useState } from "react";
import type { z } from "zod";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/**
 * The clinic's own numbers and whether verification can start. While a verification is pending it
 * is re-read every 3 seconds: Twilio's signed callback may verify the number at any moment.
 */
export function useVerifiedNumbers(pollWhilePending: boolean) {
  return useQuery({ ...routeQuery(apiRoutes.telephony.verifiedNumbers), refetchInterval: pollWhilePending ? 3000 : false });
}

export function useForwardingConfig(verifiedCallerId: string | null) {
  return useQuery({
    ...routeQuery(apiRoutes.telephony.forwardingConfig, { query: { verifiedCallerId: verifiedCallerId ?? "" } }),
    enabled: verifiedCallerId !== null,
  });
}

/** Every change re-reads the numbers and the forwarding configuration. */
export function useTelephonyActions() {
  const queryClient = useQueryClient();
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.telephony.verifiedNumbers) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.telephony.forwardingConfig) });
  }, [queryClient]);
  const after =
    <A extends unknown[], T>(fn: (...args: A) => Promise<T>) =>
    async (...args: A) => {
      try {
        return await fn(...args);
      } finally {
        refresh();
      }
    };
  return {
    initiate: after((phoneNumber: string) => callAuthed(apiRoutes.telephony.initiateVerification, { body: { phoneNumber } })),
    confirm: after((verificationId: string) => callAuthed(apiRoutes.telephony.confirmVerification, { body: { verificationId } })),
    remove: after((verifiedId: string) => callAuthed(apiRoutes.telephony.removeVerifiedNumber, { params: { verifiedId } })),
    save: after((body: z.input<typeof SaveForwardingConfigBody>) => callAuthed(apiRoutes.telephony.saveForwardingConfig, { body })),
    confirmForwarding: after((body: z.input<typeof ConfirmForwardingBody>) => callAuthed(apiRoutes.telephony.confirmForwarding, { body })),
    disable: after((configId: string) => callAuthed(apiRoutes.telephony.disableForwarding, { params: { configId } })),
  };
}

/**
 * A value kept in sessionStorage: the wizard's progress survives a reload of the tab (and Twilio's
 * code stays on screen while Twilio calls), but nothing outlives the tab.
 */
export function useTabState<T>(key: string, initial: T): [T, (next: T | ((old: T) => T)) => void, boolean] {
  const [state, setState] = useState<T>(initial);
  const [loaded, setLoaded] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once per key; `initial` is a constant per key
  useEffect(() => {
    try {
      const raw = window.sessionStorage.getItem(key);
      if (raw) setState({ ...initial, ...(JSON.parse(raw) as T) });
    } catch {
      // Unreadable or blocked storage: start from the beginning.
    }
    setLoaded(true);
  }, [key]);
  const set = useCallback(
    (next: T | ((old: T) => T)) => {
      setState((old) => {
        const value = typeof next === "function" ? (next as (old: T) => T)(old) : next;
        try {
          window.sessionStorage.setItem(key, JSON.stringify(value));
        } catch {
          // Storage full or blocked: progress just won't survive a reload.
        }
        return value;
      });
    },
    [key],
  );
  return [state, set, loaded];
}
