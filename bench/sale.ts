import crypto from "node:crypto";
import { decodeStates } from "@/lib/seatmap/bitmap";
import { call, Latencies, round, runWorkers, type Reply } from "./client";
import type { InventorySnapshot, OrProblem, Reservation, SeatLayout } from "@/tests/helpers/responses";
import type { Customer } from "./data";

// Simulated customers for the flash-sale scenarios. Each one looks at the live inventory like
// the seat map does, tries to hold a pair of adjacent seats (or 1–4 GA places), retries with
// another pair on conflict, and pays with the mock provider's success card.

const CARD = { number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" };

export type SaleResult = {
  customers: number;
  seconds: number;
  soldOut: boolean;
  holdRequests: number;
  holdsOk: number;
  conflicts: number;
  confirms: number;
  holdRequestsPerSecond: number;
  confirmsPerSecond: number;
  conflictRate: number;
  allHeldSeconds: number | null; // first moment nothing was left to take (every place held or sold)
  hold: ReturnType<Latencies["summary"]>;
  confirm: ReturnType<Latencies["summary"]>;
  errors: Record<string, number>;
};

type Target = { apps: string[]; eventId: string; sectionId: string; customers: Customer[]; timeLimitMs: number };

class Tally {
  holdRequests = 0;
  holdsOk = 0;
  conflicts = 0;
  confirms = 0;
  hold = new Latencies();
  confirm = new Latencies();
  errors: Record<string, number> = {};
  started = performance.now();
  allHeldAt: number | null = null;
  nothingLeft() {
    this.allHeldAt ??= performance.now();
  }
  error(r: Reply<{ code?: string }> | Error, what: string) {
    const key = r instanceof Error ? `${what}:${r.message.slice(0, 60)}` : `${what}:${r.status}:${r.body?.code ?? ""}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
  }
  result(customers: number, ms: number, soldOut: boolean): SaleResult {
    const s = ms / 1000;
    return {
      customers,
      seconds: round(s, 2),
      soldOut,
      holdRequests: this.holdRequests,
      holdsOk: this.holdsOk,
      conflicts: this.conflicts,
      confirms: this.confirms,
      holdRequestsPerSecond: round(this.holdRequests / s),
      confirmsPerSecond: round(this.confirms / s),
      conflictRate: round(this.conflicts / Math.max(1, this.holdRequests), 3),
      allHeldSeconds: this.allHeldAt === null ? null : round((this.allHeldAt - this.started) / 1000, 2),
      hold: this.hold.summary(),
      confirm: this.confirm.summary(),
      errors: this.errors,
    };
  }
}

async function confirm(app: string, c: Customer, reservationId: string, t: Tally) {
  const r = await call("POST", `${app}/api/v1/bookings/confirm`, {
    token: c.token,
    headers: { "idempotency-key": crypto.randomUUID() },
    body: { reservationId, payment: { method: "mock", card: CARD } },
  });
  if (r.status === 201) {
    t.confirms++;
    t.confirm.add(r.ms);
  } else t.error(r, "confirm");
}

/** Assigned seating: pairs of adjacent seats until nothing is left. */
export async function assignedSale(target: Target): Promise<SaleResult> {
  const { apps, eventId, customers } = target;
  const layout = (await call<SeatLayout>("GET", `${apps[0]}/api/v1/events/${eventId}/seats`)).body;
  const free = new Set<number>(); // pair indices believed free
  let tally: Tally | null = null;
  let refreshing: Promise<void> | null = null;
  let soldOut = false;
  const refresh = () =>
    (refreshing ??= (async () => {
      const snap = (await call<InventorySnapshot>("GET", `${apps[0]}/api/v1/events/${eventId}/inventory`)).body;
      const states = decodeStates(snap.seats.data, snap.seats.count);
      free.clear();
      let held = 0;
      for (let p = 0; p * 2 + 1 < states.length; p++) {
        if (states[p * 2] === 0 && states[p * 2 + 1] === 0) free.add(p);
        if (states[p * 2] === 1 || states[p * 2 + 1] === 1) held++;
      }
      if (free.size === 0) tally?.nothingLeft();
      if (free.size === 0 && held === 0) soldOut = true;
      if (free.size === 0 && held > 0) await new Promise((r) => setTimeout(r, 250));
      refreshing = null;
    })());
  await refresh();
  const t = (tally = new Tally());
  const started = t.started;
  await runWorkers(customers.length, target.timeLimitMs, async (w) => {
    if (soldOut) return false;
    if (free.size === 0) {
      await refresh();
      return !soldOut;
    }
    // A random free pair; remove it from the shared view: someone is about to take it.
    const pairs = [...free];
    const p = pairs[Math.floor(Math.random() * pairs.length)];
    free.delete(p);
    const c = customers[w];
    const app = apps[w % apps.length];
    t.holdRequests++;
    const r = await call<OrProblem<Reservation>>("POST", `${app}/api/v1/events/${eventId}/reservations`, {
      token: c.token,
      body: { seatIds: [layout.ids[p * 2], layout.ids[p * 2 + 1]] },
    });
    t.hold.add(r.ms);
    if (r.status === 201) {
      t.holdsOk++;
      await confirm(app, c, r.body.id, t);
    } else if (r.status === 409 && r.body?.code === "seat_taken") t.conflicts++;
    else t.error(r, "hold");
    return true;
  });
  return t.result(customers.length, performance.now() - started, soldOut);
}

/** General admission: 1–4 places per customer until the section is empty. */
export async function gaSale(target: Target): Promise<SaleResult> {
  const { apps, eventId, sectionId, customers } = target;
  let soldOut = false;
  const t = new Tally();
  const started = t.started;
  await runWorkers(customers.length, target.timeLimitMs, async (w) => {
    if (soldOut) return false;
    const c = customers[w];
    const app = apps[w % apps.length];
    const quantity = 1 + Math.floor(Math.random() * 4);
    t.holdRequests++;
    const r = await call<OrProblem<Reservation>>("POST", `${app}/api/v1/events/${eventId}/reservations`, { token: c.token, body: { sectionId, quantity } });
    t.hold.add(r.ms);
    if (r.status === 201) {
      t.holdsOk++;
      await confirm(app, c, r.body.id, t);
      return true;
    }
    if (r.status === 409 && r.body?.code === "sold_out") {
      t.conflicts++;
      const snap = (await call<InventorySnapshot>("GET", `${app}/api/v1/events/${eventId}/inventory`)).body;
      const s = snap.sections.find((x) => x.id === sectionId)!;
      if (s.available === 0) t.nothingLeft();
      if (s.available === 0 && s.held === 0) soldOut = true;
      else if (s.available === 0) await new Promise((res) => setTimeout(res, 250));
      return !soldOut;
    }
    t.error(r, "hold");
    return true;
  });
  return t.result(customers.length, performance.now() - started, soldOut);
}
