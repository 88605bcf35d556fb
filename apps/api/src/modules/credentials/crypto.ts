import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { DomainError, type DomainErrorKind } from "../../lib/domain-error";

/**
 * AES-256-GCM for provider credentials at rest. Keys come from ENCRYPTION_KEY:
 *
 *   ENCRYPTION_KEY="k2:<32 bytes base64>,k1:<32 bytes base64>"
 *
 * a comma-separated list of `id:key` entries; the first is the current key (used to encrypt), every
 * one is accepted to decrypt, so a key can be rotated without downtime. A key is 32 bytes written
 * as base64 or as 64 hex characters. A single key without an id (`ENCRYPTION_KEY=<key>`) has the
 * id "k1". Each row stores the id of the key that sealed it.
 */

export const DEFAULT_KEY_ID = "k1";
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type CredentialErrorCode = "not_connected" | "unknown_key" | "decrypt_failed" | "invalid_payload";

const KIND_BY_CODE: Record<CredentialErrorCode, DomainErrorKind> = {
  not_connected: "not_found",
  unknown_key: "unavailable",
  decrypt_failed: "unavailable",
  invalid_payload: "invalid",
};

/** A credential that cannot be used; the message says why and never contains secret material. */
export class CredentialError extends DomainError {
  declare readonly code: CredentialErrorCode;
  constructor(code: CredentialErrorCode, message: string) {
    super(KIND_BY_CODE[code], code, message);
    this.name = "CredentialError";
  }
}

/** The keys from ENCRYPTION_KEY. Logging or printing one shows the key ids, never the keys. */
export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly currentId: string;

  constructor(entries: [id: string, key: Buffer][]) {
    if (entries.length === 0) throw new Error("a keyring needs at least one key");
    this.#keys = new Map(entries);
    this.currentId = entries[0]![0];
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  toJSON() {
    return { currentId: this.currentId, ids: this.ids };
  }

  [inspect.custom]() {
    return `Keyring { currentId: ${this.currentId}, ids: [${this.ids.join(", ")}] }`;
  }
}

function decodeKey(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const key = Buffer.from(text, "base64");
  return key.length === KEY_BYTES ? key : null;
}

/**
 * Parses an ENCRYPTION_KEY value. Errors name the entry and the rule it breaks, never the key.
 */
export function parseEncryptionKeys(value: string): Keyring {
  const parts = value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error("ENCRYPTION_KEY is empty: set one 32-byte key (base64 or hex), or `id:key` entries separated by commas.");
  const entries: [string, Buffer][] = [];
  parts.forEach((part, i) => {
    const colon = part.indexOf(":");
    const id = colon === -1 ? DEFAULT_KEY_ID : part.slice(0, colon).trim();
    const keyText = colon === -1 ? part : part.slice(colon + 1).trim();
    const where = `ENCRYPTION_KEY entry ${i + 1}`;
    if (colon === -1 && parts.length > 1) throw new Error(`${where} has no id: with several keys, write each as id:key (e.g. k2:<new key>,k1:<old key>).`);
    if (!KEY_ID.test(id)) throw new Error(`${where}: the key id must be 1-32 letters, digits, '.', '_' or '-'.`);
    if (entries.some(([other]) => other === id)) throw new Error(`${where}: key id "${id}" appears twice.`);
    const key = decodeKey(keyText);
    if (!key)
      throw new Error(
        `${where} (id "${id}"): the key must be 32 bytes, written as base64 or as 64 hex characters (generate one with \`openssl rand -base64 32\`).`,
      );
    entries.push([id, key]);
  });
  return new Keyring(entries);
}

/** A new random key in the ENCRYPTION_KEY format (base64). */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** What a row stores: the key id and the three parts of the GCM output. */
export type Sealed = { keyId: string; iv: Buffer; ciphertext: Buffer; authTag: Buffer };

/**
 * Encrypts with the current key and a fresh random IV. `aad` (additional authenticated data) binds
 * the ciphertext to where it is stored, so a sealed value copied to another row does not open.
 */
export function seal(keys: Keyring, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.key(keys.currentId)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: keys.currentId, iv, ciphertext, authTag: cipher.getAuthTag() };
}

/** Decrypts a sealed value; `what` names it in errors ("twilio credentials of org …"). */
export function unseal(keys: Keyring, sealed: Sealed, aad: string, what: string): string {
  const key = keys.key(sealed.keyId);
  if (!key) {
    throw new CredentialError(
      "unknown_key",
      `The ${what} are encrypted with key "${sealed.keyId}", which is not in ENCRYPTION_KEY (it has ${keys.ids.map((id) => `"${id}"`).join(", ")}). ` +
        `Add that key back after the current one (id:key), then run \`npm run voxanne -- rotate-encryption-key\`.`,
    );
  }
  try {
    if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) throw new Error("bad lengths");
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialError(
      "decrypt_failed",
      `The ${what} could not be decrypted with key "${sealed.keyId}": the stored ciphertext or its authentication tag was altered, ` +
        `it was copied from another row, or key "${sealed.keyId}" in ENCRYPTION_KEY is not the key it was encrypted with.`,
    );
  }
}
