import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { events } from "@/db/schema";
import type { InventorySnapshot, OrProblem, QueuePlace, Reservation, SeatLayout } from "@/tests/helpers/responses";
import { call, round, type Reply } from "./client";
import { CpuMeter, machineLoad, perOperation } from "./cpu";
import { checkInvariants, createBenchEvent, createCustomers, seatBlock, type Customer } from "./data";
import { ramp, runRamp, Tail, type Step } from "./open-loop";
import type { ScenarioResult } from "./scenarios";
import type { Stack } from "./stack";

// S11 and S12, an on-sale that looks like real demand. Customers arrive open-loop (Poisson) at a
// rate that rises step by step, whatever the server's speed. Each one reads the seat map (the
// inventory endpoint, which may be up to a second stale), picks a pair of adjacent seats
// weighted by popularity (front rows and the middle first), holds it — on a conflict picks
// another pair from the same map, a few times — thinks, and then either abandons (the hold
// expires) or pays with the mock provider, which answers in 300–1,500 ms; a few cards are
// declined (and half of those customers try another card). Latency is measured from the moment
// each request was meant to be sent. Per step: offered and served rates, p50/p99/p99.9, errors.
// The knee is the highest step that was still served: holds answered at the offered rate, p99
// under KNEE_P99_MS. S12 runs the same crowd through the waiting room admitting ~70% of the
// knee: the line absorbs the excess, admitted customers should see the unloaded hold path.

export type OnSaleSize = {
  seats: number;
  first: number; // customers per second in the first step
  factor: number;
  steps: number;
  stepMs: number;
  thinkMs: [number, number];
  drainMs: number; // after the last arrival: how long to let customers (and the line) finish
};
export const ONSALE_FULL: OnSaleSize = { seats: 20_000, first: 20, factor: 1.3, steps: 12, stepMs: 8_000, thinkMs: [2_000, 8_000], drainMs: 60_000 };
export const ONSALE_QUICK: OnSaleSize = { seats: 2_000, first: 10, factor: 1.5, steps: 3, stepMs: 3_000, thinkMs: [500, 1_500], drainMs: 15_000 };

