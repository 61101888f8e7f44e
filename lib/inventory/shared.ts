import "server-only";
import type { Redis } from "@upstash/redis";
import { UNAVAILABLE, withRedis, type Unavailable } from "@/lib/redis";

// One live snapshot per event for every app instance, through Redis: whoever finds the shared
// copy older than the interval takes a short lock and rebuilds it from PostgreSQL; everyone else
// serves the shared copy (the previous one while the rebuild runs). N instances polled by
// thousands of seat maps cost one snapshot query per event per interval, not N. The lock only
// saves work: two builders at once (a lock that expired under a slow build) publish equally
// valid snapshots. Without Redis each process builds its own, as before.
//
// Keys (hash tag {eventId}, one Cluster slot): inv:{E}:snap hash {at, body, etag} — `at` is
// Redis's own clock (TIME) when the copy was published, so every instance judges a copy's age
// by the same clock whatever its own says (instances' clocks may disagree by hours: the age a
// caller gets back is Redis's now − at); inv:{E}:lock string. Cache age only: no business
// decision rests on it (expiry is judged by PostgreSQL's clock, docs/invariants.md I5).

const keys = (eventId: string) => ({ snap: `inv:{${eventId}}:snap`, lock: `inv:{${eventId}}:lock` });

// Redis's clock in milliseconds (scripts replicate their effects, so TIME is allowed in them).
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS snap lock; ARGV ttlMs lockMs token.
// Reply {1, body, etag, ageMs} fresh | {2, body|nil, etag|nil, ageMs|nil} the caller builds | {3, …} someone else is building.
const CLAIM = `
${NOW_MS}
local s = redis.call('HMGET', KEYS[1], 'at', 'body', 'etag')
local at = tonumber(s[1])
local age = false
if at then age = math.max(0, now - at) end
if age and age < tonumber(ARGV[1]) then return {1, s[2], s[3], age} end
local state = 3
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[2]) then state = 2 end
return {state, s[2] or false, s[3] or false, age}
`;

// KEYS snap lock; ARGV body etag token keepMs readStartedAgoMs. Publishes, stamped with Redis's
// now, unless a copy whose read began later is there already (a slow builder never overwrites a
// newer copy).
const PUBLISH = `
${NOW_MS}
local began = now - tonumber(ARGV[5])
local prev = tonumber(redis.call('HGET', KEYS[1], 'began'))
if not prev or prev < began then
  redis.call('HSET', KEYS[1], 'at', now, 'began', began, 'body', ARGV[1], 'etag', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`;

const scripts = new WeakMap<Redis, { claim: ReturnType<Redis["createScript"]>; publish: ReturnType<Redis["createScript"]> }>();
function scriptsFor(redis: Redis) {
  let s = scripts.get(redis);
  if (!s) scripts.set(redis, (s = { claim: redis.createScript(CLAIM), publish: redis.createScript(PUBLISH) }));
  return s;
}

// The client parses any reply that looks like JSON; the body travels with a prefix that does not,
// so it arrives as the very text that was stored (ready to send, parsed once at most).
const RAW = "~";

const REDIS_MS = 500; // a browsing read: a slow Redis means building locally, never an error
const LOCK_MS = 2_000; // a builder that died is replaced after this
const KEEP_MS = 60_000; // a stale copy to serve while the next one is built ("no such event": briefly)

/** A shared copy: body "" means "no such published event"; ageMs by Redis's clock. */
export type Shared = { body: string; etag: string; ageMs: number };

export type Claim = { state: "fresh" | "build" | "busy"; copy: Shared | null };

export async function claimSnapshot(eventId: string, ttlMs: number, token: string): Promise<Claim | Unavailable> {
  const k = keys(eventId);
  const reply = await withRedis(
    "inventory.snapshot",
    (r) => scriptsFor(r).claim.exec([k.snap, k.lock], [String(ttlMs), String(LOCK_MS), token]) as Promise<unknown[]>,
    REDIS_MS,
  );
  if (reply === UNAVAILABLE) return UNAVAILABLE;
  const [state, body, etag, age] = reply;
  const copy =
    typeof body === "string" && body.startsWith(RAW) && age !== null && age !== false
      ? { body: body.slice(RAW.length), etag: String(etag ?? ""), ageMs: Number(age) }
      : null;
  return { state: state === 1 ? "fresh" : state === 2 ? "build" : "busy", copy };
}

/** Shares a copy whose read began `readMs` ago (stamped with Redis's clock on arrival). */
export async function publishSnapshot(eventId: string, copy: { body: string; etag: string }, readMs: number, token: string): Promise<void> {
  const k = keys(eventId);
  await withRedis(
    "inventory.publish",
    (r) =>
      scriptsFor(r).publish.exec(
        [k.snap, k.lock],
        [RAW + copy.body, copy.etag, token, String(copy.body ? KEEP_MS : LOCK_MS), String(Math.max(0, Math.round(readMs)))],
      ),
    REDIS_MS,
  );
}
