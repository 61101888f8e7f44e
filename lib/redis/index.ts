import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { createClusterClient } from "./cluster";
import { classifyRedisError, isRedirect } from "./failures";
import { TcpRequester } from "./tcp-requester";

// Redis is the fast path (holds pre-lock, rate limits, caches), never the authority
// (see docs/invariants.md, I6). Every call goes through `withRedis`, which bounds it by a deadline and
// turns an outage into `unavailable` so callers carry on through Postgres alone.
// Three transports: a Redis Cluster (REDIS_CLUSTER_NODES, wins over the others), Upstash over
// HTTP, or one redis-server over TCP (REDIS_URL).

export type Transport = "cluster" | "tcp" | "http";
type Handle = { redis: Redis; close: () => Promise<void>; transport: Transport };

const g = globalThis as unknown as { tesseraRedis?: Handle | null };

/**
 * A TCP client (cluster or single node, as configured) whose transport gives up after
 * `commandTimeoutMs`; null over HTTP or without Redis. For callers that need their own deadline
 * (the waiting room); everyone else shares getRedis().
 */
export function createTcpRedis(commandTimeoutMs: number): { redis: Redis; close: () => Promise<void>; transport: Transport } | null {
  const e = env();
  if (e.REDIS_CLUSTER_NODES) {
    const requester = new TcpRequester(createClusterClient(e.REDIS_CLUSTER_NODES, { commandTimeoutMs }), { commandTimeoutMs });
    return { redis: new Redis(requester), close: () => requester.quit(), transport: "cluster" };
  }
  if (e.REDIS_URL && !(e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN)) {
    const requester = new TcpRequester(e.REDIS_URL, { commandTimeoutMs });
    return { redis: new Redis(requester), close: () => requester.quit(), transport: "tcp" };
  }
  return null;
}

function connect(): Handle | null {
  const e = env();
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN && !e.REDIS_CLUSTER_NODES) {
    const redis = new Redis({
      url: e.UPSTASH_REDIS_REST_URL,
      token: e.UPSTASH_REDIS_REST_TOKEN,
      retry: false,
      enableTelemetry: false,
    });
    return { redis, close: async () => {}, transport: "http" };
  }
  // The transport's own timeout is only a backstop: each caller bounds its call with
  // withRedis() (50 ms on the hold path, 1 s for rate limits), so one tight value here must
  // not cut the longer deadlines short.
  const tcp = createTcpRedis(2000);
  if (tcp) return tcp;
  log.warn("redis.not_configured", {
    message: "No REDIS_CLUSTER_NODES, REDIS_URL or UPSTASH_REDIS_REST_URL: holds and limits run on PostgreSQL alone",
  });
  return null;
}

export function getRedis(): Redis | null {
  if (g.tesseraRedis === undefined) g.tesseraRedis = connect();
  return g.tesseraRedis?.redis ?? null;
}

export function redisTransport(): Transport | "none" {
  getRedis();
  return g.tesseraRedis?.transport ?? "none";
}

export const UNAVAILABLE = Symbol("redis-unavailable");
export type Unavailable = typeof UNAVAILABLE;

/** Runs `fn` against Redis within the timeout; returns UNAVAILABLE when Redis is absent, slow or down. */
export async function withRedis<T>(what: string, fn: (redis: Redis) => Promise<T>, timeoutMs?: number): Promise<T | Unavailable> {
  const redis = getRedis();
  if (!redis) return UNAVAILABLE;
  return bounded(redis, what, fn, timeoutMs ?? env().REDIS_TIMEOUT_MS, "continuing on PostgreSQL alone");
}

/**
 * `fn` within `limitMs`: its result, or UNAVAILABLE when Redis did not answer in time, is down,
 * or is in the middle of a failover. Throws when Redis refused the command itself (a bug).
 */
export async function bounded<T>(redis: Redis, what: string, fn: (redis: Redis) => Promise<T>, limitMs: number, fallback: string): Promise<T | Unavailable> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // The deadline is judged after the event loop has read what arrived: when the loop was busy
    // for longer than limitMs, the timer and the reply are due in the same turn, and timers run
    // before sockets are read. setImmediate runs after that read, so a reply that has arrived
    // wins, and only a Redis that really did not answer in time counts as away.
    const timeout = new Promise<Unavailable>((resolve) => {
      timer = setTimeout(() => setImmediate(() => resolve(UNAVAILABLE)), limitMs);
    });
    const result = await Promise.race([fn(redis), timeout]);
    if (result === UNAVAILABLE) report("down", what, `timed out after ${limitMs} ms`, fallback);
    return result;
  } catch (err) {
    const kind = classifyRedisError(err);
    if (kind === "bug") throw err;
    const reason = err instanceof Error ? err.message : String(err);
    // The cluster client follows redirects itself: one reaching us came over a single-node connection.
    if (isRedirect(err)) misconfigured(reason);
    else report(kind, what, reason, fallback);
    return UNAVAILABLE;
  } finally {
    clearTimeout(timer);
  }
}

// One warning per kind every 10 s: an outage must not flood the log with one line per request.
const lastWarning = { down: 0, moving: 0 };

function report(kind: "down" | "moving", what: string, reason: string, fallback: string) {
  const now = Date.now();
  if (now - lastWarning[kind] < 10_000) return;
  lastWarning[kind] = now;
  if (kind === "moving") log.warn("redis.failover", { what, reason, message: `the cluster is moving slots or promoting a replica; ${fallback} meanwhile` });
  else log.warn("redis.unavailable", { what, reason, message: fallback });
}

let warnedMisconfigured = false;

function misconfigured(reason: string) {
  if (warnedMisconfigured) return;
  warnedMisconfigured = true;
  log.error("redis.misconfigured", {
    reason,
    message: "REDIS_URL points at a node of a Redis Cluster: set REDIS_CLUSTER_NODES=host:port,… to use the cluster. Continuing on PostgreSQL alone.",
  });
}

export async function closeRedis() {
  const h = g.tesseraRedis;
  g.tesseraRedis = undefined;
  await h?.close();
}
