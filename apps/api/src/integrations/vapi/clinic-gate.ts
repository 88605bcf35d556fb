import { DatabaseBusy } from "../../db/errors";
import type { VapiIdentity } from "../../modules/clinic/types";

type Waiter = { grant: () => void; timer: NodeJS.Timeout };
type Slot = { active: number; waiting: Waiter[] };

/** How many identity → org pairs are remembered (oldest forgotten first). */
const MAX_KNOWN_IDENTITIES = 10_000;

/**
 * A per-clinic cap on concurrent tool-call transactions in this process, so one clinic (a flood of
 * calls, a day whose booking lock is held) cannot take the whole connection pool from the others.
 * Calls over the cap wait in line, FIFO, for at most the given time, then fail fast with
 * DatabaseBusy("clinic"): the assistant hears a speakable "busy" line instead of silence.
 *
 * The org of a tool call is only known inside its transaction (resolveClinic), so the gate keys a
 * call by its org once that identity (assistant / phone number / line) has been seen resolving to
 * it, and by the identity itself before that. The cap is per process: N API instances allow N× the
 * cap per clinic in all (see docs/SECURITY.md § Bounded waits).
 */
export class ClinicGate {
  private readonly slots = new Map<string, Slot>();
  private readonly orgOf = new Map<string, string>();

  /** `max` 0 turns the cap off. */
  constructor(readonly max: number) {}

  /** The key a call queues under: its org when known, else its identity. */
  keyOf(identity: VapiIdentity): string {
    const id = identityKey(identity);
    const org = this.orgOf.get(id);
    return org ? `org:${org}` : id;
  }

  /** Records which org an identity resolved to, so its next calls share the org's slots. */
  learn(identity: VapiIdentity, orgId: string): void {
    const id = identityKey(identity);
    if (this.orgOf.get(id) === orgId) return;
    this.orgOf.delete(id);
    this.orgOf.set(id, orgId);
    if (this.orgOf.size > MAX_KNOWN_IDENTITIES) this.orgOf.delete(this.orgOf.keys().next().value!);
  }

  /** Waits (at most `maxWaitMs`) for a slot; returns its release function. */
  acquire(key: string, maxWaitMs: number): Promise<() => void> {
    if (this.max <= 0) return Promise.resolve(() => {});
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    const s = slot;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(); // the slot passes to the next in line
      } else if (--s.active === 0) {
        this.slots.delete(key);
      }
    };
    if (s.active < this.max) {
      s.active++;
      return Promise.resolve(release);
    }
    if (maxWaitMs <= 0) return Promise.reject(this.busy(maxWaitMs));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(release),
        timer: setTimeout(() => {
          s.waiting.splice(s.waiting.indexOf(waiter), 1);
          reject(this.busy(maxWaitMs));
        }, maxWaitMs),
      };
      s.waiting.push(waiter);
    });
  }

  /** Calls in flight or waiting under `key` (tests, diagnostics). */
  load(key: string): { active: number; waiting: number } {
    const s = this.slots.get(key);
    return { active: s?.active ?? 0, waiting: s?.waiting.length ?? 0 };
  }

  private busy(waitedMs: number): DatabaseBusy {
    return new DatabaseBusy("clinic", `the clinic already has ${this.max} tool calls in progress (waited ${Math.max(0, Math.round(waitedMs))} ms)`);
  }
}

function identityKey(identity: VapiIdentity): string {
  if (identity.assistantId) return `assistant:${identity.assistantId}`;
  if (identity.phoneNumberId) return `number-id:${identity.phoneNumberId}`;
  if (identity.phoneNumber) return `line:${identity.phoneNumber}`;
  return "unknown";
}
