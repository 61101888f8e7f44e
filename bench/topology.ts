import { startReplica } from "@/tests/helpers/pg-replica";
import { startNginx } from "@/tests/helpers/load-balancer";
import { startRedisCluster } from "@/tests/helpers/redis-cluster";
import { round } from "./client";
import { checkInvariants, createBenchEvent, createCustomers, seatBlock } from "./data";
import { assignedSale } from "./sale";
import { load, type ScenarioResult, type Size } from "./scenarios";
import type { App, Stack } from "./stack";

// C1: the S2 flash sale on the cluster shape of docs/deployment.md — nginx in front of three
// app instances (one `next start` process each), a Redis Cluster of 3 masters + 3 replicas
// instead of the single redis-server, and the bench's PostgreSQL as primary with a streaming
// replica serving the browsing reads (inventory snapshots and layouts). The same customers'
// behaviour as S2, through the balancer; then inventory reads through the balancer (S4's load
// shape). Reported beside S2 and S4 of the same run (one process, one Redis, no replica).
// On one machine this measures what the topology costs, not what it gains: every piece shares
// the same cores. Its point is that the whole shape sells correctly and how fast it goes.

export async function c1Topology(stack: Stack, size: Size, single: { s2?: ScenarioResult; s4?: ScenarioResult }): Promise<ScenarioResult> {
  const replica = await startReplica({ primaryUrl: stack.pg.url, primaryDataDir: stack.pgDataDir, root: stack.workDir });
  const cluster = await startRedisCluster();
  const apps: App[] = [];
  try {
    const env = { REDIS_CLUSTER_NODES: cluster.nodes, DATABASE_REPLICA_URLS: replica.url };
    // Each instance is what `npm start` runs (server/start.mjs, one worker): its 65 s keep-alive outlasts
    // nginx's idle upstream connections, where bare `next start` (Node's 5 s) resets some of them mid-
    // reuse and nginx answers 502 to a POST it may not retry.
    for (let i = 0; i < 3; i++) apps.push(await stack.startApp(env, 1));
    const lb = await startNginx(apps.map((a) => a.url));
    try {
      const ev = await createBenchEvent("C1 topology flash sale", seatBlock(size.seats));
      const customers = await createCustomers(size.customers);
      await replica.caughtUp();
      const sale = await assignedSale({ apps: [lb.url], eventId: ev.eventId, sectionId: ev.sectionId, customers, timeLimitMs: size.saleTimeLimitMs });
      const invariants = await checkInvariants(ev.eventId);
      const reads = await load(`${lb.url}/api/v1/events/${ev.eventId}/inventory`, size.loadSeconds);
      const health = (await (await fetch(`${apps[0].url}/api/v1/health`)).json()) as { replicas?: { status: string; lagMs: number | null }[] };
      // The balancer's own account of what went wrong (a 502 is nginx's word, not the app's).
      const balancerErrors = lb
        .log()
        .split("\n")
        .filter((l) => /\[(error|crit|alert|emerg)\]/.test(l));
      if (balancerErrors.length) console.log(`[bench] C1 nginx error log (${balancerErrors.length} lines):\n${balancerErrors.slice(0, 20).join("\n")}`);
      const s2 = single.s2?.figures;
      const s4 = single.s4?.figures;
      return {
        id: "C1",
        title: `Cluster shape: S2 through nginx → 3 instances, Redis Cluster 3+3, primary + streaming replica`,
        figures: {
          ...sale,
          soldSeats: invariants.counts.sold,
          capacity: ev.capacity,
          inventoryReadsPerSecond: reads.requestsPerSecond,
          inventoryReads: { p50: reads.p50, p99: reads.p99, non2xx: reads.non2xx, errors: reads.errors },
          replicaAfter: health.replicas?.[0] ?? null,
          balancerErrorLines: balancerErrors.length,
          // Beside the single-process figures of this same run.
          holdsVsS2: s2?.holdRequestsPerSecond ? round(sale.holdRequestsPerSecond / s2.holdRequestsPerSecond, 2) : null,
          readsVsS4: s4?.requestsPerSecond ? round(reads.requestsPerSecond / s4.requestsPerSecond, 2) : null,
        },
        invariants,
        ok:
          invariants.ok &&
          invariants.counts.sold <= ev.capacity &&
          invariants.charges - invariants.refunds === invariants.bookings &&
          sale.soldOut &&
          reads.non2xx === 0,
      };
    } finally {
      await lb.stop();
    }
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    stack.apps = stack.apps.filter((a) => !apps.includes(a));
    await cluster.stop();
    await replica.close();
  }
}
