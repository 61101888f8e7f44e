import crypto from "node:crypto";
import type { OrProblem, Reservation, SeatLayout } from "@/tests/helpers/responses";
import { call, runWorkers } from "./client";
import { CpuMeter, machineLoad, perOperation } from "./cpu";
import { checkInvariants, createBenchEvent, createCustomers, seatBlock } from "./data";
import type { ScenarioResult } from "./scenarios";
import type { Stack } from "./stack";

// S9, CPU per operation: what one hold and one checkout cost in CPU time, app + PostgreSQL +
// Redis (bench/cpu.ts), measured four ways on the usual path (a new reservation of two adjacent
// seats; a successful payment with the mock provider, no provider latency):
//   in process — the product's hold and checkout use cases (placeHold, confirmCheckout) called
//                from this process (no HTTP, no Next.js), so "app" is this process's CPU;
//   over HTTP  — the same through the REST API of the app processes (their CPU, not the load
//                generator's, which is reported beside it).
// CPU time is far steadier than wall-clock figures on a shared machine: other tenants slow a run
// down, but they do not add CPU time to our processes.

export type CpuSize = { operations: number; concurrency: number };
export const CPU_FULL: CpuSize = { operations: 2_000, concurrency: 16 };
export const CPU_QUICK: CpuSize = { operations: 300, concurrency: 8 };

const CARD = { number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" };

/** Runs fn(0 … n-1), `concurrency` at a time; how many returned true. */
async function inParallel(n: number, concurrency: number, fn: (i: number) => Promise<boolean>): Promise<number> {
  let next = 0;
  let ok = 0;
  await runWorkers(concurrency, 30 * 60_000, async () => {
    const i = next++;
    if (i >= n) return false;
    if (await fn(i)) ok++;
    return true;
  });
  return ok;
}

type Measured = ReturnType<typeof perOperation> & { failed: number };
export type CpuFigures = { holdInProcess: Measured; checkoutInProcess: Measured; holdHttp: Measured; checkoutHttp: Measured; summary: string };

export async function cpuPerOperation(stack: Stack, size: CpuSize, meter: CpuMeter): Promise<ScenarioResult> {
  const { placeHold } = await import("@/lib/holds/place-hold");
  const { confirmCheckout } = await import("@/lib/checkout");
  const { toActor } = await import("@/lib/auth/users");
  const { db } = await import("@/db");
  const app = stack.apps[0].url;
  const n = size.operations;
  // Each way is warmed up first (JIT, lazily loaded route code, pool connections, prepared
  // statements), on its own seats and customers, and not measured.
  const warm = Math.max(50, Math.round(n / 5));
  const per = n + warm;
  const ev = await createBenchEvent("S9 CPU per operation", seatBlock(Math.ceil((per * 4) / 100) * 100));
  const ids = (await call<SeatLayout>("GET", `${app}/api/v1/events/${ev.eventId}/seats`)).body.ids;
  const customers = await createCustomers(2 * per);
  const users = await db().query.users.findMany({
    where: (u, { inArray }) =>
      inArray(
        u.id,
        customers.slice(0, per).map((c) => c.id),
      ),
  });
  const actors = new Map(users.map((u) => [u.id, toActor(u)]));
  const versions = new Map(users.map((u) => [u.id, u.sessionVersion]));
  const pair = (p: number) => [ids[2 * p], ids[2 * p + 1]];

  /** Runs `op` for indexes [from, from + count) `size.concurrency` at a time; CPU per success. */
  // BENCH_PG_STATS=1: each phase's own statements (bench/stack.ts), listed after it.
  async function phase(name: string, from: number, inProcess: boolean, op: (i: number) => Promise<boolean>) {
    await inParallel(warm, size.concurrency, (k) => op(from + k));
    await stack.statementReport("reset");
    const before = meter.sample();
    const ok = await inParallel(n, size.concurrency, (k) => op(from + warm + k));
    const cpu = { ...perOperation(before, meter.sample(), ok, { inProcess }), failed: n - ok };
    const statements = await stack.statementReport(`S9 ${name} (${ok} operations)`);
    if (statements) console.log(statements);
    return cpu;
  }

  // In process (customers and seat pairs 0 … per-1): holds, then checkouts of those holds.
  const reservations: string[] = [];
  // The usual path of the REST API and the website alike (lib/holds/place-hold.ts: one Redis
  // script, one statement), with the claims a token or cookie would carry.
  const holdInProcess = await phase("hold in process", 0, true, async (i) => {
    const caller = { userId: customers[i].id, sessionVersion: versions.get(customers[i].id)!, source: "bearer" as const };
    const r = await placeHold(caller, ev.eventId, { seatIds: pair(i) }, null);
    if (r.ok) reservations[i] = r.reservation.id;
    return r.ok;
  });
  const checkoutInProcess = await phase("checkout in process", 0, true, async (i) => {
    if (!reservations[i]) return false;
    const input = { reservationId: reservations[i], payment: { method: "mock" as const, card: CARD } };
    return (await confirmCheckout(actors.get(customers[i].id)!, input, crypto.randomUUID())).ok;
  });

  // Over HTTP (customers and seat pairs per … 2·per-1): the same through the REST API.
  const httpReservations: string[] = [];
  const holdHttp = await phase("hold over HTTP", per, false, async (i) => {
    const r = await call<OrProblem<Reservation>>("POST", `${app}/api/v1/events/${ev.eventId}/reservations`, {
      token: customers[i].token,
      body: { seatIds: pair(i) },
    });
    if (r.status === 201 && r.body.id) httpReservations[i] = r.body.id;
    return r.status === 201;
  });
  const checkoutHttp = await phase("checkout over HTTP", per, false, async (i) => {
    if (!httpReservations[i]) return false;
    const r = await call("POST", `${app}/api/v1/bookings/confirm`, {
      token: customers[i].token,
      headers: { "idempotency-key": crypto.randomUUID() },
      body: { reservationId: httpReservations[i], payment: { method: "mock", card: CARD } },
    });
    return r.status === 201;
  });

  const invariants = await checkInvariants(ev.eventId);
  const failed = holdInProcess.failed + checkoutInProcess.failed + holdHttp.failed + checkoutHttp.failed;
  return {
    id: "S9",
    title: `CPU per operation: ${n.toLocaleString("en")} holds and checkouts in process and over HTTP, ${size.concurrency} at a time`,
    figures: {
      holdInProcess,
      checkoutInProcess,
      holdHttp,
      checkoutHttp,
      appProcesses: stack.apps[0].workers,
      machine: machineLoad(),
      summary: `hold ${holdInProcess.totalMs} ms in process, ${holdHttp.totalMs} ms over HTTP; checkout ${checkoutInProcess.totalMs} ms in process, ${checkoutHttp.totalMs} ms over HTTP (CPU, app + PostgreSQL + Redis)`,
      failed,
    },
    invariants,
    ok: invariants.ok,
  };
}
