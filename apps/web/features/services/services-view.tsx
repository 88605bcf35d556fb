"use client";

import type { Service } from "@voxanne/contracts";
import { useState } from "react";
import { PlusIcon, TagIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadError } from "@/components/ui/load-error";
import { useToast } from "@/components/ui/toast";
import { describeProblem } from "@/lib/api";
import { formatPrice } from "@/lib/money";
import { useSession } from "@/lib/session";
import { ServiceForm } from "./service-form";
import { useServiceActions, useServices } from "./use-services";

/**
 * The Services page: the price list the receptionist quotes and books from, in the clinic's
 * currency. Owners and admins add, edit and remove services; one with appointments ahead is
 * archived instead of deleted. Staff see the list read-only.
 */
export function ServicesView() {
  const me = useSession();
  const canEdit = me.role === "owner" || me.role === "admin";
  const services = useServices();
  const actions = useServiceActions();
  const { toast } = useToast();
  const [editing, setEditing] = useState<Service | "new" | null>(null);

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Services</h1>
          <p className="mt-1 text-sm text-fg-muted">What your clinic offers, with prices and lengths. The receptionist quotes and books from this list.</p>
        </div>
        {canEdit && editing === null && services.isSuccess ? (
          <Button onClick={() => setEditing("new")}>
            <PlusIcon className="size-4" /> Add service
          </Button>
        ) : null}
      </header>

      {canEdit ? null : (
        <Alert tone="info">
          <span data-testid="read-only-note">Only the clinic&apos;s owner or an admin can change services.</span> You can see the price list.
        </Alert>
      )}

      {services.isPending ? (
        <div className="space-y-3" role="status" aria-busy="true" aria-label="Loading services">
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-20 animate-pulse rounded-2xl border border-line bg-surface-muted" />
          ))}
        </div>
      ) : services.isError ? (
        <LoadError title="We couldn't load your services" message={describeProblem(services.error).message} onRetry={() => void services.refetch()} />
      ) : (
        <>
          {editing === "new" ? (
            <ServiceForm
              service={null}
              currency={services.data.currency}
              onCancel={() => setEditing(null)}
              onSubmit={async (body) => {
                const created = await actions.create(body);
                toast(`${created.name} added.`, { tone: "success" });
                setEditing(null);
              }}
            />
          ) : null}
          {services.data.services.length === 0 ? (
            <div className="rounded-2xl border border-dashed border-line-strong px-6 py-10 text-center" data-testid="services-empty">
              <TagIcon className="mx-auto size-8 text-fg-subtle" />
              <p className="mt-3 font-medium">No services yet</p>
              <p className="mt-1 text-sm text-fg-muted">
                {canEdit ? "Add what you offer so the receptionist can quote prices and book the right length." : "An owner or admin adds them."}
              </p>
            </div>
          ) : (
            <ul className="space-y-3" aria-label="Services">
              {services.data.services.map((s) =>
                editing !== "new" && editing?.id === s.id ? (
                  <li key={s.id}>
                    <ServiceForm
                      service={s}
                      currency={services.data.currency}
                      onCancel={() => setEditing(null)}
                      onSubmit={async (body) => {
                        const saved = await actions.update(s.id, body);
                        toast(`${saved.name} saved.`, { tone: "success" });
                        setEditing(null);
                      }}
                    />
                  </li>
                ) : (
                  <ServiceRow
                    key={s.id}
                    service={s}
                    currency={services.data.currency}
                    canEdit={canEdit && editing === null}
                    onEdit={() => setEditing(s)}
                    onRemove={async () => {
                      const removed = await actions.remove(s.id);
                      toast(
                        removed.result === "archived"
                          ? `${s.name} archived: ${s.upcomingAppointments} upcoming appointment${s.upcomingAppointments === 1 ? " uses" : "s use"} it. It is no longer quoted or booked.`
                          : `${s.name} deleted.`,
                        { tone: "success" },
                      );
                    }}
                  />
                ),
              )}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function ServiceRow({
  service: s,
  currency,
  canEdit,
  onEdit,
  onRemove,
}: {
  service: Service;
  currency: string;
  canEdit: boolean;
  onEdit: () => void;
  onRemove: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const remove = async () => {
    setPending(true);
    setProblem(null);
    try {
      await onRemove();
    } catch (err) {
      setProblem(err);
      setPending(false);
    }
  };
  return (
    <li className="rounded-2xl border border-line bg-surface px-5 py-4 shadow-xs" data-testid="service-row">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="break-words">{s.name}</span>
            {s.archivedAt ? <Badge tone="neutral">Archived</Badge> : s.active ? null : <Badge tone="warning">Inactive</Badge>}
          </p>
          <p className="mt-0.5 text-sm text-fg-muted">
            <span className="font-medium text-fg tabular-nums" data-testid="service-price">
              {formatPrice(s.price, currency)}
            </span>{" "}
            · {s.durationMinutes} min
            {s.upcomingAppointments > 0 ? ` · ${s.upcomingAppointments} upcoming appointment${s.upcomingAppointments === 1 ? "" : "s"}` : ""}
          </p>
          {s.keywords.length ? <p className="mt-1 text-xs break-words text-fg-subtle">Callers say: {s.keywords.join(", ")}</p> : null}
        </div>
        {canEdit ? (
          confirming ? (
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-sm text-fg-muted">{s.upcomingAppointments > 0 ? "Archive it (appointments ahead use it)?" : "Delete it?"}</span>
              <Button variant="danger" size="sm" loading={pending} onClick={() => void remove()} autoFocus>
                {s.upcomingAppointments > 0 ? "Archive" : "Delete"}
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
                Keep
              </Button>
            </div>
          ) : (
            <div className="flex gap-2">
              <Button variant="secondary" size="sm" onClick={onEdit} aria-label={`Edit ${s.name}`}>
                Edit
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setConfirming(true)} aria-label={`Remove ${s.name}`}>
                Remove
              </Button>
            </div>
          )
        ) : null}
      </div>
      {problem ? (
        <Alert tone="danger" className="mt-3">
          {describeProblem(problem).message}
        </Alert>
      ) : null}
    </li>
  );
}
