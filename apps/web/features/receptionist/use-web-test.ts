"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** The Vapi web SDK's client, as a type only: the package itself is loaded when a test starts. */
type VapiClient = import("@vapi-ai/web").default;

export type WebTestState =
  | { status: "idle" }
  | { status: "starting" }
  | { status: "live"; speaking: boolean }
  | { status: "ending" }
  | { status: "error"; message: string };

/** Vapi's error events carry objects of several shapes; find the sentence in one. */
function errorMessage(err: unknown): string {
  const e = err as { error?: { message?: unknown; msg?: unknown } | string; message?: unknown; errorMsg?: unknown } | undefined;
  const candidates = [
    typeof e?.error === "object" ? e.error?.message : e?.error,
    typeof e?.error === "object" ? e.error?.msg : undefined,
    e?.errorMsg,
    e?.message,
  ];
  const found = candidates.find((c): c is string => typeof c === "string" && c.trim() !== "");
  if (err instanceof DOMException && err.name === "NotAllowedError") return "The browser was not allowed to use the microphone. Allow it and try again.";
  return found ? `The web test stopped: ${found}` : "The web test could not start. Check that the browser may use your microphone, then try again.";
}

/**
 * A test call from the browser with Vapi's web SDK (`@vapi-ai/web`, loaded with a dynamic import
 * on the first start, so it never loads unless someone starts a test). Ends with the page.
 */
export function useWebTest() {
  const client = useRef<VapiClient | null>(null);
  const [state, setState] = useState<WebTestState>({ status: "idle" });

  useEffect(
    () => () => {
      void client.current?.stop();
      client.current = null;
    },
    [],
  );

  const start = useCallback(async (publicKey: string, assistantId: string) => {
    setState({ status: "starting" });
    try {
      const mod = await import("@vapi-ai/web");
      // A CommonJS package: its class may sit one `default` deeper depending on the bundler's interop.
      const Vapi = ((mod.default as unknown as { default?: typeof mod.default }).default ?? mod.default) as typeof mod.default;
      const vapi = client.current ?? new Vapi(publicKey);
      if (!client.current) {
        client.current = vapi;
        vapi.on("call-start", () => setState({ status: "live", speaking: false }));
        vapi.on("speech-start", () => setState((s) => (s.status === "live" ? { status: "live", speaking: true } : s)));
        vapi.on("speech-end", () => setState((s) => (s.status === "live" ? { status: "live", speaking: false } : s)));
        vapi.on("call-end", () => setState((s) => (s.status === "error" ? s : { status: "idle" })));
        vapi.on("error", (err: unknown) => setState({ status: "error", message: errorMessage(err) }));
      }
      const call = await vapi.start(assistantId);
      if (!call) setState((s) => (s.status === "error" ? s : { status: "error", message: errorMessage(undefined) }));
    } catch (err) {
      setState({ status: "error", message: errorMessage(err) });
    }
  }, []);

  const stop = useCallback(() => {
    setState({ status: "ending" });
    void client.current
      ?.stop()
      .catch(() => {})
      .finally(() => setState((s) => (s.status === "ending" ? { status: "idle" } : s)));
  }, []);

  return { state, start, stop };
}
