import { sql } from "drizzle-orm";
import { db } from "@/db";
import { replicaStatus, type ReplicaStatus } from "@/db/replicas";
import { UNAVAILABLE, redisTransport, withRedis } from "@/lib/redis";

export type Health = {
  status: "ok" | "degraded" | "down";
  database: { status: "up" | "down"; latencyMs?: number };
  redis: { status: "up" | "down" | "not_configured"; transport: string; latencyMs?: number };
  replicas?: ReplicaStatus[];
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, Math.round((performance.now() - t) * 10) / 10];
}

export async function checkHealth(): Promise<Health> {
  const database = await timed(() => db().execute(sql`select 1`))
    .then(([, ms]) => ({ status: "up" as const, latencyMs: ms }))
    .catch(() => ({ status: "down" as const }));
  const transport = redisTransport();
  let redis: Health["redis"] = { status: "not_configured", transport };
  if (transport !== "none") {
    const [pong, ms] = await timed(() => withRedis("health", (r) => r.ping(), 500));
    redis = pong === UNAVAILABLE ? { status: "down", transport } : { status: "up", transport, latencyMs: ms };
  }
  const status = database.status === "down" ? "down" : redis.status === "down" ? "degraded" : "ok";
  // A replica that is down or behind is skipped, not an outage: it does not change the status.
  const replicas = await replicaStatus(true);
  return { status, database, redis, ...(replicas.length ? { replicas } : {}) };
}
