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
  "encryptedPassword",
  "*.encrypted_password",
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "voxanne-api" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
