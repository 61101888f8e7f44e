import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { TcpRequester } from "./tcp-requester";

// Redis is the fast path (holds pre-lock, rate limits, caches), never the authority (see docs/invariants.md, I6).
// Every call goes through `withRedis`, which bounds it by REDIS_TIMEOUT_MS and turns an outage
// into `unavailable` so callers carry on through Postgres alone.

type Handle = { redis: Redis; close: () => Promise<void>; transport: "tcp" | "http" };

const g = globalThis as unknown as { tesseraRedis?: Handle | null };

function connect(): Handle | null {
  const e = env();
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN) {
    const redis = new Redis({
      url: e.UPSTASH_REDIS_REST_URL,
      token: e.UPSTASH_REDIS_REST_TOKEN,
      retry: false,
      enableTelemetry: false,
    });
    return { redis, close: async () => {}, transport: "http" };
  }
  if (e.REDIS_URL) {
    // The transport's own timeout is only a backstop: each caller bounds its call with
    // withRedis() (50 ms on the hold path, 1 s for rate limits), so one tight value here must
    // not cut the longer deadlines short.
    const requester = new TcpRequester(e.REDIS_URL, { commandTimeoutMs: 2000 });
    const redis = new Redis(requester);
    return { redis, close: () => requester.quit(), transport: "tcp" };
  }
  log.warn("redis.not_configured", {
    message: "No REDIS_URL or UPSTASH_REDIS_REST_URL: holds and limits run on PostgreSQL alone",
  });
  return null;
}

export function getRedis(): Redis | null {
  if (g.tesseraRedis === undefined) g.tesseraRedis = connect();
  return g.tesseraRedis?.redis ?? null;
}

export function redisTransport(): "tcp" | "http" | "none" {
  getRedis();
  return g.tesseraRedis?.transport ?? "none";
}

export const UNAVAILABLE = Symbol("redis-unavailable");
export type Unavailable = typeof UNAVAILABLE;

let lastWarning = 0;

/** Runs `fn` against Redis within the timeout; returns UNAVAILABLE when Redis is absent, slow or down. */
export async function withRedis<T>(what: string, fn: (redis: Redis) => Promise<T>, timeoutMs?: number): Promise<T | Unavailable> {
  const redis = getRedis();
  if (!redis) return UNAVAILABLE;
  const limit = timeoutMs ?? env().REDIS_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<Unavailable>((resolve) => {
      timer = setTimeout(() => resolve(UNAVAILABLE), limit);
    });
    const result = await Promise.race([fn(redis), timeout]);
    if (result === UNAVAILABLE) warn(what, `timed out after ${limit} ms`);
    return result;
  } catch (err) {
    if (isProtocolError(err)) throw err;
    warn(what, err instanceof Error ? err.message : String(err));
    return UNAVAILABLE;
  } finally {
    clearTimeout(timer);
  }
}

function warn(what: string, reason: string) {
  const now = Date.now();
  if (now - lastWarning < 10_000) return;
  lastWarning = now;
  log.warn("redis.unavailable", { what, reason, message: "continuing on PostgreSQL alone" });
}

// A reply error from Redis itself (wrong type, script error) is a bug, not an outage.
function isProtocolError(err: unknown) {
  return err instanceof Error && /^(ERR|WRONGTYPE)/.test(err.message) && !/NOSCRIPT/.test(err.message);
}

export async function closeRedis() {
  const h = g.tesseraRedis;
  g.tesseraRedis = undefined;
  await h?.close();
}
