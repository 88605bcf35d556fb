"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";
import { AlertIcon, CheckIcon, CloseIcon } from "../icons";
import { cx } from "./cx";

type Tone = "success" | "danger" | "info";
type Toast = { id: number; tone: Tone; message: string };
type ToastApi = { toast: (message: string, options?: { tone?: Tone; durationMs?: number }) => void };

const ToastContext = createContext<ToastApi | null>(null);

/** Short confirmations of actions ("Saved", "Could not sign out…"), announced politely to screen readers. */
export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const toast = useCallback<ToastApi["toast"]>(
    (message, { tone = "info", durationMs = 6000 } = {}) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-2), { id, tone, message }]);
      window.setTimeout(() => dismiss(id), durationMs);
    },
    [dismiss],
  );
  const api = useMemo(() => ({ toast }), [toast]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        aria-atomic="false"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end sm:p-6"
      >
        {toasts.map((t) => {
          const Icon = t.tone === "success" ? CheckIcon : AlertIcon;
          return (
            <div
              key={t.id}
              role={t.tone === "danger" ? "alert" : "status"}
              className="pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl border border-line bg-surface p-3.5 text-sm shadow-lg"
            >
              <Icon
                className={cx("mt-0.5 size-4.5 shrink-0", t.tone === "success" ? "text-success" : t.tone === "danger" ? "text-danger" : "text-brand-text")}
              />
              <p className="min-w-0 flex-1 text-fg">{t.message}</p>
              <button
                type="button"
                onClick={() => dismiss(t.id)}
                className="-m-1 rounded-md p-1 text-fg-subtle hover:bg-surface-muted hover:text-fg"
                aria-label="Dismiss notification"
              >
                <CloseIcon className="size-4" />
              </button>
            </div>
          );
        })}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast must be used inside <ToastProvider>");
  return ctx;
}
