import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { configVariables, loadConfig, repoRoot } from "../src/config";
import { Database } from "../src/db/database";
import { createLogger } from "../src/logger";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "voxanne-config-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

describe("local secrets (development)", () => {
  it("are generated once into DATA_DIR/local-secrets.json and reused on the next start", () => {
    const dir = dataDir();
    const first = load({ NODE_ENV: "development", DATA_DIR: dir });
    const file = join(dir, "local-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(stored).sort()).toEqual(["encryptionKey", "jwtSecret", "vapiWebhookSecret"]);
    expect(first.jwtSecret).toBe(stored.jwtSecret);
    expect(first.vapiWebhookSecret).toBe(stored.vapiWebhookSecret);
    expect(first.encryptionKeys.currentId).toBe("k1");
    expect(first.encryptionKeys.key("k1")).toEqual(Buffer.from(stored.encryptionKey, "base64"));

    const second = load({ NODE_ENV: "development", DATA_DIR: dir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.vapiWebhookSecret).toBe(first.vapiWebhookSecret);
    expect(second.encryptionKeys.key("k1")).toEqual(first.encryptionKeys.key("k1"));
  });

  it("a file from before the vault gains an encryption key and keeps its other secrets", () => {
    const dir = dataDir();
    const file = join(dir, "local-secrets.json");
    writeFileSync(file, JSON.stringify({ jwtSecret: "j".repeat(64), vapiWebhookSecret: "v".repeat(48) }));
    const config = load({ NODE_ENV: "development", DATA_DIR: dir });
    expect(config.jwtSecret).toBe("j".repeat(64));
    expect(config.vapiWebhookSecret).toBe("v".repeat(48));
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(stored).toMatchObject({ jwtSecret: "j".repeat(64), vapiWebhookSecret: "v".repeat(48) });
    expect(Buffer.from(stored.encryptionKey, "base64")).toHaveLength(32);
  });

  it("an explicit ENCRYPTION_KEY wins, and a malformed one stops the start with the rule it breaks", () => {
    const dir = dataDir();
    const key = Buffer.alloc(32, 3).toString("hex");
    const config = load({ NODE_ENV: "development", DATA_DIR: dir, ENCRYPTION_KEY: `k9:${key}` });
    expect(config.encryptionKeys.toJSON()).toEqual({ currentId: "k9", ids: ["k9"] });
    expect(() => load({ NODE_ENV: "development", DATA_DIR: dir, ENCRYPTION_KEY: "k1:tooshort" })).toThrow(
      /Invalid environment configuration:\n {2}ENCRYPTION_KEY entry 1 \(id "k1"\): the key must be 32 bytes/,
    );
  });
});

describe("production", () => {
  const JWT_SECRET = "production-jwt-secret-0123456789abcdef";
  const VAPI_WEBHOOK_SECRET = "production-vapi-secret-0123";
  const ENCRYPTION_KEY = `k1:${Buffer.alloc(32, 9).toString("base64")}`;
  const loadError = (env: Record<string, string>): string => {
    try {
      load(env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("expected loadConfig to throw");
  };

  it("refuses to start without its secrets, names every missing one at once, and generates nothing", () => {
    const dir = dataDir();
    const message = loadError({ NODE_ENV: "production", DATA_DIR: dir });
    expect(message).toMatch(/^Production needs these secrets set:/);
    for (const name of ["VAPI_WEBHOOK_SECRET or VAPI_HMAC_SECRET", "JWT_SECRET", "ENCRYPTION_KEY"]) expect(message).toContain(`  - ${name}`);
    expect(existsSync(join(dir, "local-secrets.json"))).toBe(false);

    // Only what is still missing is named.
    const partial = loadError({ NODE_ENV: "production", DATA_DIR: dir, JWT_SECRET, VAPI_HMAC_SECRET: VAPI_WEBHOOK_SECRET });
    expect(partial.split("\n").slice(1)).toEqual([expect.stringMatching(/^ {2}- ENCRYPTION_KEY/)]);
    expect(existsSync(join(dir, "local-secrets.json"))).toBe(false);
  });

  it("starts with them set; Supabase mode needs no JWT_SECRET and an HMAC credential stands in for the bearer secret", () => {
    const dir = dataDir();
    const config = load({ NODE_ENV: "production", DATA_DIR: dir, JWT_SECRET, VAPI_WEBHOOK_SECRET, ENCRYPTION_KEY });
    expect(config).toMatchObject({ jwtSecret: JWT_SECRET, vapiWebhookSecret: VAPI_WEBHOOK_SECRET, cookieSecure: true });
    expect(config.encryptionKeys.currentId).toBe("k1");

    const supabase = load({
      NODE_ENV: "production",
      DATA_DIR: dir,
      SUPABASE_URL: "https://project.supabase.co",
      SUPABASE_ANON_KEY: "anon",
      VAPI_HMAC_SECRET: VAPI_WEBHOOK_SECRET,
      ENCRYPTION_KEY,
    });
    // No bearer secret was configured: the bearer slot holds a random value, not a known or empty one.
    expect(supabase.vapiWebhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(supabase.vapiWebhookSecret).not.toBe(VAPI_WEBHOOK_SECRET);
    expect(existsSync(join(dir, "local-secrets.json"))).toBe(false);
  });
});

describe("NODE_ENV", () => {
  it("is read only through config: no server module looks at process.env.NODE_ENV", () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
    const offenders = (readdirSync(src, { recursive: true }) as string[]).filter(
      (f) => f.endsWith(".ts") && readFileSync(join(src, f), "utf8").includes("process.env.NODE_ENV"),
    );
    expect(offenders).toEqual([]);
  });

  it("createApp checks responses against their contracts outside production only", async () => {
    const db = new Database("postgres://unused@127.0.0.1:1/unused");
    const logger = createLogger({ level: "silent" });
    const env = { DATA_DIR: dataDir(), JWT_SECRET: "x".repeat(32), VAPI_WEBHOOK_SECRET: "y".repeat(16), ENCRYPTION_KEY: Buffer.alloc(32).toString("hex") };
    try {
      expect(createApp({ config: load({ ...env, NODE_ENV: "production" }), logger, db }).locals.checkResponses).toBe(false);
      expect(createApp({ config: load({ ...env, NODE_ENV: "development" }), logger, db }).locals.checkResponses).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe(".env.example", () => {
  it("documents exactly the variables the API reads, plus the dashboard's WEB_PORT and API_URL", () => {
    const text = readFileSync(join(repoRoot, ".env.example"), "utf8");
    const documented = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect([...new Set(documented)].sort()).toEqual([...configVariables, "WEB_PORT", "API_URL"].sort());
  });
});
