import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Keys whose values never reach a log line, wherever they sit in what is logged (the log object,
 * a child logger's bindings, a serialized error; down to MAX_DEPTH levels, deeper than anything
 * we log): "[redacted]" instead. Webhook payloads carry tenant Twilio credentials and legacy
 * server secrets; requests carry cookies and tokens; callers' numbers
 * are patient data.
 *
 * By key name rather than pino's `redact` paths: with wildcard paths (`*.phone`) pino ran every
 * top-level value of every line through its redactor, which parsed each path again per value —
 * about 50 µs per line, a few percent of a tool call's CPU (bench/tools.bench.ts), and reached
 * only the depths each path spelled out. This walk copies only the objects it censors.
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  "password",
  "encryptedPassword",
  "encrypted_password",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  "x-vapi-secret",
  "x-signature",
  "phone",
  "phoneNumber",
  "callerPhone",
  "customerNumber",
  // Vapi's customer object (the caller's number and name), our CallInfo field and call_logs column for it.
  "customer",
  "callerNumber",
  "fromNumber",
  "from_number",
  // Provider credential payloads (integrations/*/credentials.ts) and the key that seals them.
  "authToken",
  "apiKeySecret",
  "twilioAuthToken",
  "twilioApiSecret",
  "ENCRYPTION_KEY",
  "encryptionKey",
  // A live call's control URL is a bearer capability (integrations/vapi/control.ts); so is its listen URL.
  "controlUrl",
  "control_url",
  "listenUrl",
]);

export const REDACTED = "[redacted]";
const MAX_DEPTH = 8;

/** `value` with every REDACTED_KEYS entry censored; the same object when there is nothing to censor. */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = censorSecrets(value[i], depth + 1);
      if (item === value[i]) continue;
      copy ??= [...value];
      copy[i] = item;
    }
    return (copy ?? value) as T;
  }
  // Plain data only. Other instances are left to their serializers (pino-http's `req` / `res` are
  // the raw request and response here); an Error under a key other than `err` / `error` is written
  // as its enumerable fields, so it is walked like a plain object.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !(value instanceof Error)) return value;
  return censorFields(value as Record<string, unknown>, depth) as T;
}

/** An object's fields censored (`passThrough` keys left as they are); the same object when nothing changed. */
function censorFields(value: Record<string, unknown>, depth: number, passThrough?: ReadonlySet<string>): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const censored = REDACTED_KEYS.has(key) ? (field === undefined ? field : REDACTED) : passThrough?.has(key) ? field : censorSecrets(field, depth + 1);
    if (censored === field) continue;
    copy ??= { ...value };
    copy[key] = censored;
  }
  return copy ?? value;
}

/** Left to errorSerializer, which censors its own output (it needs the Error itself). */
const SERIALIZED_FIELDS: ReadonlySet<string> = new Set(["err", "error"]);
const censorLogObject = (obj: Record<string, unknown>) => censorFields(obj, 0, SERIALIZED_FIELDS);

/**
 * Error fields that can carry the values of a statement: PostgreSQL's `detail` ("Failing row
 * contains (…)", "Key (phone)=(+1…) already exists"), `where` and `internalQuery` (SQL text with
 * literals), `hint`; and whatever a driver or wrapper attaches as parameters or values.
 */
export const ERROR_FIELDS_DROPPED = ["detail", "where", "hint", "internalQuery", "parameters", "params", "values", "query", "bindings", "input"] as const;

type SerializedError = Record<string, unknown> & { cause?: unknown };

/**
 * A plain copy of a serialized error (pino's has its own prototype) without ERROR_FIELDS_DROPPED,
 * its causes likewise, so censorSecrets walks all of it.
 */
function scrub(serialized: SerializedError, depth: number): SerializedError {
  const plain: SerializedError = { ...serialized };
  for (const field of ERROR_FIELDS_DROPPED) delete plain[field];
  if (depth < 5 && plain.cause && typeof plain.cause === "object") plain.cause = scrub(plain.cause as SerializedError, depth + 1);
  if (depth < 5 && Array.isArray(plain.aggregateErrors)) {
    plain.aggregateErrors = plain.aggregateErrors.map((e) => (e && typeof e === "object" ? scrub(e, depth + 1) : e));
  }
  return plain;
}

/** pino's error serializer without the fields that can hold query values (see ERROR_FIELDS_DROPPED), and censored. */
export function errorSerializer(err: unknown): unknown {
  if (err instanceof Error) return censorSecrets(scrub(pino.stdSerializers.err(err) as unknown as SerializedError, 0));
  // pino-http serializes first and hands us the plain object.
  if (err && typeof err === "object" && !Array.isArray(err)) return censorSecrets(scrub(err as SerializedError, 0));
  return err;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? "info",
      base: { service: "voxanne-api" },
      formatters: { log: censorLogObject },
      serializers: { err: errorSerializer, error: errorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
  // pino applies no formatter to a child's bindings, so they are censored on the way in. Children
  // inherit this from the root (pino builds each child on its parent's prototype).
  const child = logger.child;
  logger.child = function censoredChild(this: Logger, bindings, childOptions) {
    return child.call(this, censorSecrets(bindings), childOptions);
  } as Logger["child"];
  return logger;
}

export type { Logger };
