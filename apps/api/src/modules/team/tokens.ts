import { createHash, randomBytes } from "node:crypto";

/** A link token: 256 random bits. Only its SHA-256 is stored, so a database copy opens no link. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");
