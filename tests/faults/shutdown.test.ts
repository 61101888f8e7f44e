import IORedis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlClient } from "@/db";
import { toActor } from "@/lib/auth/users";
import { startApp, type App, shareAppSecrets } from "@/tests/helpers/app";
import { createTestEvent, createUsers, seats } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { startPrivateRedis, type PrivateRedis } from "@/tests/helpers/private-redis";
import { appName, pgConnections } from "@/tests/helpers/process-figures";
import { hold } from "@/tests/helpers/purchase";
import { bearerTokens } from "@/tests/helpers/race";
import type { Health } from "@/tests/helpers/responses";
import { eventually, sleep } from "@/tests/helpers/wait";

// Graceful shutdown (lib/shutdown.ts via instrumentation.ts) and the health endpoint's view of
// its dependencies. A real `next start` gets SIGTERM while two slow payments are in flight: it
// must refuse new connections at once, answer both payments, then close its Postgres pool and
// its Redis connection before it exits 0 — counted from the servers' side (pg_stat_activity,
// CLIENT LIST), not taken from the app's word.

shareAppSecrets();

const PAYMENT_TIMEOUT_MS = 5000;
const LATENCY_MS = 2500; // every mock charge takes this long; the slow card takes 3 × the timeout

let redis: PrivateRedis;

async function redisClients(url: string): Promise<number> {
  const c = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await c.connect();
    const list = (await c.client("LIST")) as string;
    return list.split("\n").filter((l) => l.trim() && !l.includes("cmd=client")).length;
  } finally {
    c.disconnect();
  }
}

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis?.close();
});

describe("SIGTERM", () => {
  it("stops taking connections, answers the payments in flight, closes the pool and Redis, exits 0", async () => {
    const name = appName("shutdown");
    const app: App = await startApp({
      env: {
        REDIS_URL: redis.url,
        PGAPPNAME: name,
        PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
        MOCK_PAYMENT_LATENCY_MS: String(LATENCY_MS),
        RATE_LIMIT_CONFIRM: "1000/60",
      },
    });
    try {
      const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1500)] });
      const users = await createUsers(2);
      const [t1, t2] = await bearerTokens(users);
      const r1 = await hold(toActor(users[0]), event.id, { seatIds: [places[0].id] });
      const r2 = await hold(toActor(users[1]), event.id, { seatIds: [places[1].id] });

      // Warm up: the pool and the Redis client are open.
      expect((await call(`${app.url}/api/v1/health`)).body).toMatchObject({ status: "ok" });
      expect((await call(`${app.url}/api/v1/events/${event.id}/inventory`)).status).toBe(200);
      const poolBefore = await pgConnections(sqlClient(), name);
      const redisBefore = await redisClients(redis.url);
      expect(poolBefore).toBeGreaterThan(0);
      expect(redisBefore).toBeGreaterThan(0);

      const confirm = (token: string, reservationId: string, kind: "success" | "slow") =>
        call(`${app.url}/api/v1/bookings/confirm`, {
          token,
          json: { reservationId, payment: { method: "mock", card: card(kind) } },
          headers: { "idempotency-key": crypto.randomUUID() },
        });
      const slowSuccess = confirm(t1, r1.id, "success"); // answers after ~2.5 s: 201
      const slowTimeout = confirm(t2, r2.id, "slow"); // the provider never answers in time: 504 after 5 s
      // Both have reached the provider (their checkouts are recorded) before the signal.
      await eventually("both checkouts started", async () => {
        const rows = await sqlClient()`SELECT count(*)::int AS n FROM checkouts WHERE event_id = ${event.id}`;
        return rows[0].n === 2;
      });

      const signalledAt = performance.now();
      app.child.kill("SIGTERM");
      const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
      await sleep(300);
      const refused = await call(`${app.url}/api/v1/health`, { timeoutMs: 3000 });
      expect(refused.status, "a new connection after SIGTERM must be refused").toBe(0);
      expect(refused.error).toMatch(/ECONNREFUSED|fetch failed/);

      const [ok, timedOut] = await Promise.all([slowSuccess, slowTimeout]);
      expect(ok.status, ok.text).toBe(201);
      expect(ok.body).toMatchObject({ status: "CONFIRMED", amountMinor: 1500 });
      expect(timedOut.status, timedOut.text).toBe(504);
      expect(timedOut.body).toMatchObject({ code: "payment_timeout" });

      const code = await exited;
      const shutdownMs = performance.now() - signalledAt;
      expect(code).toBe(0);
      const closed = app
        .output()
        .split("\n")
        .find((l) => l.includes('"shutdown.closed"'));
      expect(closed, app.output().slice(-2000)).toBeTruthy();
      expect(JSON.parse(closed!)).toMatchObject({ database: "closed", redis: "closed" });
      const poolAfter = await eventually("pool closed", async () => ((await pgConnections(sqlClient(), name)) === 0 ? "0" : null), 5000);
      const redisAfter = await redisClients(redis.url);
      console.log(`SHUTDOWN ${JSON.stringify({ poolBefore, poolAfter: Number(poolAfter), redisBefore, redisAfter, shutdownMs: Math.round(shutdownMs) })}`);
      expect(redisAfter).toBe(0);

      // The slow-card checkout is left for the sweep (another process): nothing charged, nothing lost.
      expect(await ledger(event.id)).toMatchObject({ charges: 1 });
      await expectLedgerBalanced(event.id);
      await expectIntegrity(event.id);
    } finally {
      await app.stop("SIGKILL");
    }
  });
});

describe("health reports its dependencies", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("Redis down → 200 degraded; back → ok", async () => {
    expect((await call(`${app.url}/api/v1/health`)).body).toMatchObject({ status: "ok", redis: { status: "up" } });
    await redis.stop();
    try {
      const down = await call(`${app.url}/api/v1/health`);
      expect(down.status).toBe(200);
      expect(down.body).toMatchObject({ status: "degraded", database: { status: "up" }, redis: { status: "down" } });
      expect(down.ms).toBeLessThan(3000);
    } finally {
      await redis.start();
    }
    await eventually("redis up again", async () => (await call<Health>(`${app.url}/api/v1/health`)).body?.status === "ok", 15_000, 250);
  });
});
