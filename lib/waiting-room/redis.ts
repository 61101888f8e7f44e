import "server-only";
import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { getRedis, UNAVAILABLE, type Unavailable } from "@/lib/redis";
import { TcpRequester } from "@/lib/redis/tcp-requester";

// The queue's own Redis connection. The shared client gives up after REDIS_TIMEOUT_MS (50 ms by
// default): right for the hold pre-lock, which then carries on through Postgres. The queue has
// no such fallback; there a false "unavailable" on a busy event loop only sends every visitor
// into a retry (measured: thousands of 503s in the S8 bench on a loaded machine), so its scripts
// get QUEUE_TIMEOUT_MS. A Redis that is really down still fails at once (no offline queue).
// Over Upstash's HTTP transport the shared client is used as it is.

const QUEUE_TIMEOUT_MS = 2_000;

const g = globalThis as unknown as { tesseraQueueRedis?: Redis | null };

function queueRedis(): Redis | null {
  if (g.tesseraQueueRedis === undefined) {
    const e = env();
    g.tesseraQueueRedis =
      e.REDIS_URL && !e.UPSTASH_REDIS_REST_URL ? new Redis(new TcpRequester(e.REDIS_URL, { commandTimeoutMs: QUEUE_TIMEOUT_MS })) : getRedis();
  }
  return g.tesseraQueueRedis;
}

let lastWarning = 0;

/** Like lib/redis withRedis, on the queue's connection: UNAVAILABLE when Redis is absent, down or too slow. */
export async function withQueueRedis<T>(what: string, fn: (redis: Redis) => Promise<T>, timeoutMs = QUEUE_TIMEOUT_MS): Promise<T | Unavailable> {
  const redis = queueRedis();
  if (!redis) return UNAVAILABLE;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<Unavailable>((resolve) => {
      timer = setTimeout(() => resolve(UNAVAILABLE), timeoutMs);
    });
    const result = await Promise.race([fn(redis), timeout]);
    if (result === UNAVAILABLE) warn(what, `timed out after ${timeoutMs} ms`);
    return result;
  } catch (err) {
    // A reply error from Redis itself (wrong type, script error) is a bug, not an outage.
    if (err instanceof Error && /^(ERR|WRONGTYPE)/.test(err.message) && !/NOSCRIPT/.test(err.message)) throw err;
    warn(what, err instanceof Error ? err.message : String(err));
    return UNAVAILABLE;
  } finally {
    clearTimeout(timer);
  }
}

function warn(what: string, reason: string) {
  if (Date.now() - lastWarning < 10_000) return;
  lastWarning = Date.now();
  log.warn("waiting_room.redis_unavailable", { what, reason, message: "the queue waits; nobody new is admitted" });
}
