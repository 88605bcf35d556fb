"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { CloseIcon } from "../icons";
import { Button } from "./button";

/**
 * A centred modal on the native <dialog>: focus trap, Escape to close and an inert page behind
 * come from the browser; focus goes back to whatever opened it. Shown while `open`.
 */
export function Modal({
  open,
  title,
  description,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => {
        if (dialog.open) dialog.close();
        requestAnimationFrame(() => opener?.isConnected && opener.focus());
      };
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handle = () => onCloseRef.current();
    dialog.addEventListener("close", handle);
    return () => dialog.removeEventListener("close", handle);
  }, []);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape closes the native dialog by keyboard
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      onClick={(e) => {
        if (e.target === e.currentTarget) ref.current?.close();
      }}
      className="m-auto max-h-[90dvh] w-[calc(100%-1.5rem)] max-w-lg overflow-y-auto rounded-2xl border border-line bg-background p-0 text-fg shadow-2xl backdrop:bg-black/45"
    >
      {open ? (
        <div className="p-5 sm:p-6">
          <div className="mb-4 flex items-start gap-3">
            <div className="min-w-0 flex-1">
              <h2 id={titleId} className="text-lg font-semibold">
                {title}
              </h2>
              {description ? <div className="mt-1 text-sm text-fg-muted">{description}</div> : null}
            </div>
            <Button variant="ghost" size="sm" aria-label="Close" onClick={() => ref.current?.close()}>
              <CloseIcon className="size-4" />
            </Button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
