import { Cluster } from "ioredis";

// Redis Cluster through ioredis's Cluster client: it keeps the slot map, sends each command to
// the master of its key's slot, follows MOVED (and updates the map) and ASK (one-off, during a
// slot migration), and on TRYAGAIN, CLUSTERDOWN or a closed connection waits a little, refreshes
// the map and tries again — which is how a failover (a replica promoted after its master died)
// is followed. A command whose keys span slots is refused by Redis with CROSSSLOT: every
// multi-key script here keeps its keys under one hash tag ({eventId}, or the limited id).
// Measured against a slot map of our own: see docs/deployment.md ("Redis Cluster").

export type ClusterNode = { host: string; port: number };

/** "host:port,host:port" (spaces allowed) → nodes; throws on anything else. */
export function parseClusterNodes(spec: string): ClusterNode[] {
  const nodes = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(s);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`"${s}" is not host:port`);
      return { host: m[1].replace(/^\[|\]$/g, ""), port: Number(m[2]) };
    });
  if (nodes.length === 0) throw new Error("no nodes given");
  return nodes;
}

export function createClusterClient(spec: string, opts: { commandTimeoutMs: number }): Cluster {
  const cluster = new Cluster(parseClusterNodes(spec), {
    // Fail fast instead of queueing while nothing is reachable: Redis is only an accelerator,
    // and each caller's own deadline (withRedis) decides how long it waits.
    enableOfflineQueue: false,
    // Redirections and failover retries, each ~100 ms apart: enough to ride through a replica's
    // promotion (a few seconds) for callers with long deadlines, bounded for everyone else.
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 1000,
    slotsRefreshInterval: 5000,
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    redisOptions: {
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs,
      connectTimeout: 1000,
    },
  });
  // Errors surface on each command; without a listener ioredis would also print them all.
  cluster.on("error", () => {});
  cluster.on("node error", () => {});
  return cluster;
}
