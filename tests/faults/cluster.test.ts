import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlClient } from "@/db";
import { toActor } from "@/lib/auth/users";
import { freePort } from "@/lib/dev/services";
import { startApp, TEST_SECRETS, type App } from "@/tests/helpers/app";
import { createTestEvent, createUsers, seats } from "@/tests/helpers/fixtures";
import { call } from "@/tests/helpers/http";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { card } from "@/tests/helpers/payments";
import { appName, pgConnections } from "@/tests/helpers/process-figures";
import { hold } from "@/tests/helpers/purchase";
import { bearerTokens } from "@/tests/helpers/race";
import { eventually } from "@/tests/helpers/wait";

// `npm start` (server/start.mjs): every core behind one port. Two workers share the port and
// both serve; a crashed worker is replaced; SIGTERM drains every worker (a payment in flight is
// answered, pools closed) and the launcher exits 0; a worker that cannot start stops it.

Object.assign(process.env, TEST_SECRETS);

const workersOf = (pid: number) =>
  fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);

let app: App;
const name = appName("cluster");

beforeAll(async () => {
  app = await startApp({ workers: 2, env: { PGAPPNAME: name, MOCK_PAYMENT_LATENCY_MS: "2000", RATE_LIMIT_CONFIRM: "1000/60" } });
  await eventually("both workers listening", async () => (await call(`${app.url}/api/v1/health`)).status === 200 && workersOf(app.child.pid!).length === 2);
}, 180_000);

afterAll(async () => {
  await app?.stop("SIGKILL");
});

describe("the production launcher", () => {
  it("two workers behind one port both serve, and a worker that dies is replaced", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => call(`${app.url}/api/v1/health`)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const [first] = workersOf(app.child.pid!);
    process.kill(first, "SIGKILL");
    await eventually("a new worker", async () => {
      const now = workersOf(app.child.pid!);
      return now.length === 2 && !now.includes(first);
    });
    await eventually("the new worker ready", async () => (app.output().match(/Ready in/g)?.length ?? 0) === 3, 60_000);
    await eventually("serving again", async () => (await call(`${app.url}/api/v1/health`)).status === 200);
  });

  it("SIGTERM: the payment in flight is answered, every worker closes its pool, the launcher exits 0", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1500)] });
    const [user] = await createUsers(1);
    const [token] = await bearerTokens([user]);
    const r = await hold(toActor(user), event.id, { seatIds: [places[0].id] });
    const paying = call(`${app.url}/api/v1/bookings/confirm`, {
      token,
      json: { reservationId: r.id, payment: { method: "mock", card: card("success") } },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    await eventually("checkout started", async () => {
      const rows = await sqlClient()`SELECT count(*)::int AS n FROM checkouts WHERE event_id = ${event.id}`;
      return rows[0].n === 1;
    });
    expect(await pgConnections(sqlClient(), name)).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    app.child.kill("SIGTERM");
    // Every worker stops accepting (a refused connection reads as status 0); how soon depends on
    // the machine's load, so wait for it rather than guess a delay.
    await eventually("no new connections after SIGTERM", async () => (await call(`${app.url}/api/v1/health`, { timeoutMs: 1000 })).status === 0, 10_000);
    const paid = await paying;
    expect(paid.status, paid.text).toBe(201);
    expect(await exited).toBe(0);
    expect(app.output().match(/"shutdown.closed"/g)?.length, app.output().slice(-3000)).toBe(2);
    await eventually("pools closed", async () => (await pgConnections(sqlClient(), name)) === 0, 5000);
    await expectIntegrity(event.id);
  });

  it("a worker that cannot start (bad environment) stops the launcher with its exit code", async () => {
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "../../server/start.mjs"), "-p", String(await freePort()), "-H", "127.0.0.1"], {
      env: { ...process.env, NODE_ENV: "production", WEB_CONCURRENCY: "2", AUTH_SECRET: "too-short" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, output).toBe(1);
    expect(output).toContain("AUTH_SECRET");
  }, 120_000);
});
