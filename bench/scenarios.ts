import autocannon from "autocannon";
import { call, Latencies, round, runWorkers } from "./client";
import { checkInvariants, createBenchEvent, createCustomers, gaSection, seatBlock, type InvariantReport } from "./data";
import { assignedSale, gaSale, type SaleResult } from "./sale";
import type { Stack } from "./stack";
import type { SeatLayout } from "@/tests/helpers/responses";

// The on-sale scenarios of the benchmark issue. Each returns its figures and, where it sells,
// the invariant report read from the database afterwards.

export type Size = {
  loadSeconds: number;
  hotSeatRequests: number;
  seats: number;
  gaCapacity: number;
  customers: number;
  saleTimeLimitMs: number;
};

// The sale time limits are a safety net, not a budget: a slow machine takes longer and is
// reported as such (bench/run.ts fails a run on invariants only).
export const FULL: Size = { loadSeconds: 10, hotSeatRequests: 1000, seats: 20_000, gaCapacity: 10_000, customers: 500, saleTimeLimitMs: 1_800_000 };
export const QUICK: Size = { loadSeconds: 3, hotSeatRequests: 200, seats: 2_000, gaCapacity: 1_000, customers: 100, saleTimeLimitMs: 900_000 };

type Summary = ReturnType<Latencies["summary"]>;

/**
 * The figures the report and the targets read by name; each scenario reports the ones it
 * measures (and may add others, which the JSON report keeps).
 */
type KnownFigures = {
  requestsPerSecond?: number;
  holdRequestsPerSecond?: number;
  p50?: number;
  p99?: number;
  customers?: number;
  capacity?: number;
  seconds?: number;
  soldOut?: boolean;
  winners?: number;
  hold?: Summary;
  confirm?: Summary;
  confirmsPerSecond?: number;
  allHeldSeconds?: number | null;
  conflictRate?: number;
  bytesPerResponse?: number;
  ratio?: number;
  errors?: number | Record<string, number>;
  admittedPerMinute?: number;
  admitPerMinuteConfigured?: number;
  holdUnloaded?: Summary;
  holdP99S2WithoutRoom?: number;
  statusCeiling?: { requestsPerSecond: number };
};
export type Figures = KnownFigures & { [other: string]: unknown };
/** A scenario's figures as the targets read them (a target runs only when its scenario measured them). */
export type MeasuredFigures = Required<Omit<KnownFigures, "holdP99S2WithoutRoom">> & Pick<KnownFigures, "holdP99S2WithoutRoom">;

export type ScenarioResult = { id: string; title: string; figures: Figures; invariants?: InvariantReport; ok: boolean; eventId?: string };

