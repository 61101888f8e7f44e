import os from "node:os";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { env } from "@/lib/env";
import { eventStatus } from "@/tests/helpers/db-state";
import { createTestEvent, createUsers, ga } from "@/tests/helpers/fixtures";
import { expectIntegrity, expectLedgerBalanced, ledger } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

// Confirm throughput: 1,000 customers each hold one place of a 1,000-place event, then all
// confirm at the same instant through the full saga (idempotency key, fenced start, mock
// charge, booking transaction, stored response) in this one process with its pool.

const N = 1000;

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe("confirm throughput", () => {
  it(`${N} held reservations confirmed at once: all booked, event SOLD_OUT, ledger balanced`, async () => {
    const { event, places } = await createTestEvent({ sections: [ga(N, 1000)], maxPerOrder: 1 });
    const users = (await createUsers(N)).map(toActor);
    const reservations: string[] = [];
    for (let i = 0; i < N; i += 50) {
      const batch = await Promise.all(users.slice(i, i + 50).map((u) => hold(u, event.id, { sectionId: places[0].sectionId, quantity: 1 })));
      reservations.push(...batch.map((r) => r.id));
    }

    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const results = await Promise.all(
      users.map(async (u, i) => {
        const t = performance.now();
        const r = await confirmCheckout(u, { reservationId: reservations[i], payment: pay() }, newKey());
        latencies.push(performance.now() - t);
        return r;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([]);

    latencies.sort((a, b) => a - b);
    const report = {
      reservations: N,
      bookings: results.length,
      seconds: Number(seconds.toFixed(2)),
      bookingsPerSecond: Math.round(N / seconds),
      p50ms: Math.round(pct(latencies, 50)),
      p99ms: Math.round(pct(latencies, 99)),
      maxMs: Math.round(latencies[latencies.length - 1]),
      appCpuMsPerBooking: Number(((cpu.user + cpu.system) / 1000 / N).toFixed(2)), // this process only, not Postgres
      loadAverage: os.loadavg()[0].toFixed(1), // the machine is shared: read the numbers against this
      dbPool: env().DATABASE_POOL_MAX,
      mockLatencyMs: env().MOCK_PAYMENT_LATENCY_MS,
    };
    console.log(`CONFIRM_THROUGHPUT ${JSON.stringify(report)}`);

    const [row] = await db().execute<{ bookings: number; tickets: number; sold: number }>(sql`
      SELECT (SELECT count(*)::int FROM bookings WHERE event_id = ${event.id}) AS bookings,
             (SELECT count(*)::int FROM tickets WHERE event_id = ${event.id}) AS tickets,
             (SELECT count(*)::int FROM inventory WHERE event_id = ${event.id} AND status = 'SOLD') AS sold`);
    expect(row).toEqual({ bookings: N, tickets: N, sold: N });
    expect(await eventStatus(event.id)).toBe("SOLD_OUT");
    expect(await ledger(event.id)).toMatchObject({ charges: N, refunds: 0 });
    await expectLedgerBalanced(event.id);
    await expectIntegrity(event.id);
  }, 300_000);
});
