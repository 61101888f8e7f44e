import "server-only";
import type { Redis } from "@upstash/redis";
import { UNAVAILABLE, withRedis } from "@/lib/redis";
import { policy, type RateLimitInfo } from "@/lib/rate-limit";
import { QUEUE_TTL_SECONDS } from "@/lib/waiting-room/defaults";
import { keys as roomKeys } from "@/lib/waiting-room/scripts";
import { seatKey } from "./prelock";

// The hold's Redis half in ONE round trip: one Lua script runs, in order and atomically,
//   1. the waiting room's pass: while the room guards holds, the pass (its signature and expiry
//      already checked in the app, lib/waiting-room/tokens.ts) is bound to the first account
//      that uses it, its expiry judged by Redis's clock (the rule of the room's CLAIM script);
//   2. the per-customer rate limit for holds: a sliding window over two fixed windows (the
//      algorithm of @upstash/ratelimit, which the other limits use), counted per event;
//   3. the seat pre-lock, all or nothing (the rule of ./prelock.ts's script).
// Every key carries the event's hash tag {eventId}, so on a Redis Cluster the script runs on the
// one node that owns the event's slot; that is why the hold limit counts per customer AND event.
// A refusal at any step leaves the later steps undone.

const SCRIPT = `
-- 1. ARGV[1] visitor id ('' when the room does not guard holds), ARGV[2] user, ARGV[3] pass expiry (ms), ARGV[4] claim ttl (s)
if ARGV[1] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now >= tonumber(ARGV[3]) then return {-1} end
  local owner = redis.call('HGET', KEYS[1], ARGV[1])
  if not owner then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    redis.call('EXPIRE', KEYS[1], ARGV[4])
  elseif owner ~= ARGV[2] then
    return {-2}
  end
end
-- 2. ARGV[5] limit, ARGV[6] window (ms), ARGV[7] the app's time (ms) that named the windows
local limit = tonumber(ARGV[5])
local window = tonumber(ARGV[6])
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local previous = tonumber(redis.call('GET', KEYS[3]) or '0')
local elapsed = tonumber(ARGV[7]) % window
local used = math.floor(previous * (1 - elapsed / window)) + current
if used >= limit then return {-3, 0} end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], window * 2 + 1000) end
local remaining = limit - used - 1
-- 3. ARGV[8] reservation id, ARGV[9] px; the seat keys from KEYS[4]
local taken = {}
for i = 4, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v and v ~= ARGV[8] then taken[#taken + 1] = i - 3 end
end
if #taken > 0 then
  local out = {0, remaining}
  for _, p in ipairs(taken) do out[#out + 1] = p end
  return out
end
local out = {1, remaining}
for i = 4, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[8], 'NX', 'PX', ARGV[9]) then out[#out + 1] = i - 3 end
end
return out
`;

export type GuardOutcome =
  | { kind: "passed"; setIds: number[]; rateLimit: RateLimitInfo } // every guard passed; the seats in setIds were pre-locked now
  | { kind: "taken"; takenIds: number[]; rateLimit: RateLimitInfo } // a seat is pre-locked by another reservation
  | { kind: "pass_expired" }
  | { kind: "pass_used" }
  | { kind: "rate_limited"; rateLimit: RateLimitInfo }
  | { kind: "unavailable" }; // Redis is down or slow: go on without it (PostgreSQL stays correct)

const scripts = new WeakMap<Redis, ReturnType<Redis["createScript"]>>();

// This one answer decides the pass, the rate limit and the pre-lock, so a busy event loop must
// not be taken for an outage: a false timeout would skip all three (the limit and the pass's
// binding fail open). lib/redis's bounded() already lets a reply that has arrived win over a
// timer that fired in the same turn of the event loop; beyond that, 250 ms is five times the
// pre-lock's old 50 ms and a quarter of the rate limit's 1 s. A Redis that is down fails at once.
const GUARDS_TIMEOUT_MS = 250;

export function holdLimitKey(eventId: string, userId: string, window: number) {
  return `rl:{${eventId}}:reservation:${userId}:${window}`;
}

export async function runHoldGuards(args: {
  eventId: string;
  userId: string;
  pass: { visitorId: string; expiresAt: number } | null; // null: the room does not guard this event's holds
  reservationId: string;
  seatIds: number[];
  preLockMs: number;
}): Promise<GuardOutcome> {
  const { eventId, userId, pass, reservationId, seatIds, preLockMs } = args;
  const p = policy("reservation");
  const windowMs = p.windowSeconds * 1000;
  const now = Date.now();
  const windowIndex = Math.floor(now / windowMs);
  const keys = [
    roomKeys(eventId).claim,
    holdLimitKey(eventId, userId, windowIndex),
    holdLimitKey(eventId, userId, windowIndex - 1),
    ...seatIds.map((id) => seatKey(eventId, id)),
  ];
  const argv = [
    pass?.visitorId ?? "",
    userId,
    String(pass?.expiresAt ?? 0),
    String(QUEUE_TTL_SECONDS),
    String(p.requests),
    String(windowMs),
    String(now),
    reservationId,
    String(Math.max(1, Math.floor(preLockMs))),
  ];
  const reply = await withRedis(
    "holds.guards",
    (redis) => {
      let s = scripts.get(redis);
      if (!s) scripts.set(redis, (s = redis.createScript<number[]>(SCRIPT)));
      return s.exec(keys, argv) as Promise<number[]>;
    },
    GUARDS_TIMEOUT_MS,
  );
  if (reply === UNAVAILABLE) return { kind: "unavailable" };
  const [status, remaining, ...positions] = reply.map(Number);
  const info = (left: number): RateLimitInfo => ({ limit: p.requests, remaining: Math.max(0, left), reset: (windowIndex + 1) * windowMs });
  switch (status) {
    case -1:
      return { kind: "pass_expired" };
    case -2:
      return { kind: "pass_used" };
    case -3:
      return { kind: "rate_limited", rateLimit: info(0) };
    case 0:
      return { kind: "taken", takenIds: positions.map((i) => seatIds[i - 1]), rateLimit: info(remaining) };
    default:
      return { kind: "passed", setIds: positions.map((i) => seatIds[i - 1]), rateLimit: info(remaining) };
  }
}