/** S0 and S4 share one load shape: autocannon, 50 keep-alive connections, fixed duration. */
export async function load(url: string, seconds: number) {
  // A warm-up first, so route compilation and JIT warm-up on the first hits are not measured.
  await autocannon({ url, connections: 50, duration: 2, pipelining: 1 });
  const r = await autocannon({ url, connections: 50, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    bytesPerResponse: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  };
}

export async function s0Ceiling(stack: Pick<Stack, "apps">, size: Size): Promise<ScenarioResult> {
  const f = await load(`${stack.apps[0].url}/api/ping`, size.loadSeconds);
  return { id: "S0", title: "Framework ceiling (trivial route handler)", figures: f, ok: f.non2xx === 0 && f.errors === 0 };
}

export async function s1HotSeat(stack: Stack, size: Size): Promise<ScenarioResult> {
  const ev = await createBenchEvent("S1 hot seat", seatBlock(100));
  const customers = await createCustomers(size.hotSeatRequests);
  const layout = (await call<SeatLayout>("GET", `${stack.apps[0].url}/api/v1/events/${ev.eventId}/seats`)).body;
  const seat = layout.ids[0];
  const lat = new Latencies();
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    customers.map(async (c) => {
      const r = await call("POST", `${stack.apps[0].url}/api/v1/events/${ev.eventId}/reservations`, { token: c.token, body: { seatIds: [seat] } });
      lat.add(r.ms);
      const key = `${r.status}${r.body?.code ? ` ${r.body.code}` : ""}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const winners = statuses["201"] ?? 0;
  const invariants = await checkInvariants(ev.eventId);
  const fiveXX = Object.entries(statuses)
    .filter(([k]) => k.startsWith("5"))
    .reduce((n, [, v]) => n + v, 0);
  return {
    id: "S1",
    title: `Hot seat: ${size.hotSeatRequests} concurrent holds of one seat`,
    figures: { requests: customers.length, winners, statuses, requestsPerSecond: round(customers.length / seconds), ...lat.summary() },
    invariants,
    ok: winners === 1 && fiveXX === 0 && invariants.ok && invariants.counts.held === 1,
  };
}

function saleOk(r: SaleResult, inv: InvariantReport, capacity: number) {
  return inv.ok && inv.counts.sold <= capacity && inv.charges - inv.refunds === inv.bookings;
}

export async function s2FlashSale(stack: Stack, size: Size, opts: { id?: string; title?: string; apps?: string[] } = {}): Promise<ScenarioResult> {
  const ev = await createBenchEvent(`${opts.id ?? "S2"} flash sale`, seatBlock(size.seats));
  const customers = await createCustomers(size.customers);
  const apps = opts.apps ?? [stack.apps[0].url];
  const r = await assignedSale({ apps, eventId: ev.eventId, sectionId: ev.sectionId, customers, timeLimitMs: size.saleTimeLimitMs });
  const invariants = await checkInvariants(ev.eventId);
  return {
    id: opts.id ?? "S2",
    title: opts.title ?? `Flash sale: ${size.seats.toLocaleString("en")} assigned seats, ${size.customers} customers holding pairs`,
    figures: { ...r, soldSeats: invariants.counts.sold, capacity: ev.capacity },
    invariants,
    ok: saleOk(r, invariants, ev.capacity) && r.soldOut,
    eventId: ev.eventId,
  };
}

export async function s3GaRush(stack: Stack, size: Size): Promise<ScenarioResult> {
  const ev = await createBenchEvent("S3 GA rush", gaSection(size.gaCapacity));
  const customers = await createCustomers(size.customers);
  const r = await gaSale({ apps: [stack.apps[0].url], eventId: ev.eventId, sectionId: ev.sectionId, customers, timeLimitMs: size.saleTimeLimitMs });
  const invariants = await checkInvariants(ev.eventId);
  return {
    id: "S3",
    title: `GA rush: ${size.gaCapacity.toLocaleString("en")} places, ${size.customers} customers asking 1–4`,
    figures: { ...r, soldPlaces: invariants.counts.sold, capacity: ev.capacity },
    invariants,
    ok: saleOk(r, invariants, ev.capacity) && r.soldOut,
  };
}

export async function s4InventoryReads(stack: Stack, size: Size, eventId: string): Promise<ScenarioResult> {
  const f = await load(`${stack.apps[0].url}/api/v1/events/${eventId}/inventory`, size.loadSeconds);
  return { id: "S4", title: `Inventory reads of a ${size.seats.toLocaleString("en")}-seat event`, figures: f, ok: f.non2xx === 0 && f.errors === 0 };
}

/** S7: the same hold code (lib/holds) driven in-process: no HTTP, no Next.js. */
export async function s7DatabaseFloor(size: Size): Promise<ScenarioResult> {
  const { holdSeats } = await import("@/lib/holds");
  const { db } = await import("@/db");
  const { users } = await import("@/db/schema");
  const { inArray } = await import("drizzle-orm");
  const ev = await createBenchEvent("S7 database floor", seatBlock(size.seats));
  // One customer per pair, so no customer reaches the per-order limit.
  const customers = await createCustomers(size.seats / 2, { tokens: false });
  const rows = await db()
    .select()
    .from(users)
    .where(
      inArray(
        users.id,
        customers.map((c) => c.id),
      ),
    );
  const actors = rows.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role }));
  const ids = (
    await db().query.inventory.findMany({ where: (i, { eq }) => eq(i.eventId, ev.eventId), orderBy: (i, { asc }) => asc(i.seq), columns: { id: true } })
  ).map((r) => r.id);
  let next = 0;
  const lat = new Latencies();
  let ok = 0;
  let conflicts = 0;
  const started = performance.now();
  // Each customer holds one pair and keeps it (no confirm): a pure hold workload.
  await runWorkers(size.customers, size.saleTimeLimitMs, async () => {
    if (next * 2 + 1 >= ids.length) return false;
    const p = next++;
    const t = performance.now();
    const r = await holdSeats(actors[p], ev.eventId, { seatIds: [ids[p * 2], ids[p * 2 + 1]] });
    lat.add(performance.now() - t);
    if (r.ok) ok++;
    else conflicts++;
    return true;
  });
  const seconds = (performance.now() - started) / 1000;
  const invariants = await checkInvariants(ev.eventId);
  return {
    id: "S7",
    title: `Database floor: the hold code without HTTP, ${size.customers} concurrent`,
    figures: { holdRequests: ok + conflicts, holdsOk: ok, conflicts, holdRequestsPerSecond: round((ok + conflicts) / seconds), ...lat.summary() },
    invariants,
    ok: invariants.ok,
  };
}
