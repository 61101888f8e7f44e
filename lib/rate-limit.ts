import { Ratelimit } from "@upstash/ratelimit";
import { AppError } from "@/lib/errors";
import { UNAVAILABLE, getRedis, withRedis } from "@/lib/redis";

// The rate-limit policy table. `failClosed` policies guard credentials: when Redis cannot be
// asked they refuse (503) rather than open the door to brute force. Everything else fails open.
// Limits can be tuned with RATE_LIMIT_<POLICY>=<requests>/<seconds>, e.g. RATE_LIMIT_LOGIN_IP=20/60.

type Policy = { requests: number; windowSeconds: number; failClosed: boolean };

const DEFAULTS = {
  // Sign-in (lib/auth/sign-in-limits.ts): guesses per address across accounts, per account from
  // one address, and a higher ceiling per account from every address together (failures only).
  loginIp: { requests: 20, windowSeconds: 60, failClosed: true },
  loginAccountAddress: { requests: 5, windowSeconds: 60, failClosed: true },
  loginAccount: { requests: 50, windowSeconds: 900, failClosed: true },
  register: { requests: 10, windowSeconds: 3600, failClosed: true },
  // Holds, per customer and event: counted inside the hold's own Redis script (lib/holds/hold-guards.ts).
  reservation: { requests: 30, windowSeconds: 60, failClosed: false },
  confirm: { requests: 20, windowSeconds: 60, failClosed: false },
  // Every /api/v1 endpoint without a policy of its own, per client address (lib/api/limits.ts).
  api: { requests: 600, windowSeconds: 60, failClosed: false },
  // Server actions of signed-in people (lib/actions.ts action()), per account: forms, not scripts.
  action: { requests: 120, windowSeconds: 60, failClosed: false },
  // The public seat map's two endpoints (live availability, polled about once a second while a
  // map is open, and the layout) per client address. Generous: a venue's or a carrier's address
  // can carry many open maps; it stops a single client from hammering them without end.
  seatMap: { requests: 1200, windowSeconds: 60, failClosed: false },
  // New places in a waiting room's line per client IP and event: one person cannot stand in line
  // many times over. Generous, because many fans may share one address (mobile carriers, venues).
  queueJoin: { requests: 60, windowSeconds: 60, failClosed: false },
  // Polls of a place in line (GET …/queue) per client address: a page polls every few seconds,
  // and many fans may share one address, so as generous as the seat map.
  queuePoll: { requests: 1200, windowSeconds: 60, failClosed: false },
  // Account recovery and changes (lib/accounts). Reset requests are limited per client address
  // and per email address whether or not the address has an account (the answer never says).
  resetIp: { requests: 10, windowSeconds: 3600, failClosed: true },
  resetAddress: { requests: 3, windowSeconds: 3600, failClosed: true },
  verifyEmail: { requests: 5, windowSeconds: 3600, failClosed: true },
  accountChange: { requests: 5, windowSeconds: 900, failClosed: true },
  // Guest checkouts start a session without a password, like signing up: limited the same way.
  guestIp: { requests: 30, windowSeconds: 3600, failClosed: true },
  guestAddress: { requests: 10, windowSeconds: 3600, failClosed: true },
} satisfies Record<string, Policy>;

export type PolicyName = keyof typeof DEFAULTS;

function envName(name: string) {
  return "RATE_LIMIT_" + name.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
}

export function policy(name: PolicyName): Policy {
  const base = DEFAULTS[name];
  const raw = process.env[envName(name)];
  const m = raw?.match(/^(\d+)\/(\d+)$/);
  return m ? { ...base, requests: Number(m[1]), windowSeconds: Number(m[2]) } : base;
}

const limiters = new Map<string, Ratelimit>();
const RATE_LIMIT_TIMEOUT_MS = 1000;

function limiter(name: PolicyName): Ratelimit | null {
  const redis = getRedis();
  if (!redis) return null;
  const p = policy(name);
  const key = `${name}:${p.requests}/${p.windowSeconds}`;
  let l = limiters.get(key);
  if (!l) {
    l = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(p.requests, `${p.windowSeconds} s`),
      prefix: `rl:${name}`,
      analytics: false,
      ephemeralCache: false,
      timeout: 0,
    });
    limiters.set(key, l);
  }
  return l;
}

// The sliding window's script touches two keys, rl:<policy>:<id>:<window> and the previous
// window's. On a Redis Cluster both must live in one slot (else CROSSSLOT), so the id is the
// hash tag: rl:<policy>:{<id>}:<window>. Braces inside an id cannot split the pair: both keys
// are the same text up to the window number, so they end up with the same tag either way.
export function limitedKey(id: string) {
  return `{${id || "-"}}`; // an empty tag {} would hash the whole key, splitting the pair
}

export type RateLimitInfo = { limit: number; remaining: number; reset: number };

export function rateLimitHeaders(info: RateLimitInfo): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil((info.reset - Date.now()) / 1000));
  return {
    "RateLimit-Limit": String(info.limit),
    "RateLimit-Remaining": String(Math.max(0, info.remaining)),
    "RateLimit-Reset": String(resetSeconds),
  };
}

/**
 * Counts one request for `id` under `name`. Throws AppError("rate_limited") with Retry-After
 * when over the limit, and AppError("service_unavailable") for fail-closed policies when Redis
 * cannot answer. Returns the limit info (null when nothing could be counted).
 */
export async function assertRateLimit(name: PolicyName, id: string): Promise<RateLimitInfo | null> {
  const p = policy(name);
  const l = limiter(name);
  // A generous deadline: a busy event loop must not be mistaken for an outage (that would lock
  // people out of signing in). A Redis that is really down fails at once, not after the wait.
  const result = l ? await withRedis(`ratelimit:${name}`, () => l.limit(limitedKey(id)), RATE_LIMIT_TIMEOUT_MS) : UNAVAILABLE;
  if (result === UNAVAILABLE) {
    if (p.failClosed && getRedis()) {
      throw new AppError(
        "service_unavailable",
        "Signing in and creating accounts is briefly unavailable. Please try again in a moment.",
        {},
        { "Retry-After": "5" },
      );
    }
    return null;
  }
  const info = { limit: result.limit, remaining: result.remaining, reset: result.reset };
  if (!result.success) throw rateLimitedError(info);
  return info;
}

/** The refusal for a request over its limit (429 with Retry-After and the RateLimit headers). */
export function rateLimitedError(info: RateLimitInfo): AppError {
  const retryAfter = Math.max(1, Math.ceil((info.reset - Date.now()) / 1000));
  return new AppError(
    "rate_limited",
    `Too many attempts. Try again in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    { retryAfter },
    { "Retry-After": String(retryAfter), ...rateLimitHeaders(info) },
  );
}

/** What `id` has left under `name`, without counting a request; null when Redis cannot answer in time. */
export async function rateLimitRemaining(name: PolicyName, id: string): Promise<RateLimitInfo | null> {
  const l = limiter(name);
  const result = l ? await withRedis(`ratelimit:${name}`, () => l.getRemaining(limitedKey(id)), RATE_LIMIT_TIMEOUT_MS) : UNAVAILABLE;
  return result === UNAVAILABLE ? null : { limit: result.limit, remaining: result.remaining, reset: result.reset };
}

/** Counts one request for `id` under `name` without refusing anything (e.g. a failure that happened). */
export async function countRateLimit(name: PolicyName, id: string): Promise<void> {
  const l = limiter(name);
  if (l) await withRedis(`ratelimit:${name}`, () => l.limit(limitedKey(id)), RATE_LIMIT_TIMEOUT_MS);
}
