import { round } from "./client";

// Open-loop load: arrivals at a given rate whatever the server does (a Poisson process: random
// gaps with mean 1/rate), each started at its intended time even when earlier ones are still
// waiting. A closed loop (N clients, each sending when the last answer came) slows its own
// offered load when the server slows, and so hides the queueing a real on-sale crowd meets; its
// latencies are an artefact of N. Latency here is measured from the moment a request was meant
// to be sent, so time spent queued anywhere (client connection pool, server backlog) is counted
// (no coordinated omission).

export type Step = { index: number; rate: number; startsAt: number; endsAt: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A ramp of offered rates: `first`, then ×`factor` per step, `stepMs` each, at most `steps`. */
export function ramp(first: number, factor: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => round(first * factor ** i, 1));
}

/**
 * Runs the ramp: for each step, Poisson arrivals at that step's rate for `stepMs`, calling
 * `arrive(intendedAt, step)` at (or just after) each intended time without waiting for it.
 * `keepGoing(step)` is asked after each step (e.g. stop once the knee is passed); `steps` is
 * filled as the ramp goes, so it can look at the steps so far.
 * Resolves when the last arrival has been started; returns the arrivals' promises.
 */
export async function runRamp(
  rates: number[],
  stepMs: number,
  steps: Step[],
  arrive: (intendedAt: number, step: Step) => Promise<void>,
  keepGoing: (step: Step) => boolean = () => true,
): Promise<{ arrivals: Promise<void>[] }> {
  const arrivals: Promise<void>[] = [];
  let t = performance.now();
  for (let i = 0; i < rates.length; i++) {
    const step: Step = { index: i, rate: rates[i], startsAt: t, endsAt: t + stepMs };
    steps.push(step);
    let next = t + exponential(rates[i]);
    while (next < step.endsAt) {
      const now = performance.now();
      if (next > now + 1) await sleep(next - now);
      // Start every arrival that is due (the timer may have fired late on a busy machine).
      while (next <= performance.now() && next < step.endsAt) {
        arrivals.push(arrive(next, step).catch(() => {}));
        next += exponential(rates[i]);
      }
    }
    t = step.endsAt;
    const wait = t - performance.now();
    if (wait > 0) await sleep(wait);
    if (!keepGoing(step)) break;
  }
  return { arrivals };
}

function exponential(rate: number): number {
  return (-Math.log(1 - Math.random()) * 1000) / rate;
}

/** Latencies with the tail the open-loop report needs (p99.9). */
export class Tail {
  private values: number[] = [];
  add(ms: number) {
    this.values.push(ms);
  }
  addAll(other: Tail) {
    for (const v of other.values) this.values.push(v);
  }
  get count() {
    return this.values.length;
  }
  summary() {
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (p: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]) : 0);
    return { count: sorted.length, p50: at(50), p99: at(99), p999: at(99.9), max: at(100) };
  }
}
