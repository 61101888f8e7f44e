import "server-only";
import type { Redis } from "@upstash/redis";

// The queue lives in Redis, one set of keys per event (hash tag {eventId}: one Cluster slot):
//   wr:{E}:cfg    hash   room settings cached from Postgres (on, rate, paused, opens, sess, …)
//   wr:{E}:q      zset   the line: member = visitor id; score = random in [0,1) for arrivals
//                        before the opening (the draw), 1 + arrival number after it
//   wr:{E}:seq    string arrival counter after the opening
//   wr:{E}:acc    hash   admission allowance (float) and the Redis time it was last brought up to date
//   wr:{E}:adm    hash   visitor id -> Redis time of admission (the pass is minted once from it)
//   wr:{E}:claim  hash   visitor id -> the user who first held seats with that visitor's pass
// Admission is computed lazily, inside the script of whoever asks: allowance grows by
// rate x elapsed time (not while paused or off), capped at everyone in line plus a small burst,
// so an emptied line lets the next few straight through and then meters again (a token bucket
// over the sorted set); a pause also drops the unused burst. A visitor is admitted once rank < floor(allowance). Ranks never change
// after the opening (nobody is removed; later arrivals go to the end), and the allowance never
// shrinks, so a position can only move forward and each visitor is admitted exactly once.
// Every time comes from Redis TIME: one clock for every app instance, with no Postgres in the loop.

export const keys = (eventId: string) => {
  const p = `wr:{${eventId}}:`;
  return { cfg: p + "cfg", q: p + "q", seq: p + "seq", acc: p + "acc", adm: p + "adm", claim: p + "claim" };
};

const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function config(key)
  local c = redis.call('HMGET', key, 'exists', 'on', 'rate', 'paused', 'opens', 'sess')
  if not c[1] then return nil end
  return { exists = c[1] == '1', on = c[2] == '1', rate = tonumber(c[3]) or 1, paused = c[4] == '1', opens = tonumber(c[5]) or 0, sess = tonumber(c[6]) or 600 }
end
local function accrue(acc, q, cfg, now, burst, ttl)
  local st = redis.call('HMGET', acc, 'allow', 'last')
  local allow = tonumber(st[1]) or 0
  local last = tonumber(st[2]) or cfg.opens
  if now <= cfg.opens then return allow end
  if last < cfg.opens then last = cfg.opens end
  if now > last then
    local total = redis.call('ZCARD', q)
    if cfg.on and not cfg.paused then
      local grown = math.min(allow + cfg.rate * (now - last) / 60000, total + math.max(1, cfg.rate * burst / 60))
      if grown > allow then allow = grown end
    elseif allow > total then
      allow = total -- paused or off: unused burst is dropped, so nobody new walks in
    end
    redis.call('HSET', acc, 'allow', string.format('%.6f', allow), 'last', string.format('%d', now))
    if not st[2] then redis.call('EXPIRE', acc, ttl) end
  end
  return allow
end
local function place(q, adm, cfg, now, allow, visitor, ttl)
  local total = redis.call('ZCARD', q)
  local admitted = math.min(math.floor(allow), total)
  local tail = { cfg.rate, cfg.paused and 1 or 0, cfg.opens, cfg.sess }
  local function reply(state, rank, at)
    return { state, rank, admitted, total, now, at, tail[1], tail[2], tail[3], tail[4] }
  end
  local rank = redis.call('ZRANK', q, visitor)
  if not rank then return reply(0, -1, 0) end
  if now > cfg.opens and rank < admitted then
    if redis.call('HSETNX', adm, visitor, string.format('%d', now)) == 1 then redis.call('EXPIRE', adm, ttl) end
    local at = tonumber(redis.call('HGET', adm, visitor))
    if now >= at + cfg.sess * 1000 then return reply(3, rank, at) end
    return reply(2, rank, at)
  end
  return reply(1, rank, 0)
