"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { LiveEvent } from "@voxanne/contracts";
import { useMemo } from "react";
import { apiRoutes, callAuthed } from "@/lib/api";
import { routeKey, routeQuery } from "@/lib/query";

/**
 * The appointments on screen. Bookings made on a call arrive as `appointment.*` live events, which
 * mark every cached list stale (lib/live.tsx): the one on screen is re-read, so a booking made
 * while the receptionist talks shows up without a reload.
 */
export function useAppointments(query: { from: string; to: string; q?: string; status?: "active" | "all" }) {
  return useQuery({ ...routeQuery(apiRoutes.appointments.list, { query }), placeholderData: (previous) => previous });
}

export function useSlots(day: string | null, serviceId: string | undefined, excludeAppointmentId?: string) {
  return useQuery({
    ...routeQuery(apiRoutes.appointments.slots, { query: { day: day ?? "", serviceId, excludeAppointmentId } }),
    enabled: day !== null && day !== "",
  });
}

/** Every change re-reads the lists and free slots (the live event would too; this is immediate for the one who acted). */
function useInvalidateAppointments() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.appointments.list) });
    void queryClient.invalidateQueries({ queryKey: routeKey(apiRoutes.appointments.slots) });
  };
}

export function useAppointmentActions() {
  const invalidate = useInvalidateAppointments();
  const reschedule = useMutation({
    mutationFn: (v: { id: string; start: string }) => callAuthed(apiRoutes.appointments.reschedule, { params: { id: v.id }, body: { start: v.start } }),
    onSettled: invalidate,
  });
  const cancel = useMutation({
    mutationFn: (v: { id: string; reason?: string }) => callAuthed(apiRoutes.appointments.cancel, { params: { id: v.id }, body: { reason: v.reason } }),
    onSettled: invalidate,
  });
  const remind = useMutation({
    mutationFn: (v: { id: string; method: "sms" | "email" }) =>
      callAuthed(apiRoutes.appointments.sendReminder, { params: { appointmentId: v.id }, body: { method: v.method } }),
    onSettled: invalidate,
  });
  return useMemo(() => ({ reschedule, cancel, remind, invalidate }), [reschedule, cancel, remind, invalidate]);
}

export const isAppointmentEvent = (event: LiveEvent) => event.type === "appointment.booked" || event.type === "appointment.cancelled";
