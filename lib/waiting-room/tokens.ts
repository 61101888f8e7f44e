import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/env";

// The waiting room's two signed tokens, HMAC-SHA256 with keys derived from AUTH_SECRET (HKDF, one
// key per purpose, so neither token can pass for the other):
//   visitor token  "<visitorId>.<mac>"         names one place in one event's line
//   pass           "<visitorId>.<expMs>.<mac>" admits that visitor to the event's hold path until expMs
// The event id is inside every MAC: a token of one event is worthless for another. Checking a pass
// needs no Redis and no database, so passes already handed out keep working during an outage.

const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;
const MAX_TOKEN = 200;

type Purpose = "visitor" | "pass";
let cached: { secret: string; keys: Record<Purpose, Buffer> } | undefined;

function key(purpose: Purpose): Buffer {
  const secret = env().AUTH_SECRET!;
  if (cached?.secret !== secret) {
    const derive = (p: Purpose) => Buffer.from(crypto.hkdfSync("sha256", secret, "tessera", `waiting-room-${p}-v1`, 32));
    cached = { secret, keys: { visitor: derive("visitor"), pass: derive("pass") } };
  }
  return cached.keys[purpose];
}

function mac(purpose: Purpose, body: string): string {
  return crypto.createHmac("sha256", key(purpose)).update(body).digest("base64url");
}

function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function newVisitorId(): string {
  return crypto.randomBytes(16).toString("base64url");
}

export function signVisitor(eventId: string, visitorId: string): string {
  return `${visitorId}.${mac("visitor", `${eventId}.${visitorId}`)}`;
}

/** The visitor id inside a valid token of this event, else null. */
export function verifyVisitor(eventId: string, token: string | null | undefined): string | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN) return null;
  const [visitorId, sig, extra] = token.split(".");
  if (extra !== undefined || !VISITOR_ID.test(visitorId ?? "") || !sig) return null;
  return sameMac(sig, mac("visitor", `${eventId}.${visitorId}`)) ? visitorId : null;
}

export function signPass(eventId: string, visitorId: string, expiresAtMs: number): string {
  const exp = String(Math.floor(expiresAtMs));
  return `${visitorId}.${exp}.${mac("pass", `${eventId}.${visitorId}.${exp}`)}`;
}

export type PassCheck = { ok: true; visitorId: string; expiresAt: number } | { ok: false; reason: "missing" | "invalid" | "expired" };

/** Signature, event and expiry (app clock; the Redis claim re-checks expiry on Redis's clock). */
export function verifyPass(eventId: string, token: string | null | undefined, nowMs = Date.now()): PassCheck {
  if (!token) return { ok: false, reason: "missing" };
  if (typeof token !== "string" || token.length > MAX_TOKEN) return { ok: false, reason: "invalid" };
  const [visitorId, exp, sig, extra] = token.split(".");
  if (extra !== undefined || !VISITOR_ID.test(visitorId ?? "") || !/^\d{1,15}$/.test(exp ?? "") || !sig) return { ok: false, reason: "invalid" };
  if (!sameMac(sig, mac("pass", `${eventId}.${visitorId}.${exp}`))) return { ok: false, reason: "invalid" };
  const expiresAt = Number(exp);
  if (expiresAt <= nowMs) return { ok: false, reason: "expired" };
  return { ok: true, visitorId, expiresAt };
}
