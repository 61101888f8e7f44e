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

const scripts = new WeakMap<Redis, { hold: ReturnType<Redis["createScript"]>; release: ReturnType<Redis["createScript"]> }>();

function scriptsFor(redis: Redis) {
  let s = scripts.get(redis);
  if (!s) {
    s = { hold: redis.createScript<number[]>(HOLD_SCRIPT), release: redis.createScript<number>(RELEASE_SCRIPT) };
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
