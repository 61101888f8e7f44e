import crypto from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { preLockSeats, releasePreLocks, seatKey } from "@/lib/holds/prelock";
import { assertRateLimit, limitedKey } from "@/lib/rate-limit";
import { bounded, closeRedis, getRedis, redisTransport, UNAVAILABLE, withRedis } from "@/lib/redis";
import { createClusterClient } from "@/lib/redis/cluster";
import { TcpRequester } from "@/lib/redis/tcp-requester";
import { startRedisCluster, type RedisCluster } from "@/tests/helpers/redis-cluster";
import { sleep } from "@/tests/helpers/wait";

// The Redis layer on a real Redis Cluster (3 masters + 3 replicas, private to this file, since
// slots are moved and a master is killed here): keys of different events spread over every
// master while each script's keys stay in one slot; MOVED and ASK are followed while a slot is
// resharded under a client holding the old slot map; a failover is ridden out by the same
// client; a CROSSSLOT refusal is a bug, not an outage; a single-node URL pointed at a cluster
// node is reported as a configuration error.

let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  // This process's lib/redis talks to the private cluster (read once, on first use).
  process.env.REDIS_CLUSTER_NODES = cluster.nodes;
});

afterAll(async () => {
  await closeRedis();
  await cluster?.stop();
});

const LONG = 5_000; // deadlines for calls that must ride out a redirect or a failover

/** A new event id whose keys live on the master at `port`. */
async function eventOn(port: number) {
  for (;;) {
    const id = crypto.randomUUID();
    if ((await cluster.masterFor(seatKey(id, 1))) === port) return id;
  }
}

