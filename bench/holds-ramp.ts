import type { SeatLayout } from "@/tests/helpers/responses";
import { call, round } from "./client";
import { CpuMeter, machineLoad, perOperation, type CpuParts } from "./cpu";
import { checkInvariants, createBenchEvent, createCustomers, seatBlock, type InvariantReport } from "./data";
import { ramp, runRamp, Tail, type Step } from "./open-loop";
import type { ScenarioResult } from "./scenarios";
import type { Stack } from "./stack";

// S10, the holds-only ramp: how many holds a second the app serves while it still answers 99% of
// them within 100 ms. Open loop (bench/open-loop.ts): new customers arrive at a rising rate, each
// holding a fresh pair of adjacent seats over the REST API (never a conflict: this measures the
// hold path itself, not contention), whatever the server's speed. Each step's rate, what was
// served, p50/p99/p99.9 from the intended send time, and the CPU per hold (app + PostgreSQL +
// Redis) while it ran. The result is the highest offered rate with p99 ≤ 100 ms and everything
// answered, as a share of S0 (what the framework serves for a trivial route).
//
// The ramp keeps stepping until a step misses the target (plus the one after it, to show how far
// past the knee it is), so the result is a knee, not the last rate tried: it stops early only at
// its time budget or at its highest rate, `maxRateToS0` × S0's rate (`maxRate` when S0 did not
// run), far above anything a hold can reach since a hold does more than S0's trivial route. The
// figures say whether the knee was reached (`kneeReached`); a ramp that ended within the target
// reports a lower bound.

export type RampSize = {
  first: number;
  factor: number;
  steps: number;
  stepMs: number;
  seatsPerEvent: number;
  /** No step starts after this long (CI stays short; a busy machine reaches its knee sooner). */
  budgetMs: number;
  /** The highest offered rate, as a multiple of S0's req/s, or `maxRate` without S0. */
  maxRateToS0: number;
  maxRate: number;
};
export const RAMP_FULL: RampSize = {
  first: 100,
  factor: 1.25,
  steps: 20,
  stepMs: 5_000,
  seatsPerEvent: 20_000,
  budgetMs: 100_000,
  maxRateToS0: 1.5,
  maxRate: 2_500,
};
export const RAMP_QUICK: RampSize = {
  first: 25,
  factor: 1.5,
  steps: 12,
  stepMs: 2_000,
  seatsPerEvent: 2_000,
  budgetMs: 26_000,
  maxRateToS0: 1.5,
  maxRate: 1_500,
};

const TARGET_P99_MS = 100;

export type RampFigures = { maxHoldRateWithinTarget: number; ratioToS0: number | null; targetP99Ms: number; kneeReached: boolean; steps: StepFigures[] };

type StepFigures = {
  offered: number;
  served: number;
  holds: number;
  errors: number;
  latency: ReturnType<Tail["summary"]>;
  cpuPerHold: ReturnType<typeof perOperation> | null;
  within: boolean;
};

