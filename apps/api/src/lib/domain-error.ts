/**
 * The one error type services raise. `kind` says what went wrong in domain terms; the HTTP edge
 * (http/errors.ts) maps it to a status. `code` is stable and machine-readable; `message` is safe
 * to show a person and tells them what to do. See docs/CODE_STYLE.md for when to throw one and
 * when to return an outcome union instead.
 */
export type DomainErrorKind = "invalid" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    /** For `rate_limited`: when trying again makes sense. */
    readonly retryAfterSeconds?: number,
    /** For a taken or unbookable slot: the next free starts (ISO 8601), sent as `error.alternatives`. */
    readonly alternatives?: string[],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const invalid = (message: string, code = "bad_request") => new DomainError("invalid", code, message);
export const unauthenticated = (message = "Sign in to continue.", code = "unauthorized") => new DomainError("unauthenticated", code, message);
export const forbidden = (message: string, code = "forbidden") => new DomainError("forbidden", code, message);
export const notFound = (message: string, code = "not_found") => new DomainError("not_found", code, message);
export const conflict = (message: string, code = "conflict", alternatives?: string[]) => new DomainError("conflict", code, message, undefined, alternatives);
