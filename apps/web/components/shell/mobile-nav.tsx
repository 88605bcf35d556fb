"use client";

import type { Me } from "@voxanne/contracts";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { CloseIcon, LogoMark, MenuIcon } from "@/components/icons";
import { NavList } from "./nav-list";
import { UserIdentity } from "./user-badge";

/**
 * The navigation below the `lg` breakpoint: a menu button that opens a modal <dialog> sheet. The
 * native dialog gives focus containment, Escape to close and an inert page behind it.
 */
export function MobileNav({ me }: { me: Me }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const pathname = usePathname();

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing the menu is what a route change (pathname) should do
  useEffect(() => {
    dialogRef.current?.close();
  }, [pathname]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onClose = () => setOpen(false);
    dialog.addEventListener("close", onClose);
    return () => dialog.removeEventListener("close", onClose);
  }, []);

  const show = () => {
    dialogRef.current?.showModal();
    setOpen(true);
  };
  const close = () => dialogRef.current?.close();

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-label="Open navigation menu"
        aria-expanded={open}
        aria-controls="mobile-navigation"
        className="-ml-1.5 flex size-10 items-center justify-center rounded-lg text-fg-muted hover:bg-surface-muted hover:text-fg lg:hidden"
      >
        <MenuIcon className="size-5.5" />
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape closes the native dialog by keyboard */}
      <dialog
        id="mobile-navigation"
        ref={dialogRef}
        aria-label="Navigation"
        onClick={(e) => {
          if (e.target === e.currentTarget) close(); // a click on the backdrop
        }}
        className="fixed inset-y-0 left-0 m-0 h-dvh max-h-none w-80 max-w-[85vw] border-r border-line bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/45 open:flex open:flex-col lg:hidden"
      >
        <div className="flex h-16 shrink-0 items-center justify-between border-b border-line px-4">
          <span className="flex items-center gap-2.5 font-semibold tracking-tight">
            <LogoMark className="size-7" />
            Voxanne
          </span>
          <button
            type="button"
            onClick={close}
            aria-label="Close navigation menu"
            className="flex size-10 items-center justify-center rounded-lg text-fg-muted hover:bg-surface-muted hover:text-fg"
          >
            <CloseIcon className="size-5" />
          </button>
        </div>
        <div className="border-b border-line px-5 py-4">
          <p className="text-xs font-medium tracking-wide text-fg-subtle uppercase">Clinic</p>
          <p className="mt-1 truncate font-medium">{me.organization.name}</p>
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-4">
          <NavList me={me} onNavigate={close} />
        </nav>
        <div className="border-t border-line px-4 py-4">
          <UserIdentity me={me} />
        </div>
      </dialog>
    </>
  );
}
