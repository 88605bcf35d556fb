import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import type { ErrorBody } from "@voxanne/contracts";
import { isBadDataError, isDatabaseBusy, isTransientDatabaseError, suspendedClinicReason } from "../db/errors";
import { suspendedMessage } from "../modules/admin/service";
import { DomainError, type DomainErrorKind } from "../lib/domain-error";

/** An HTTP-level error raised by the edge itself (middleware, mount()); services raise DomainError instead. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly alternatives?: string[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const badRequest = (message: string, code = "bad_request") => new HttpError(400, code, message);
export const unauthorized = (message = "Sign in to continue.") => new HttpError(401, "unauthorized", message);

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 502,
};

/** A service's DomainError as the HTTP answer it becomes. */
export function httpErrorOf(err: DomainError): HttpError {
  const headers: Record<string, string> = err.retryAfterSeconds !== undefined ? { "Retry-After": String(err.retryAfterSeconds) } : {};
  return new HttpError(STATUS_BY_KIND[err.kind], err.code, err.message, headers, err.alternatives);
}

export function zodFields(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

function body(code: string, message: string, requestId?: string, fields?: ErrorBody["error"]["fields"]): ErrorBody {
  return { error: { code, message, ...(requestId ? { requestId } : {}), ...(fields ? { fields } : {}) } };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(body("not_found", `No route for ${req.method} ${req.path}.`, String(req.id ?? "")));
};

/** The single error handler: known errors keep their status and message; anything else is a 500 with the request id. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const requestId = String(req.id ?? "");
  if (res.headersSent) {
    req.log?.error({ err }, "error after response started");
    return;
  }
  if (err instanceof ZodError) {
    const fields = zodFields(err);
    const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
    res.status(400).json(body("validation_failed", `Some fields need fixing — ${summary}`, requestId, fields));
    return;
  }
  if (err instanceof DomainError) err = httpErrorOf(err);
  if (err instanceof HttpError) {
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    const answer = body(err.code, err.message, requestId);
    if (err.alternatives) answer.error.alternatives = err.alternatives;
    res.status(err.status).json(answer);
    return;
  }
  // body-parser / raw-body errors carry a `type` and a 4xx status.
  const type = (err as { type?: string }).type;
  if (type === "entity.parse.failed") {
    res.status(400).json(body("invalid_json", "The request body is not valid JSON.", requestId));
    return;
  }
  if (type === "entity.too.large") {
    res.status(413).json(body("payload_too_large", "The request body is too large.", requestId));
    return;
  }
  // A write on a suspended clinic's rows, refused by the database trigger: the same 403 as the guard's.
  const suspendedReason = suspendedClinicReason(err);
  if (suspendedReason !== null) {
    res.status(403).json(body("clinic_suspended", suspendedMessage(suspendedReason), requestId));
    return;
  }
  // A bounded wait ran out (pool, lock, statement timeout) or the database is unreachable: the
  // request did nothing (its transaction rolled back) and may simply be tried again.
  if (isTransientDatabaseError(err)) {
    req.log?.warn({ err }, isDatabaseBusy(err) ? "database busy: request timed out" : "database unavailable");
    res.setHeader("Retry-After", "2");
    res.status(503).json(body("unavailable", "The service is busy right now and nothing was changed. Try again in a few seconds.", requestId));
    return;
  }
  // PostgreSQL refused a value the schemas let through (an impossible date, a number out of range).
  if (isBadDataError(err)) {
    req.log?.warn({ err }, "request value rejected by the database");
    res.status(400).json(body("invalid_value", "A value in the request is out of range or not valid. Check dates, numbers and text.", requestId));
    return;
  }
  const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    res.status(status).json(body("bad_request", "The request could not be processed.", requestId));
    return;
  }
  req.log?.error({ err }, "unhandled error");
  res.status(500).json(body("internal_error", `Something went wrong on our side. Quote request id ${requestId} if it persists.`, requestId));
};
