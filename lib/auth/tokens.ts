import crypto from "node:crypto";
import { SignJWT } from "jose";
import { env } from "@/lib/env";
import type { Role } from "./roles";

// REST API bearer tokens: HS256 JWTs signed with a key derived from AUTH_SECRET. They carry the
// user's session version, so sign-out and role changes revoke them like website sessions.

const TOKEN_TTL_SECONDS = 60 * 60 * 12;
const ISSUER = "tessera";
const AUDIENCE = "tessera-api";

// The key is derived once per secret: deriving it on every call cost ~0.1 ms of CPU per API request.
let cached: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = env().AUTH_SECRET!;
  if (cached?.secret !== secret) cached = { secret, key: crypto.createHash("sha256").update(`api-token:${secret}`).digest() };
  return cached.key;
}

export type TokenClaims = { sub: string; role: Role; sv: number };

export async function issueApiToken(user: { id: string; role: Role; sessionVersion: number }) {
  const expiresAt = new Date(Date.now() + TOKEN_TTL_SECONDS * 1000);
  const token = await new SignJWT({ role: user.role, sv: user.sessionVersion })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new Uint8Array(key()));
  return { token, expiresAt };
}

/**
 * The token's claims if it is a well-formed HS256 JWT of ours (signature, issuer, audience, not
 * expired, not before its nbf), else null. Checked here with node:crypto, synchronously: jose's
 * jwtVerify runs the HMAC as a WebCrypto job on the thread pool, ~20 µs of CPU per call measured
 * alone and a thread-pool wake-up per request (7% of the samples in a REST hold's profile on a busy
 * 2-core machine, bench/README.md); this costs ~5 µs. It accepts what jwtVerify accepted for these
 * tokens and nothing more (tests/unit/api-token.test.ts holds the two side by side): only alg
 * HS256, no crit header.
 */
export async function verifyApiToken(token: string): Promise<TokenClaims | null> {
  const payload = verifiedPayload(token, Math.floor(Date.now() / 1000));
  if (!payload || typeof payload.sub !== "string" || typeof payload.sv !== "number") return null;
  return { sub: payload.sub, role: payload.role as Role, sv: payload.sv };
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function verifiedPayload(token: string, now: number): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p)) || !parts[0] || !parts[1]) return null;
  const [head, body, signature] = parts;
  const expected = crypto.createHmac("sha256", key()).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  const header = json(head);
  if (!header || header.alg !== "HS256" || "crit" in header || ("b64" in header && header.b64 !== true)) return null;
  const claims = json(body);
  if (!claims || claims.iss !== ISSUER) return null;
  const aud = claims.aud;
  if (!(aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE)))) return null;
  if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp) || claims.exp <= now) return null;
  if ("nbf" in claims && (typeof claims.nbf !== "number" || claims.nbf > now)) return null;
  if ("iat" in claims && typeof claims.iat !== "number") return null;
  return claims;
}

function json(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
