import crypto from "node:crypto";

// Secrets carried by emailed links (a booking's private link, a password reset, an address
// verification): 256 random bits, stored only as their SHA-256, compared in constant time.

export function newLinkToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Token shape check before any lookup: 43 base64url characters. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function sameHash(a: string | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
