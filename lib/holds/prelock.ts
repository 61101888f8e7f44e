import "server-only";
import type { Redis } from "@upstash/redis";
import { UNAVAILABLE, withRedis, type Unavailable } from "@/lib/redis";

// The Redis pre-lock (see docs/invariants.md, I6): sheds contention before Postgres, never decides alone.
// One key per seat, `hold:{eventId}:<inventoryId>`; the hash tag keeps every key of an event on
// one Redis Cluster slot so the multi-key scripts below stay legal. The value is the reservation
// id, so a key already holding *our* id is ours (a customer adding to their reservation), and a
// release deletes only keys that still carry our id.

// All or nothing: if any key holds another reservation, set none and return {0, taken...}
// (1-based positions); otherwise set the free ones with NX PX and return {1, set...}.
const HOLD_SCRIPT = `
local taken = {}
for i, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v and v ~= ARGV[1] then taken[#taken + 1] = i end
end
if #taken > 0 then
  table.insert(taken, 1, 0)
  return taken
end
local set = {1}
for i, k in ipairs(KEYS) do
  if redis.call('SET', k, ARGV[1], 'NX', 'PX', ARGV[2]) then set[#set + 1] = i end
end
return set
`;

const RELEASE_SCRIPT = `
local n = 0
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then
    redis.call('DEL', k)
    n = n + 1
  end
end
return n
`;

// The keys that have lived past the in-flight window: at most ARGV[1] ms left of a time to live
// that started at the hold length, or no expiry at all. With ARGV[2] = "1" they are deleted too,
// atomically, so a key set again meanwhile (a fresh claim, its full time to live) survives.
// Returns their 1-based positions.
const STALE_SCRIPT = `
local stale = {}
for i, k in ipairs(KEYS) do
  local ttl = redis.call('PTTL', k)
  if ttl == -1 or (ttl >= 0 and ttl <= tonumber(ARGV[1])) then
    if ARGV[2] == '1' then redis.call('DEL', k) end
    stale[#stale + 1] = i
  end
end
return stale
`;

type Scripts = { hold: ReturnType<Redis["createScript"]>; release: ReturnType<Redis["createScript"]>; stale: ReturnType<Redis["createScript"]> };
const scripts = new WeakMap<Redis, Scripts>();

function scriptsFor(redis: Redis) {
  let s = scripts.get(redis);
  if (!s) {
    s = {
      hold: redis.createScript<number[]>(HOLD_SCRIPT),
      release: redis.createScript<number>(RELEASE_SCRIPT),
      stale: redis.createScript<number[]>(STALE_SCRIPT),
    };
    scripts.set(redis, s);
  }
  return s;
}

export function seatKey(eventId: string, inventoryId: number) {
  return `hold:{${eventId}}:${inventoryId}`;
}

export type PreLock = { ok: true; setIds: number[] } | { ok: false; takenIds: number[] };

/** Pre-locks the seats for `reservationId` for `px` ms. UNAVAILABLE: Redis is down or slow; carry on. */
export async function preLockSeats(eventId: string, reservationId: string, seatIds: number[], px: number): Promise<PreLock | Unavailable> {
  if (seatIds.length === 0) return { ok: true, setIds: [] };
  const keys = seatIds.map((id) => seatKey(eventId, id));
  const reply = await withRedis(
    "holds.prelock",
    (redis) => scriptsFor(redis).hold.exec(keys, [reservationId, String(Math.max(1, Math.floor(px)))]) as Promise<number[]>,
  );
  if (reply === UNAVAILABLE) return UNAVAILABLE;
  const [status, ...positions] = reply.map(Number);
  const ids = positions.map((p) => seatIds[p - 1]);
  return status === 1 ? { ok: true, setIds: ids } : { ok: false, takenIds: ids };
}

// A key left behind would turn customers away from a free seat until it expires, so a release
// waits longer than the pre-lock: under a busy event loop a 50 ms timer fires before a reply that
// has in fact arrived. A Redis that is really down still fails at once (no offline queue).
const RELEASE_TIMEOUT_MS = 500;

/** Deletes the keys that still carry `reservationId`. Best effort: a key left behind expires by itself. */
export async function releasePreLocks(eventId: string, reservationId: string, seatIds: number[]): Promise<void> {
  if (seatIds.length === 0) return;
  const keys = seatIds.map((id) => seatKey(eventId, id));
  await withRedis("holds.release", (redis) => scriptsFor(redis).release.exec(keys, [reservationId]), RELEASE_TIMEOUT_MS);
}

/**
 * A pre-lock younger than this may belong to a claim still on its way to PostgreSQL (set, not yet
 * written): it is believed, so a crowd on one seat keeps costing Redis only. Older keys of seats
 * PostgreSQL says are claimable are leftovers (a crash between pre-lock and claim, a release
 * that never arrived) and are cleared (./stale-prelock.ts).
 */
export const PRELOCK_IN_FLIGHT_MS = 3000;

/**
 * The seats whose keys are older than PRELOCK_IN_FLIGHT_MS, judged by their time to live against
 * the hold length (`holdMs`) they started from; with `clear`, those keys are deleted as well. An
 * add to an open reservation pre-locks for what remains of it, so its fresh key can look old and
 * be cleared: PostgreSQL's claim still decides, only the shedding is lost. [] when Redis is out.
 */
export async function stalePreLocks(eventId: string, seatIds: number[], holdMs: number, clear: boolean): Promise<number[]> {
  if (seatIds.length === 0) return [];
  const keys = seatIds.map((id) => seatKey(eventId, id));
  const threshold = String(Math.max(0, Math.floor(holdMs - PRELOCK_IN_FLIGHT_MS)));
  const reply = await withRedis(
    "holds.stale_prelocks",
    (redis) => scriptsFor(redis).stale.exec(keys, [threshold, clear ? "1" : "0"]) as Promise<number[]>,
    RELEASE_TIMEOUT_MS,
  );
  return reply === UNAVAILABLE ? [] : reply.map((p) => seatIds[Number(p) - 1]);
}
