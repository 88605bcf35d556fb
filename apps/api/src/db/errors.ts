/**
 * What a database failure means for the caller. Three families, each answered differently at the
 * edges (http/errors.ts, integrations/vapi/*):
 *
 * - **busy**: a bounded wait ran out — no pool connection within the acquire timeout, a lock not
 *   granted within `lock_timeout`, a statement cancelled by `statement_timeout`, a clinic over its
 *   concurrency cap. Trying again shortly makes sense (dashboard: 503 + Retry-After).
 * - **unreachable**: the server is down or the connection broke. Also worth a retry.
 * - **bad data**: PostgreSQL refused a value (SQLSTATE class 22 "data exception", e.g. a NUL byte
 *   in text, an impossible date, a number out of range; class 54 "program limit exceeded", e.g. a
 *   too deeply nested jsonb). The same input fails the same way every time.
 */

/** A wait that the application bounds itself (pool acquire, a clinic's concurrency cap, a tool's deadline). */
export class DatabaseBusy extends Error {
  constructor(
    readonly reason: "pool" | "clinic" | "deadline",
    message: string,
  ) {
    super(message);
    this.name = "DatabaseBusy";
  }
}

const sqlState = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** lock_timeout (55P03), statement_timeout / cancel (57014), or one of our own bounded waits. */
export function isDatabaseBusy(err: unknown): boolean {
  if (err instanceof DatabaseBusy) return true;
  const code = sqlState(err);
  return code === "55P03" || code === "57014";
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** The server cannot be reached or dropped the connection (class 08, 53, 57P01–57P03, 58, network errors). */
export function isDatabaseUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  const state = sqlState(err);
  if (state && (/^(08|53|58)/.test(state) || /^57P0[1-3]$/.test(state))) return true;
  const message = err instanceof Error ? err.message : "";
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** Waiting or retrying can succeed: a busy or unreachable database, or a lost serialization/deadlock race (class 40). */
export function isTransientDatabaseError(err: unknown): boolean {
  return isDatabaseBusy(err) || isDatabaseUnreachable(err) || /^40/.test(sqlState(err) ?? "");
}

/** PostgreSQL refused a value: the same input will fail the same way every time. */
export function isBadDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && /^(22|54)/.test(state);
}

/**
 * A dashboard write on a suspended clinic, refused by the database (migration
 * 20261217000100_org_suspension.sql raises VX403 with the operator's reason as its hint).
 */
export function suspendedClinicReason(err: unknown): string | null {
  if (sqlState(err) !== "VX403") return null;
  const hint = (err as { hint?: unknown }).hint;
  return typeof hint === "string" ? hint : "";
}