async function direct<T>(port: number, fn: (c: IORedis) => Promise<T>) {
  const c = new IORedis({ port, host: "127.0.0.1", maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    return await fn(c);
  } finally {
    c.disconnect();
  }
}

describe("Redis Cluster", () => {
  it("is chosen over REDIS_URL, spreads events over every master, keeps each script in one slot", async () => {
    expect(process.env.REDIS_URL).toBeTruthy(); // both are set: the cluster wins
    expect(redisTransport()).toBe("cluster");
    const masters = (await cluster.topology()).filter((n) => n.role === "master").map((n) => n.port);
    expect(masters).toHaveLength(3);
    for (const port of masters) {
      const eventId = await eventOn(port);
      const reservation = crypto.randomUUID();
      const lock = await preLockSeats(eventId, reservation, [1, 2, 3, 4], 10_000);
      expect(lock).toEqual({ ok: true, setIds: [1, 2, 3, 4] });
      expect(await preLockSeats(eventId, crypto.randomUUID(), [4, 5], 10_000)).toEqual({ ok: false, takenIds: [4] });
      // The keys really are on that master (a plain connection, no redirects followed).
      expect(await direct(port, (c) => c.get(seatKey(eventId, 2)))).toBe(reservation);
      await releasePreLocks(eventId, reservation, [1, 2, 3, 4]);
      expect(await direct(port, (c) => c.exists(seatKey(eventId, 2)))).toBe(0);
    }
    // The sliding window's two keys share the limited id's hash tag.
    const id = `user-${crypto.randomUUID()}`;
    for (let i = 0; i < 3; i++) await assertRateLimit("queueJoin", id);
    const keys = await Promise.all(masters.map((p) => direct(p, (c) => c.keys(`rl:queueJoin:{${id}}:*`))));
    expect(keys.flat().length).toBeGreaterThanOrEqual(1);
  });

  it("refuses a script whose keys span slots (CROSSSLOT) as a bug, not as an outage", async () => {
    const limiter = new Ratelimit({ redis: getRedis()!, limiter: Ratelimit.slidingWindow(5, "60 s"), prefix: "rl:control", analytics: false });
    // Without the hash tag the current and previous windows hash to different slots (almost always).
    let id = "";
    for (let i = 0; ; i++) {
      id = `untagged-${i}`;
      const w = Math.floor(Date.now() / 60_000);
      if ((await cluster.slot.of(`rl:control:${id}:${w}`)) !== (await cluster.slot.of(`rl:control:${id}:${w - 1}`))) break;
    }
    await expect(withRedis("control", () => limiter.limit(id), LONG)).rejects.toThrow(/CROSSSLOT/);
    // With it, the same limiter counts.
    const tagged = await withRedis("control", () => limiter.limit(limitedKey(id)), LONG);
    expect(tagged).not.toBe(UNAVAILABLE);
    expect(tagged).toMatchObject({ success: true, remaining: 4 });
  });

  it("follows ASK and MOVED while a slot is resharded under a client with the old slot map", async () => {
    const [from, to] = (await cluster.topology()).filter((n) => n.role === "master").map((n) => n.port);
    const eventId = await eventOn(from);
    const slot = await cluster.slot.of(seatKey(eventId, 1));
    const client = createClusterClient(cluster.nodes, { commandTimeoutMs: 2000 });
    const redis = new Redis(new TcpRequester(client, { commandTimeoutMs: 2000 }));
    try {
      expect(await redis.set(seatKey(eventId, 1), "a")).toBe("OK");
      expect(await redis.set(seatKey(eventId, 2), "b")).toBe("OK");
      const owner = () => client.slots[slot]?.[0];
      expect(owner()).toBe(`127.0.0.1:${from}`);

      // Half-way: key 1 already moved, key 2 not yet. The source answers ASK for key 1.
      await cluster.slot.beginMigration(slot, from, to);
      await cluster.slot.migrateKeys(slot, from, to, [seatKey(eventId, 1)]);
      expect(await redis.get(seatKey(eventId, 1))).toBe("a"); // via ASK to the target
      expect(await redis.get(seatKey(eventId, 2))).toBe("b"); // still at the source
      expect(owner()).toBe(`127.0.0.1:${from}`); // ASK is one-off: the map is unchanged

      // A pre-lock over both keys meets TRYAGAIN (its keys are split) and is retried until the
      // migration is done, then succeeds on the new owner.
      const retried = bounded(
        redis,
        "test.prelock",
        () => redis.eval("return redis.call('MGET', KEYS[1], KEYS[2])", [seatKey(eventId, 1), seatKey(eventId, 2)], []),
        LONG,
        "",
      );
      await sleep(300);
      await cluster.slot.migrateKeys(slot, from, to);
      await cluster.slot.finishMigration(slot, to);
      expect(await retried).toEqual(["a", "b"]);

      // Done: the source answers MOVED, the client follows and updates its map.
      expect(await direct(from, (c) => c.get(seatKey(eventId, 2)).catch((e: Error) => e.message))).toMatch(/^MOVED/);
      expect(await redis.set(seatKey(eventId, 3), "c")).toBe("OK");
      expect(owner()).toBe(`127.0.0.1:${to}`);
      expect(await direct(to, (c) => c.mget(seatKey(eventId, 1), seatKey(eventId, 2), seatKey(eventId, 3)))).toEqual(["a", "b", "c"]);
    } finally {
      await client.quit().catch(() => client.disconnect());
    }
  });

  it("reports REDIS_URL pointed at a cluster node as a configuration error and carries on without Redis", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const [anyNode] = cluster.ports;
    const requester = new TcpRequester(`redis://127.0.0.1:${anyNode}`, { commandTimeoutMs: 1000 });
    const single = new Redis(requester);
    try {
      // Some key of a slot this node does not serve.
      let key = "";
      for (let i = 0; ; i++) {
        key = `probe:${i}`;
        if ((await cluster.masterFor(key)) !== anyNode) break;
      }
      expect(await bounded(single, "probe", (r) => r.get(key), LONG, "")).toBe(UNAVAILABLE);
      expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/"event":"redis.misconfigured".*REDIS_CLUSTER_NODES/);
    } finally {
      errors.mockRestore();
      await requester.quit();
    }
  });

  it("rides out a master's death: unavailable for a moment, then the promoted replica answers, with the data it replicated", async () => {
    const eventId = crypto.randomUUID();
    const key = seatKey(eventId, 7);
    const master = await cluster.masterFor(key);
    const reservation = crypto.randomUUID();
    expect(await preLockSeats(eventId, reservation, [7], 60_000)).toEqual({ ok: true, setIds: [7] });
    expect(await direct(master, (c) => c.call("WAIT", 1, 2000))).toBe(1); // replicated before the crash

    await cluster.kill(master);
    const started = Date.now();
    const outcomes: string[] = [];
    let answered: unknown = UNAVAILABLE;
    while (answered === UNAVAILABLE && Date.now() - started < 30_000) {
      answered = await withRedis("test.failover", (r) => r.get<string>(key), 1000);
      outcomes.push(answered === UNAVAILABLE ? "unavailable" : "answered");
      if (answered === UNAVAILABLE) await sleep(100);
    }
    console.log(`REDIS_CLUSTER_FAILOVER ${JSON.stringify({ secondsWithoutAnswer: (Date.now() - started) / 1000, attempts: outcomes.length })}`);
    expect(answered).toBe(reservation); // the promoted replica has the pre-lock
    expect(await cluster.masterFor(key)).not.toBe(master);
    // The same client keeps working on every slot, and the pre-lock still refuses a stranger.
    expect(await preLockSeats(eventId, crypto.randomUUID(), [7], 10_000)).toEqual({ ok: false, takenIds: [7] });

    await cluster.restart(master); // comes back as a replica of its successor
    await cluster.waitHealthy();
    expect((await cluster.topology()).find((n) => n.port === master)?.role).toBe("replica");
  });
});
