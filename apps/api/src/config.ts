import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import dotenv from "dotenv";
import { z } from "zod";
import { generateEncryptionKey, parseEncryptionKeys, type Keyring } from "./modules/credentials/crypto";

/** The repository root (…/apps/api/src → …). `.data/`, `.env` and `supabase/` live here. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().default(join(repoRoot, ".data")),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(54329),
  WEB_ORIGINS: csv.default(["http://localhost:3002", "http://127.0.0.1:3002"]),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(60 * 60 * 24 * 30),
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(10),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_ANON_KEY: z.string().optional(),
  SUPABASE_JWT_SECRET: z.string().optional(),
  // Supabase mode: creates invited members' accounts (the admin API). Server only, never the dashboard.
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  // Email (modules/email): smtp(s)://user:pass@host:port; unset → the development outbox.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: "must start with smtp:// or smtps://" })
    .optional(),
  EMAIL_FROM: z.string().min(3).default("Voxanne <no-reply@voxanne.local>"),
  // Where links in emails point (invites, password resets): the dashboard's public address.
  PUBLIC_WEB_URL: z.string().url().default("http://localhost:3002"),
  VAPI_WEBHOOK_SECRET: z.string().min(16).optional(),
  VAPI_SECRET_HEADER: z.string().default("x-vapi-secret"),
  VAPI_HMAC_SECRET: z.string().min(16).optional(),
  VAPI_PRIVATE_KEY: z.string().min(1).optional(),
  VAPI_PUBLIC_KEY: z.string().min(1).optional(),
  VAPI_BASE_URL: z.string().url().optional(),
  // Hosts (and their subdomains) whose call control URLs we POST to; see integrations/vapi/control.ts.
  VAPI_CONTROL_URL_HOSTS: z.string().min(1).default("vapi.ai"),
  PUBLIC_API_URL: z.string().url().default("http://localhost:3000"),
  TWILIO_API_BASE_URL: z.string().url().optional(),
  ENCRYPTION_KEY: z.string().optional(),
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_AUTH_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  TRUST_PROXY: z.string().optional(),
  // Bounded waits (docs/SECURITY.md § Bounded waits).
  DB_POOL_MAX: z.coerce.number().int().min(1).default(20),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
  LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).default(3000),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).default(8000),
  VAPI_TOOL_DEADLINE_MS: z.coerce.number().int().min(100).default(15_000),
  VAPI_TOOL_LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).default(2000),
  VAPI_TOOL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).default(4000),
  CLINIC_MAX_CONCURRENT_TOOL_CALLS: z.coerce.number().int().min(0).default(4),
  CLINIC_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).default(8000),
  // Knowledge-base vectors (README § Knowledge base): an OpenAI-compatible embeddings API.
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  EMBEDDING_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  EMBEDDING_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  SLOT_HOLD_MINUTES: z.coerce.number().int().min(0).max(60).default(5),
  // Google Calendar (integrations/google): the OAuth client of the Google Cloud project.
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_REDIRECT_URL: z.string().url().optional(),
  GOOGLE_API_BASE_URL: z.string().url().optional(),
  GOOGLE_FREEBUSY_TIMEOUT_MS: z.coerce.number().int().min(50).default(1500),
  GOOGLE_FREEBUSY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
});

/** Every environment variable the API reads (each documented in .env.example). */
export const configVariables = Object.keys(EnvSchema.shape);

export type Config = z.infer<typeof EnvSchema> & {
  jwtSecret: string;
  vapiWebhookSecret: string;
  /** ENCRYPTION_KEY parsed (the first key encrypts, all decrypt); see modules/credentials/crypto.ts. */
  encryptionKeys: Keyring;
  cookieSecure: boolean;
  /** TRUST_PROXY parsed: Express's "trust proxy" setting (false, a hop count, or addresses/subnets). */
  trustProxy: TrustProxy;
  /** Where Google sends the clinic back after consent: GOOGLE_REDIRECT_URL, else the dashboard's /api callback. */
  googleRedirectUrl: string;
};

/** Which peers may tell us the client's address in X-Forwarded-For. */
export type TrustProxy = false | number | string[];

const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * TRUST_PROXY: `none` (nobody; X-Forwarded-For is ignored), a hop count (`1`: trust the one proxy
 * in front, whatever its address), or a comma-separated list of addresses, subnets (CIDR) and the
 * presets loopback, linklocal, uniquelocal. Unset: none in production; loopback elsewhere, because
 * the dashboard's Next.js server forwards /api from the same machine in development.
 */
