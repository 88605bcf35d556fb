"use client";

import type { LiveTranscriptLine } from "@voxanne/contracts";
import { useEffect, useState } from "react";
import { useLiveFeed } from "@/lib/live";

/**
 * What is being said on a call in progress, from the live feed's `call.transcript` events
 * (already redacted by the API, never stored). Final lines are appended; a history (sent after
 * each turn) replaces them, so a drawer opened mid-call catches up at the next turn.
 */
export function useLiveTranscript(callId: string | null, vapiCallId: string | null): LiveTranscriptLine[] {
  const [state, setState] = useState<{ callId: string | null; lines: LiveTranscriptLine[] }>({ callId, lines: [] });
  useEffect(() => setState({ callId, lines: [] }), [callId]);
  useLiveFeed({
    onEvent: (event) => {
      if (event.type !== "call.transcript" || !callId) return;
      const ours = event.data.callId === callId || (vapiCallId !== null && event.data.vapiCallId === vapiCallId);
      if (!ours) return;
      setState((s) => {
        const lines = s.callId === callId ? s.lines : [];
        return { callId, lines: event.data.kind === "history" ? event.data.lines : [...lines, ...event.data.lines] };
      });
    },
  });
  return state.callId === callId ? state.lines : [];
}
