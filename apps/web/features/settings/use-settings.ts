"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ClinicSettings, SettingsPatch } from "@voxanne/contracts";
import { useCallback } from "react";
import { ApiError, apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

export function useSettings() {
  return useQuery(routeQuery(apiRoutes.settings.get));
}

/**
 * Saves one section of the settings. The answer replaces the cached settings; a 400's field paths
 * ("booking.slotMinutes") lose the section's prefix so the section's form shows them on its fields.
 */
export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useCallback(
    async <K extends keyof SettingsPatch>(section: K, value: NonNullable<SettingsPatch[K]>): Promise<ClinicSettings> => {
      try {
        const saved = await callAuthed(apiRoutes.settings.update, { body: { [section]: value } as SettingsPatch });
        queryClient.setQueryData(routeKey(apiRoutes.settings.get), saved);
        // Prices' currency and the services list come from the settings too.
        void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.services.list) });
        return saved;
      } catch (err) {
        if (err instanceof ApiError && err.body?.error.fields) {
          const prefix = `${section}.`;
          const fields = err.body.error.fields.map((f) => ({ ...f, path: f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path }));
          throw new ApiError(err.status, { error: { ...err.body.error, fields } });
        }
        throw err;
      }
    },
    [queryClient],
  );
}
