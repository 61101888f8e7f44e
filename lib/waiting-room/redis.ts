import "server-only";
import type { Redis } from "@upstash/redis";
import { bounded, createTcpRedis, getRedis, UNAVAILABLE, type Unavailable } from "@/lib/redis";

// The queue's own Redis connection. The shared client gives up after REDIS_TIMEOUT_MS (50 ms by
// default): right for the hold pre-lock, which then carries on through Postgres. The queue has
// no such fallback; there a false "unavailable" on a busy event loop only sends every visitor
// into a retry (measured: thousands of 503s in the S8 bench on a loaded machine), so its scripts
// get QUEUE_TIMEOUT_MS. A Redis that is really down still fails at once (no offline queue).
// Over Upstash's HTTP transport the shared client is used as it is.

const QUEUE_TIMEOUT_MS = 2_000;

const g = globalThis as unknown as { tesseraQueueRedis?: Redis | null };

function queueRedis(): Redis | null {
  if (g.tesseraQueueRedis === undefined) g.tesseraQueueRedis = createTcpRedis(QUEUE_TIMEOUT_MS)?.redis ?? getRedis();
  return g.tesseraQueueRedis;
}

/** Like lib/redis withRedis, on the queue's connection: UNAVAILABLE when Redis is absent, down or too slow. */
export async function withQueueRedis<T>(what: string, fn: (redis: Redis) => Promise<T>, timeoutMs = QUEUE_TIMEOUT_MS): Promise<T | Unavailable> {
  const redis = queueRedis();
  if (!redis) return UNAVAILABLE;
  return bounded(redis, `waiting-room:${what}`, fn, timeoutMs, "the queue waits; nobody new is admitted");
}
