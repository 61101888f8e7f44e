import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, describe, expect, it } from "vitest";
import { limitedKey } from "@/lib/rate-limit";
import { createClusterClient } from "@/lib/redis/cluster";
import { TcpRequester } from "@/lib/redis/tcp-requester";
import { sleep } from "@/tests/helpers/wait";

// The TCP requester lets @upstash/redis (and @upstash/ratelimit) run against a real
// redis-server. These tests talk to the Redis of the test run: one redis-server, or a Redis
// Cluster when REDIS_CLUSTER_NODES is set (npm test runs this file both ways).

const cluster = process.env.REDIS_CLUSTER_NODES;
const requester = cluster
  ? new TcpRequester(createClusterClient(cluster, { commandTimeoutMs: 1000 }), { commandTimeoutMs: 1000 })
  : new TcpRequester(process.env.REDIS_URL!, { commandTimeoutMs: 1000 });
const redis = new Redis(requester);
// One hash tag per test file: a script's keys, a pipeline and a transaction must share a slot on a cluster.
const tag = crypto.randomUUID();
const k = (name: string) => `adapter-test:{${tag}}:${crypto.randomUUID()}:${name}`;

afterAll(() => requester.quit());

describe("Upstash Redis over TCP", () => {
  it("round-trips strings, numbers, JSON and nil", async () => {
    const key = k("s");
    expect(await redis.set(key, "hello")).toBe("OK");
    expect(await redis.get(key)).toBe("hello");
    await redis.set(key, { a: 1, b: ["x"] });
    expect(await redis.get(key)).toEqual({ a: 1, b: ["x"] });
    expect(await redis.get(k("missing"))).toBeNull();
    expect(await redis.incr(k("n"))).toBe(1);
  });

  it("supports SET NX with PX expiry", async () => {
    const key = k("nx");
    expect(await redis.set(key, "first", { nx: true, px: 200 })).toBe("OK");
    expect(await redis.set(key, "second", { nx: true, px: 200 })).toBeNull();
    expect(await redis.get(key)).toBe("first");
    await sleep(300);
    expect(await redis.get(key)).toBeNull();
  });

  it("runs EVAL and EVALSHA, reloading a script the server does not know", async () => {
    const script = "return redis.call('SET', KEYS[1], ARGV[1], 'NX') and 1 or 0";
    const key = k("lua");
    expect(await redis.eval(script, [key], ["v"])).toBe(1);
    expect(await redis.eval(script, [key], ["v"])).toBe(0);
    const s = redis.createScript<number>("return #KEYS + tonumber(ARGV[1])");
    await redis.scriptFlush();
    expect(await s.exec([k("a"), k("b")], ["40"])).toBe(42); // NOSCRIPT → falls back to EVAL
    expect(await s.exec([k("a")], ["1"])).toBe(2);
  });

  it("runs pipelines and MULTI/EXEC transactions", async () => {
    const key = k("p");
    const results = await redis.pipeline().set(key, 1).incr(key).get(key).exec();
    expect(results).toEqual(["OK", 2, 2]);
    const tx = await redis.multi().incr(key).incr(key).exec();
    expect(tx).toEqual([3, 4]);
  });

  it("reports command errors as errors, keeping the connection usable", async () => {
    const key = k("wrongtype");
    await redis.set(key, "text");
    await expect(redis.lpush(key, "x")).rejects.toThrow(/WRONGTYPE/);
    await expect(redis.eval("return redis.call('NOPE')", [], [])).rejects.toThrow();
    const results = await redis.pipeline().set(key, "ok").lpush(key, "x").exec({ keepErrors: true });
    expect(results[0].error).toBeUndefined();
    expect(results[1].error).toMatch(/WRONGTYPE/);
    expect(await redis.get(key)).toBe("ok");
  });

  it("drives @upstash/ratelimit", async () => {
    // The prefix carries no hash tag: the limited id does (lib/rate-limit.ts), as in production.
    const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, "10 s"), prefix: `adapter-rl:${crypto.randomUUID()}`, analytics: false });
    const id = limitedKey("client-1");
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await limiter.limit(id)).success);
    expect(outcomes).toEqual([true, true, true, false, false]);
  });

  it("fails fast when the server is unreachable", async () => {
    const dead = new TcpRequester("redis://127.0.0.1:1", { commandTimeoutMs: 100 });
    const r = new Redis(dead);
    const started = Date.now();
    await expect(r.get("x")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
    await dead.quit();
  });
});