export async function holdsRamp(stack: Stack, size: RampSize, meter: CpuMeter, s0?: ScenarioResult): Promise<ScenarioResult> {
  const app = stack.apps[0].url;
  const s0Rate = (s0?.figures as { requestsPerSecond?: number } | undefined)?.requestsPerSecond;
  const cap = s0Rate ? s0Rate * size.maxRateToS0 : size.maxRate;
  const rates = ramp(size.first, size.factor, size.steps).filter((r, i) => i === 0 || r <= cap);
  // A warm-up step at the first rate comes first, unmeasured: each worker's first holds load the
  // route's code, open pool connections and prepare the hold statement on them.
  const wanted = Math.ceil([rates[0], ...rates].reduce((n, r) => n + (r * size.stepMs) / 1000, 0) * 1.15) + 50;
  const pairsPerEvent = size.seatsPerEvent / 2;
  const pairs: { eventId: string; seatIds: number[] }[] = [];
  const eventIds: string[] = [];
  while (pairs.length < wanted) {
    const ev = await createBenchEvent(`S10 holds ramp ${eventIds.length + 1}`, seatBlock(size.seatsPerEvent));
    eventIds.push(ev.eventId);
    const ids = (await call<SeatLayout>("GET", `${app}/api/v1/events/${ev.eventId}/seats`)).body.ids;
    for (let p = 0; p < pairsPerEvent; p++) pairs.push({ eventId: ev.eventId, seatIds: [ids[2 * p], ids[2 * p + 1]] });
  }
  const customers = await createCustomers(wanted);

  let next = 0;
  const hold = (i: number) =>
    call("POST", `${app}/api/v1/events/${pairs[i].eventId}/reservations`, {
      token: customers[i].token,
      body: { seatIds: pairs[i].seatIds },
    });
  const warmUp = await runRamp([rates[0]], size.stepMs, [], async () => {
    const i = next++;
    if (i < pairs.length) await hold(i).catch(() => {});
  });
  await Promise.all(warmUp.arrivals);

  const perStep = rates.map(() => ({ tail: new Tail(), holds: 0, errors: 0, done: 0, statuses: {} as Record<string, number> }));
  const cpuAt: CpuParts[] = [];
  const completions: number[] = []; // completion times, to count what each step's window served
  cpuAt.push(meter.sample());
  const steps: Step[] = [];
  const { arrivals } = await runRamp(
    rates,
    size.stepMs,
    steps,
    async (intendedAt: number, step: Step) => {
      const i = next++;
      const s = perStep[step.index];
      if (i >= pairs.length) {
        // More arrivals than prepared pairs (a Poisson ramp well above its mean): counted as an
        // error, so this step never passes for within the target.
        s.errors++;
        s.statuses["no pair left"] = (s.statuses["no pair left"] ?? 0) + 1;
        return;
      }
      const r = await hold(i).catch((err: Error) => ({ status: 0, body: { code: err.message.slice(0, 40) as string }, ms: 0, bytes: 0 }));
      const end = performance.now();
      completions.push(end);
      s.tail.add(end - intendedAt);
      const key = `${r.status}${r.body?.code ? ` ${r.body.code}` : ""}`;
      s.statuses[key] = (s.statuses[key] ?? 0) + 1;
      if (r.status === 201) s.holds++;
      else s.errors++;
    },
    (step) => {
      cpuAt.push(meter.sample());
      if (step.endsAt - steps[0].startsAt >= size.budgetMs) return false;
      // Decide one step late, so the previous step's slowest answers have arrived: stop once a
      // step has missed the target (the one after it shows how far past the knee it is).
      const prev = step.index > 0 ? figures(step.index - 1) : null;
      return !prev || prev.within;
    },
  );
  await Promise.all(arrivals);

  function figures(i: number): StepFigures {
    const st = steps[i];
    const s = perStep[i];
    const seconds = (st.endsAt - st.startsAt) / 1000;
    const served = completions.filter((t) => t >= st.startsAt && t < st.endsAt).length;
    const latency = s.tail.summary();
    const sent = s.tail.count + 0;
    const cpu = cpuAt[i + 1] && served > 0 ? perOperation(cpuAt[i], cpuAt[i + 1], served) : null;
    const within = latency.p99 <= TARGET_P99_MS && s.errors === 0 && sent > 0 && served >= 0.95 * sent;
    return { offered: st.rate, served: round(served / seconds), holds: s.holds, errors: s.errors, latency, cpuPerHold: cpu, within };
  }

  const table = steps.map((_, i) => figures(i));
  const best = table.filter((f) => f.within).reduce<StepFigures | null>((a, b) => (!a || b.offered > a.offered ? b : a), null);
  const invariants: InvariantReport[] = await Promise.all(eventIds.map((id) => checkInvariants(id)));
  const merged = mergeInvariants(invariants);
  return {
    id: "S10",
    title: "Holds-only ramp: open-loop holds of fresh seat pairs at a rising rate",
    figures: {
      holdRequestsPerSecond: best?.served ?? 0,
      maxHoldRateWithinTarget: best?.offered ?? 0,
      targetP99Ms: TARGET_P99_MS,
      kneeReached: table.some((f) => !f.within),
      highestOffered: table.at(-1)?.offered ?? 0,
      ratioToS0: s0Rate && best ? round(best.offered / s0Rate, 3) : null,
      hold: best?.latency ?? table[0]?.latency,
      cpuPerHoldAtBest: best?.cpuPerHold ?? null,
      steps: table,
      machine: machineLoad(),
    },
    invariants: merged,
    ok: merged.ok,
  };
}

function mergeInvariants(all: InvariantReport[]): InvariantReport {
  const out: InvariantReport = { ok: true, violations: {}, counts: { capacity: 0, available: 0, held: 0, sold: 0 }, charges: 0, refunds: 0, bookings: 0 };
  for (const r of all) {
    out.ok &&= r.ok;
    for (const [k, v] of Object.entries(r.violations)) out.violations[k] = (out.violations[k] ?? 0) + v;
    for (const k of ["capacity", "available", "held", "sold"] as const) out.counts[k] += r.counts[k];
    out.charges += r.charges;
    out.refunds += r.refunds;
    out.bookings += r.bookings;
  }
  return out;
}