export const PROVIDER_LATENCY = "300-1500";
const ABANDON = 0.15;
const DECLINE = 0.03;
const RETRIES = 3;
const KNEE_P99_MS = 500;
const CARD = { number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" };
const DECLINED_CARD = { ...CARD, number: "4000000000000002" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const between = ([a, b]: [number, number]) => a + Math.random() * (b - a);

type Answer = { status: number; body: unknown };

/** call(), but a refused or timed-out connection (an overloaded server) is an answer, not a crash. */
async function send<T>(...args: Parameters<typeof call>): Promise<Reply<OrProblem<T>>> {
  try {
    return await call<OrProblem<T>>(...args);
  } catch (err) {
    return { status: 0, body: { code: (err as { code?: string }).code ?? "network" } as unknown as OrProblem<T>, ms: 0, bytes: 0 };
  }
}

const codeOf = (r: Answer) => (r.body && typeof r.body === "object" && "code" in r.body ? String(r.body.code) : "");

/** Pair popularity: front rows and the middle of a row first (a 100-seat block row). */
function popularity(pairs: number, rows: number): Float64Array {
  const cumulative = new Float64Array(pairs);
  let sum = 0;
  for (let p = 0; p < pairs; p++) {
    const row = Math.floor((2 * p) / 100);
    const offCentre = Math.abs(((2 * p) % 100) + 1 - 50) / 50;
    sum += Math.exp(-row / Math.max(1, rows * 0.3)) * (1.3 - offCentre);
    cumulative[p] = sum;
  }
  return cumulative;
}

function pick(cumulative: Float64Array, free: (p: number) => boolean, avoid: Set<number>): number | null {
  const total = cumulative[cumulative.length - 1];
  for (let tries = 0; tries < 64; tries++) {
    const u = Math.random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    if (free(lo) && !avoid.has(lo)) return lo;
  }
  for (let p = 0; p < cumulative.length; p++) if (free(p) && !avoid.has(p)) return p; // few left: take any
  return null;
}

export type OnSaleFigures = {
  knee: number;
  steps: unknown[];
  hold: ReturnType<Tail["summary"]>;
  kneeFromS11?: number;
  admitPerMinuteConfigured?: number;
};

class StepStats {
  arrivals = 0;
  holdsSent = 0;
  holdsOk = 0;
  conflicts = 0;
  soldOut = 0;
  errors: Record<string, number> = {};
  abandoned = 0;
  declined = 0;
  confirms = 0;
  hold = new Tail();
  map = new Tail();
  confirm = new Tail();
  inLine = new Tail(); // S12: from joining the line to admission
  error(what: string, r: Answer) {
    const k = `${what}:${r.status}:${codeOf(r)}`;
    this.errors[k] = (this.errors[k] ?? 0) + 1;
  }
}

/** Without `room`: S11, stopping one step past the knee. With it: S12, the same steps through the room. */
export async function onSale(stack: Stack, size: OnSaleSize, meter: CpuMeter, room?: { knee: number; steps: number }): Promise<ScenarioResult> {
  const id = room ? "S12" : "S11";
  const app = stack.apps[0].url;
  const ev = await createBenchEvent(`${id} on-sale`, seatBlock(size.seats));
  const layout = (await call<SeatLayout>("GET", `${app}/api/v1/events/${ev.eventId}/seats`)).body.ids;
  const pairs = Math.floor(layout.length / 2);
  const cumulative = popularity(pairs, Math.ceil(size.seats / 100));
  const rates = ramp(size.first, size.factor, room ? Math.max(1, room.steps) : size.steps);
  const expected = Math.ceil(rates.reduce((n, r) => n + (r * size.stepMs) / 1000, 0) * 1.2) + 50;
  const customers: Customer[] = await createCustomers(expected);
  let nextCustomer = 0;
  const admitPerMinute = room ? Math.max(60, Math.round(0.7 * room.knee * 60)) : 0;
  if (room) {
    await db()
      .update(events)
      .set({ waitingRoom: true, admitPerMinute, waitingRoomSessionSeconds: 900, saleStartsAt: new Date(Date.now() + 1_000) })
      .where(eq(events.id, ev.eventId));
    await sleep(1_200);
  }

  // The seat map as customers see it: decoded once per distinct snapshot (it changes once a second).
  let lastMap: { data: string; states: Uint8Array } | null = null;
  const readMap = (body: InventorySnapshot) => {
    if (lastMap?.data !== body.seats.data) {
      const bytes = Buffer.from(body.seats.data, "base64");
      const states = new Uint8Array(body.seats.count);
      for (let i = 0; i < states.length; i++) states[i] = (bytes[i >> 2] >> ((i & 3) * 2)) & 3;
      lastMap = { data: body.seats.data, states };
    }
    return lastMap.states;
  };

  const stats = rates.map(() => new StepStats());
  const holdAnswers: number[] = []; // completion times, for the served rate of each step's window
  let soldOutAt = 0;
  const cpuAt = [meter.sample()];
  const started = performance.now();

  async function session(intendedAt: number, step: Step) {
    const s = stats[step.index];
    s.arrivals++;
    const c = customers[nextCustomer++ % customers.length];
    let at = intendedAt; // when this customer means to send the next request
    let pass: string | null = null;
    if (room) {
      pass = await queue(at, s);
      if (!pass) return;
      at = performance.now();
    }
    const passHeader: Record<string, string> = pass ? { "queue-pass": pass } : {};
    const map = await send<InventorySnapshot>("GET", `${app}/api/v1/events/${ev.eventId}/inventory`);
    s.map.add(performance.now() - at);
    if (map.status !== 200 || !map.body?.seats) return s.error("map", map);
    const states = readMap(map.body);
    const avoid = new Set<number>();
    let reservationId: string | null = null;
    for (let attempt = 0; attempt <= RETRIES && !reservationId; attempt++) {
      const p = pick(cumulative, (q) => states[2 * q] === 0 && states[2 * q + 1] === 0, avoid);
      if (p === null) {
        s.soldOut++;
        soldOutAt ||= performance.now();
        return;
      }
      avoid.add(p);
      at = performance.now();
      s.holdsSent++;
      const r = await send<Reservation>("POST", `${app}/api/v1/events/${ev.eventId}/reservations`, {
        token: c.token,
        headers: passHeader,
        body: { seatIds: [layout[2 * p], layout[2 * p + 1]] },
      });
      const end = performance.now();
      s.hold.add(end - at);
      holdAnswers.push(end);
      if (r.status === 201 && r.body?.id) {
        s.holdsOk++;
        reservationId = r.body.id;
      } else if (r.status === 409 && codeOf(r) === "seat_taken") s.conflicts++;
      else return s.error("hold", r);
    }
    if (!reservationId) return;
    await sleep(between(size.thinkMs));
    if (Math.random() < ABANDON) {
      s.abandoned++;
      return;
    }
    let card = Math.random() < DECLINE ? DECLINED_CARD : CARD;
    for (let attempt = 0; attempt < 2; attempt++) {
      at = performance.now();
      const k = await send("POST", `${app}/api/v1/bookings/confirm`, {
        token: c.token,
        headers: { "idempotency-key": crypto.randomUUID(), ...passHeader },
        body: { reservationId, payment: { method: "mock", card } },
      });
      s.confirm.add(performance.now() - at);
      if (k.status === 201) {
        s.confirms++;
        return;
      }
      if (codeOf(k) !== "payment_declined") return s.error("confirm", k);
      s.declined++;
      if (Math.random() < 0.5) return;
      card = CARD;
      await sleep(between([1_000, 3_000]));
    }
  }

  async function queue(intendedAt: number, s: StepStats): Promise<string | null> {
    const url = `${app}/api/v1/events/${ev.eventId}/queue`;
    let token: string | null = null;
    for (let polls = 0; performance.now() < drainEnd(); polls++) {
      const r: Reply<OrProblem<QueuePlace>> = await send<QueuePlace>(polls === 0 ? "POST" : "GET", url, { headers: token ? { "queue-token": token } : {} });
      token = r.body?.visitorToken ?? token;
      if (r.status !== 200 || !r.body?.state) {
        s.error(polls === 0 ? "join" : "status", r);
        await sleep(2_000);
        continue;
      }
      if (r.body.state === "admitted" && r.body.pass) {
        s.inLine.add(performance.now() - intendedAt);
        return r.body.pass;
      }
      if (r.body.state !== "waiting" || soldOutAt) return null;
      await sleep(r.body.pollAfterMs ?? 1_000);
    }
    return null;
  }

  let arrivalsEnd = Infinity;
  const drainEnd = () => arrivalsEnd + size.drainMs;
  const steps: Step[] = [];
  const { arrivals } = await runRamp(rates, size.stepMs, steps, session, (step) => {
    cpuAt.push(meter.sample());
    if (soldOutAt) return false;
    const prev = step.index > 0 ? served(step.index - 1) : null;
    return !!room || !prev || prev.keptUp; // without a room, stop one step past the knee
  });
  arrivalsEnd = performance.now();
  await Promise.race([Promise.all(arrivals), sleep(size.drainMs + 30_000)]);

  function served(i: number) {
    const st = steps[i];
    const s = stats[i];
    const seconds = (st.endsAt - st.startsAt) / 1000;
    const answered = holdAnswers.filter((t) => t >= st.startsAt && t < st.endsAt).length;
    const hold = s.hold.summary();
    const errors = Object.values(s.errors).reduce((a, b) => a + b, 0);
    const keptUp = s.holdsSent > 0 && answered >= 0.9 * s.holdsSent && hold.p99 <= KNEE_P99_MS && errors === 0;
    return {
      offered: st.rate,
      arrived: round(s.arrivals / seconds),
      holdsSentPerSecond: round(s.holdsSent / seconds),
      holdsServedPerSecond: round(answered / seconds),
      holdsOk: s.holdsOk,
      conflicts: s.conflicts,
      confirms: s.confirms,
      abandoned: s.abandoned,
      declined: s.declined,
      soldOutSeen: s.soldOut,
      hold,
      map: s.map.summary(),
      confirm: s.confirm.summary(),
      ...(room ? { inLine: s.inLine.summary() } : {}),
      errors: s.errors,
      cpuPerHold: cpuAt[i + 1] && answered ? perOperation(cpuAt[i], cpuAt[i + 1], answered) : null,
      keptUp,
    };
  }

  const table = steps.map((_, i) => served(i));
  const kneeStep = table.filter((t) => t.keptUp).reduce<(typeof table)[number] | null>((a, b) => (!a || b.offered > a.offered ? b : a), null);
  const allHolds = new Tail();
  const allConfirms = new Tail();
  for (const s of stats) {
    allHolds.addAll(s.hold);
    allConfirms.addAll(s.confirm);
  }
  const invariants = await checkInvariants(ev.eventId);
  const sum = (k: "holdsOk" | "confirms" | "conflicts" | "abandoned" | "declined") => stats.reduce((n, s) => n + s[k], 0);
  const seconds = (performance.now() - started) / 1000;
  const holdAll = allHolds.summary();
  return {
    id,
    title: room
      ? `On-sale through the waiting room admitting ${admitPerMinute.toLocaleString("en")}/min (~70% of S11's knee), same crowd`
      : `Open-loop on-sale: ${size.seats.toLocaleString("en")} seats, customers arriving at ${rates[0]}/s rising ×${size.factor} every ${size.stepMs / 1000} s`,
    figures: {
      holdRequestsPerSecond: kneeStep?.holdsServedPerSecond ?? 0,
      knee: kneeStep?.offered ?? 0,
      kneeP99Ms: KNEE_P99_MS,
      hold: holdAll,
      confirm: allConfirms.summary(),
      p50: holdAll.p50,
      p99: holdAll.p99,
      holdsOk: sum("holdsOk"),
      confirms: sum("confirms"),
      conflicts: sum("conflicts"),
      abandoned: sum("abandoned"),
      declined: sum("declined"),
      soldSeats: invariants.counts.sold,
      capacity: ev.capacity,
      soldOutSeenAfterSeconds: soldOutAt ? round((soldOutAt - started) / 1000, 1) : null,
      seconds: round(seconds, 1),
      providerLatencyMs: PROVIDER_LATENCY,
      ...(room ? { admitPerMinuteConfigured: admitPerMinute, kneeFromS11: room.knee } : {}),
      steps: table,
      machine: machineLoad(),
    },
    invariants,
    ok: invariants.ok,
    eventId: ev.eventId,
  };
}
