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
// the builder's clock when the copy was ready (cache age only, no business decision rests on
// it; instances' clocks only need to agree to well under a second), so a copy is at most the
// interval plus one read's duration old; inv:{E}:lock string.

const keys = (eventId: string) => ({ snap: `inv:{${eventId}}:snap`, lock: `inv:{${eventId}}:lock` });

// KEYS snap lock; ARGV now ttlMs lockMs token.
// Reply {1, body, etag, at} fresh | {2, body|nil, etag|nil, at|nil} the caller builds | {3, …} someone else is building.
const CLAIM = `
local s = redis.call('HMGET', KEYS[1], 'at', 'body', 'etag')
local at = tonumber(s[1])
if at and tonumber(ARGV[1]) - at < tonumber(ARGV[2]) then return {1, s[2], s[3], s[1]} end
local state = 3
if redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[3]) then state = 2 end
return {state, s[2] or false, s[3] or false, s[1] or false}
`;

// KEYS snap lock; ARGV at body etag token keepMs. Publishes unless a newer snapshot is there already.
const PUBLISH = `
local at = tonumber(redis.call('HGET', KEYS[1], 'at'))
if not at or at < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'at', ARGV[1], 'body', ARGV[2], 'etag', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
if redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('DEL', KEYS[2]) end
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

/** The shared copy as stored: body "" means "no such published event". */
export type Shared = { body: string; etag: string; at: number };

export type Claim = { state: "fresh" | "build" | "busy"; copy: Shared | null };

export async function claimSnapshot(eventId: string, now: number, ttlMs: number, token: string): Promise<Claim | Unavailable> {
  const k = keys(eventId);
  const reply = await withRedis(
    "inventory.snapshot",
    (r) => scriptsFor(r).claim.exec([k.snap, k.lock], [String(now), String(ttlMs), String(LOCK_MS), token]) as Promise<unknown[]>,
    REDIS_MS,
  );
  if (reply === UNAVAILABLE) return UNAVAILABLE;
  const [state, body, etag, at] = reply;
  const copy = typeof body === "string" && body.startsWith(RAW) && at ? { body: body.slice(RAW.length), etag: String(etag ?? ""), at: Number(at) } : null;
  return { state: state === 1 ? "fresh" : state === 2 ? "build" : "busy", copy };
}

export async function publishSnapshot(eventId: string, copy: Shared, token: string): Promise<void> {
  const k = keys(eventId);
  await withRedis(
    "inventory.publish",
    (r) => scriptsFor(r).publish.exec([k.snap, k.lock], [String(copy.at), RAW + copy.body, copy.etag, token, String(copy.body ? KEEP_MS : LOCK_MS)]),
    REDIS_MS,
  );
}
