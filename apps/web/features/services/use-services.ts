"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Service, ServiceInput, ServicePatch, ServiceRemoved } from "@voxanne/contracts";
import { useMemo } from "react";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

export function useServices() {
  return useQuery(routeQuery(apiRoutes.services.list));
}

/** Add, change and remove services; each re-reads the list (order, counts) once it is done. */
export function useServiceActions() {
  const queryClient = useQueryClient();
  return useMemo(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.services.list) });
    return {
      create: async (body: ServiceInput): Promise<Service> => {
        const created = await callAuthed(apiRoutes.services.create, { body });
        refresh();
        return created;
      },
      update: async (id: string, body: ServicePatch): Promise<Service> => {
        const saved = await callAuthed(apiRoutes.services.update, { params: { id }, body });
        refresh();
        return saved;
      },
      remove: async (id: string): Promise<ServiceRemoved> => {
        const removed = await callAuthed(apiRoutes.services.remove, { params: { id } });
        refresh();
        return removed;
      },
    };
  }, [queryClient]);
}
