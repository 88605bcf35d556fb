import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Paths pino replaces with "[redacted]". Webhook payloads carry tenant Twilio credentials and
 * legacy server secrets (reference/vapi.md §1.2); requests carry cookies and tokens.
 */
export const redactPaths = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "secret",
  "*.secret",
  "*.*.secret",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-vapi-secret']",
  "req.headers['x-signature']",
  'res.headers["set-cookie"]',
  "res.headers['set-cookie']",
  "phone",
  "*.phone",
  "phoneNumber",
  "*.phoneNumber",
  "callerPhone",
  "*.callerPhone",
  "customerNumber",
  "*.customerNumber",
  // Provider credential payloads (integrations/*/credentials.ts) and the key that seals them.
  "authToken",
  "*.authToken",
  "*.*.authToken",
  "apiKeySecret",
  "*.apiKeySecret",
  "*.*.apiKeySecret",
  "*.*.refreshToken",
  "ENCRYPTION_KEY",
  "*.ENCRYPTION_KEY",
  "encryptionKey",
  "*.encryptionKey",
  "*.twilioAuthToken",
  "*.twilioApiSecret",
  "*.*.twilioAuthToken",
  "*.*.twilioApiSecret",
  // A live call's control URL is a bearer capability (integrations/vapi/control.ts).
  "controlUrl",
  "*.controlUrl",
  "*.*.controlUrl",
  "*.*.*.controlUrl",
  "control_url",
  "*.control_url",
  "*.listenUrl",
  "*.*.listenUrl",
  "encryptedPassword",
  "*.encrypted_password",
];

/**
 * Error fields that can carry the values of a statement: PostgreSQL's `detail` ("Failing row
 * contains (…)", "Key (phone)=(+1…) already exists"), `where` and `internalQuery` (SQL text with
 * literals), `hint`; and whatever a driver or wrapper attaches as parameters or values.
 */
export const ERROR_FIELDS_DROPPED = ["detail", "where", "hint", "internalQuery", "parameters", "params", "values", "query", "bindings", "input"] as const;

type SerializedError = Record<string, unknown> & { cause?: unknown };

function scrub(serialized: SerializedError, depth: number): SerializedError {
  for (const field of ERROR_FIELDS_DROPPED) delete serialized[field];
  if (depth < 5 && serialized.cause && typeof serialized.cause === "object") scrub(serialized.cause as SerializedError, depth + 1);
  if (depth < 5 && Array.isArray(serialized.aggregateErrors)) for (const e of serialized.aggregateErrors) if (e && typeof e === "object") scrub(e, depth + 1);
  return serialized;
}

/** pino's error serializer without the fields that can hold query values (see ERROR_FIELDS_DROPPED). */
export function errorSerializer(err: unknown): unknown {
  if (err instanceof Error) return scrub(pino.stdSerializers.err(err) as unknown as SerializedError, 0);
  // pino-http serializes first and hands us the plain object.
  if (err && typeof err === "object" && !Array.isArray(err)) return scrub({ ...(err as SerializedError) }, 0);
  return err;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "voxanne-api" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      serializers: { err: errorSerializer, error: errorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
