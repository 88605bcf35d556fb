import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "voxanne-config-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

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