export function parseTrustProxy(value: string | undefined, nodeEnv: string): TrustProxy {
  const v = value?.trim();
  if (v === undefined || v === "") return nodeEnv === "production" ? false : ["loopback"];
  if (v === "none" || v === "false") return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  if (v === "true" || v === "*") {
    throw new Error(
      "Invalid environment configuration:\n  TRUST_PROXY: trusting every peer would let any client choose its own address (and dodge the per-IP sign-in limits). Name your proxies' addresses or subnets, or give a hop count.",
    );
  }
  const entries = v
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split("/");
    const ok =
      rest.length === 0 &&
      (PROXY_PRESETS.has(entry) || (isIP(address ?? "") !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix) || isIP(prefix) === 4)));
    if (!ok) {
      throw new Error(
        `Invalid environment configuration:\n  TRUST_PROXY: "${entry}" is not an IP address, a subnet (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; or use none or a hop count.`,
      );
    }
  }
  return entries;
}

type LocalSecrets = { jwtSecret: string; vapiWebhookSecret: string; encryptionKey: string };

/**
 * Local secrets (JWT signing key, Vapi webhook secret, credential encryption key) are generated
 * once into `.data/local-secrets.json` so a fresh clone works without configuration and sessions
 * and stored credentials survive restarts. A file from an older version gains the secrets it lacks
 * and keeps the ones it has. Production must set them explicitly.
 */
function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, "local-secrets.json");
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: LocalSecrets = {
    jwtSecret: existing.jwtSecret ?? randomBytes(32).toString("hex"),
    vapiWebhookSecret: existing.vapiWebhookSecret ?? randomBytes(24).toString("hex"),
    encryptionKey: existing.encryptionKey ?? generateEncryptionKey(),
  };
  if (Object.keys(secrets).every((k) => k in existing)) return secrets;
  mkdirSync(dataDir, { recursive: true });
  // Written whole, then renamed into place: a concurrent reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...existing, ...secrets }, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  if (env === process.env) dotenv.config({ path: join(repoRoot, ".env"), quiet: true });
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}`);
  }
  const base = { ...parsed.data, ...overrides } as Config;
  const jwtSecret = overrides.jwtSecret ?? base.SUPABASE_JWT_SECRET ?? base.JWT_SECRET;
  const vapiWebhookSecret = overrides.vapiWebhookSecret ?? base.VAPI_WEBHOOK_SECRET;
  const encryptionKeys = overrides.encryptionKeys ?? (base.ENCRYPTION_KEY === undefined ? undefined : parseKeysOrExplain(base.ENCRYPTION_KEY));
  const derived = {
    cookieSecure: base.COOKIE_SECURE ?? base.NODE_ENV === "production",
    trustProxy: overrides.trustProxy ?? parseTrustProxy(base.TRUST_PROXY, base.NODE_ENV),
    // Through the dashboard's same-origin /api proxy, so the session cookie comes along.
    googleRedirectUrl: base.GOOGLE_REDIRECT_URL ?? `${base.WEB_ORIGINS[0] ?? "http://localhost:3002"}/api/integrations/google/callback`,
  };

  if (base.NODE_ENV === "production") {
    // Nothing is generated in production: every missing secret is named at once.
    const missing = [
      !vapiWebhookSecret && !base.VAPI_HMAC_SECRET && "VAPI_WEBHOOK_SECRET or VAPI_HMAC_SECRET (the credential Vapi's webhooks authenticate with)",
      !jwtSecret && !base.SUPABASE_URL && "JWT_SECRET (32+ characters, signs local-mode sessions; or set SUPABASE_URL for Supabase Auth)",
      !encryptionKeys && "ENCRYPTION_KEY (encrypts stored provider credentials; see .env.example)",
    ].filter((m): m is string => Boolean(m));
    if (missing.length) throw new Error(`Production needs these secrets set:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
    return {
      ...base,
      ...derived,
      // Supabase mode never signs tokens, and an HMAC-only Vapi credential accepts no bearer
      // secret: those unused slots get a random value nobody knows.
      jwtSecret: jwtSecret ?? unguessable(),
      vapiWebhookSecret: vapiWebhookSecret ?? unguessable(),
      encryptionKeys: encryptionKeys!,
    };
  }

  const local = !jwtSecret || !vapiWebhookSecret || !encryptionKeys ? localSecrets(base.DATA_DIR) : null;
  return {
    ...base,
    ...derived,
    jwtSecret: jwtSecret ?? local!.jwtSecret,
    vapiWebhookSecret: vapiWebhookSecret ?? local!.vapiWebhookSecret,
    encryptionKeys: encryptionKeys ?? parseEncryptionKeys(local!.encryptionKey),
  };
}

const unguessable = () => randomBytes(32).toString("hex");

function parseKeysOrExplain(value: string): Keyring {
  try {
    return parseEncryptionKeys(value);
  } catch (err) {
    throw new Error(`Invalid environment configuration:\n  ${(err as Error).message}`);
  }
}