end
`;

// KEYS cfg q acc adm; ARGV visitor burst ttl.
// Reply: {-1} settings not cached, {-2} no such event, {4, …} room off, else
// {state 0 not in line | 1 waiting | 2 admitted | 3 session over, rank, admitted, total, now, admittedAt, rate, paused, opens, sess}.
const STATUS = `${PRELUDE}
local cfg = config(KEYS[1])
if not cfg then return {-1} end
if not cfg.exists then return {-2} end
local now = now_ms()
if not cfg.on then return {4, -1, 0, 0, now, 0, cfg.rate, 0, cfg.opens, cfg.sess} end
local allow = accrue(KEYS[3], KEYS[2], cfg, now, tonumber(ARGV[2]), ARGV[3])
return place(KEYS[2], KEYS[4], cfg, now, allow, ARGV[1], ARGV[3])
`;

// KEYS cfg q acc adm seq; ARGV visitor earlyScore burst ttl. Same reply as STATUS. The allowance is
// brought up to date before the newcomer is counted, so the burst cap sees the line as it was.
const JOIN = `${PRELUDE}
local cfg = config(KEYS[1])
if not cfg then return {-1} end
if not cfg.exists then return {-2} end
local now = now_ms()
if not cfg.on then return {4, -1, 0, 0, now, 0, cfg.rate, 0, cfg.opens, cfg.sess} end
local allow = accrue(KEYS[3], KEYS[2], cfg, now, tonumber(ARGV[3]), ARGV[4])
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local score
  if now < cfg.opens then score = tonumber(ARGV[2]) else score = 1 + redis.call('INCR', KEYS[5]) end
  redis.call('ZADD', KEYS[2], score, ARGV[1])
  for i = 2, 5 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
end
return place(KEYS[2], KEYS[4], cfg, now, allow, ARGV[1], ARGV[4])
`;

// KEYS cfg q acc adm; ARGV burst ttl. Reply {-1} | {-2} | {total, admitted, passes, now, on, rate, paused, opens, sess}.
const STATS = `${PRELUDE}
local cfg = config(KEYS[1])
if not cfg then return {-1} end
if not cfg.exists then return {-2} end
local now = now_ms()
local allow = accrue(KEYS[3], KEYS[2], cfg, now, tonumber(ARGV[1]), ARGV[2])
local total = redis.call('ZCARD', KEYS[2])
return { total, math.min(math.floor(allow), total), redis.call('HLEN', KEYS[4]), now, cfg.on and 1 or 0, cfg.rate, cfg.paused and 1 or 0, cfg.opens, cfg.sess }
`;

// KEYS cfg; ARGV ttl, field, value, …  Caches settings read from Postgres unless someone was first.
const FILL = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

// KEYS cfg q acc; ARGV burst ttl queueTtl, field, value, …  A settings change: the allowance is first
// brought up to date under the OLD settings (so a new rate or a pause counts from now), then replaced.
const RECONFIGURE = `${PRELUDE}
local cfg = config(KEYS[1])
if cfg and cfg.exists then accrue(KEYS[3], KEYS[2], cfg, now_ms(), tonumber(ARGV[1]), ARGV[3]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

// KEYS claim; ARGV visitor user expMs ttl. 1 ok, 0 the pass was first used by another user,
// -1 expired by Redis's clock.
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now >= tonumber(ARGV[3]) then return -1 end
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if not owner then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return 1
end
if owner == ARGV[2] then return 1 end
return 0
`;

type Scripts = Record<"status" | "join" | "stats" | "fill" | "reconfigure" | "claim", ReturnType<Redis["createScript"]>>;
const cache = new WeakMap<Redis, Scripts>();

export function scripts(redis: Redis): Scripts {
  let s = cache.get(redis);
  if (!s) {
    s = {
      status: redis.createScript(STATUS),
      join: redis.createScript(JOIN),
      stats: redis.createScript(STATS),
      fill: redis.createScript(FILL),
      reconfigure: redis.createScript(RECONFIGURE),
      claim: redis.createScript(CLAIM),
    };
    cache.set(redis, s);
  }
  return s;
}

export type PlaceReply = {
  state: 0 | 1 | 2 | 3 | 4;
  rank: number;
  admitted: number;
  total: number;
  now: number;
  admittedAt: number;
  rate: number;
  paused: boolean;
  opens: number;
  sessionSeconds: number;
};

/** STATUS/JOIN replies; "missing" = settings not cached, "none" = no such event. */
export function parsePlace(reply: unknown): PlaceReply | "missing" | "none" {
  const r = (reply as unknown[]).map(Number);
  if (r[0] === -1) return "missing";
  if (r[0] === -2) return "none";
  return {
    state: r[0] as PlaceReply["state"],
    rank: r[1],
    admitted: r[2],
    total: r[3],
    now: r[4],
    admittedAt: r[5],
    rate: r[6],
    paused: r[7] === 1,
    opens: r[8],
    sessionSeconds: r[9],
  };
}
