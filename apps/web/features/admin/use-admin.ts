"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { AdminClinicDetail } from "@voxanne/contracts";
import { useCallback } from "react";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/** Every clinic with usage and health (operators only; anyone else gets the API's 403). */
export function useAdminClinics() {
  return useQuery(routeQuery(apiRoutes.admin.clinics));
}

export function useAdminClinic(orgId: string | null) {
  return useQuery({ ...routeQuery(apiRoutes.admin.clinic, { params: { orgId: orgId ?? "" } }), enabled: orgId !== null });
}

/** Suspend (with a reason) or resume; the detail answer goes into the cache and the list is re-read. */
export function useSuspension() {
  const queryClient = useQueryClient();
  return useCallback(
    async (orgId: string, reason: string | null): Promise<AdminClinicDetail> => {
      const detail =
        reason === null
          ? await callAuthed(apiRoutes.admin.resume, { params: { orgId } })
          : await callAuthed(apiRoutes.admin.suspend, { params: { orgId }, body: { reason } });
      queryClient.setQueryData(routeKey(apiRoutes.admin.clinic, { params: { orgId } }), detail);
      void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.admin.clinics) });
      return detail;
    },
    [queryClient],
  );
}
