import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { log } from "@/lib/log";

// Test-only fault points inside the checkout saga. Production code reaches them only through
// lib/test-switches.ts, which loads this module when TESSERA_TEST_FAULTS is on (refused in
// production by lib/env.ts). Two ways to arm one:
//  - in-process tests: armFault(point, { reservationId, action }) — "crash" then throws
//    SimulatedCrash, which the saga lets through untouched, as if the process had died there;
//  - real processes (multi-process fault tests): the request header
//    `X-Tessera-Fault: crash-after-charge[,…]` — a crash point then kills the process (SIGKILL).
//
//  before-start           before the reservation is locked for payment (default: nothing; pause with a callback)
//  after-start            after the checkout is recorded STARTED, before the provider is called (default: nothing)
//  crash-after-charge     the provider charged, nothing recorded yet (default: crash)
//  after-charge           the provider charged, nothing recorded yet (default: throw, a "database error")
//  before-booking-commit  just before the booking is written and committed (default: throw)
//  crash-after-booking    the booking committed, the response not yet stored (default: crash)
//  crash-before-refund-commit  a refund is written in its transaction, not yet committed (default: crash)
//  crash-before-refund    a refund is recorded (committed), the provider not yet asked (default: crash)
//  crash-after-refund     the provider refunded, the refund not yet marked done (default: crash)

export const FAULT_POINTS = [
  "before-start",
  "after-start",
  "crash-after-charge",
  "after-charge",
  "before-booking-commit",
  "crash-after-booking",
  "crash-before-refund-commit",
  "crash-before-refund",
  "crash-after-refund",
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];
export type FaultContext = { reservationId: string; checkoutId?: string };
export type FaultAction = "throw" | "crash" | "none" | ((ctx: FaultContext) => Promise<void> | void);

const DEFAULTS: Record<FaultPoint, FaultAction> = {
  "before-start": "none",
  "after-start": "none",
  "crash-after-charge": "crash",
  "after-charge": "throw",
  "before-booking-commit": "throw",
  "crash-after-booking": "crash",
  "crash-before-refund-commit": "crash",
  "crash-before-refund": "crash",
  "crash-after-refund": "crash",
};

export class InjectedFault extends Error {
  constructor(point: FaultPoint) {
    super(`injected fault at ${point}`);
    this.name = "InjectedFault";
  }
}

/** Stands for a process that died at this point: nothing after it may run, not even compensation. */
export class SimulatedCrash extends Error {
  constructor(point: FaultPoint) {
    super(`simulated crash at ${point}`);
    this.name = "SimulatedCrash";
  }
}

type Armed = { point: FaultPoint; action: FaultAction; reservationId?: string; remaining: number };
const armed: Armed[] = [];
const requestFaults = new AsyncLocalStorage<Set<FaultPoint>>();

export function isFaultPoint(s: string): s is FaultPoint {
  return (FAULT_POINTS as readonly string[]).includes(s);
}

/** Arms a fault for the next `times` (default 1) checkouts passing `point` (optionally one reservation only). Returns a disarm function. */
export function armFault(point: FaultPoint, opts: { action?: FaultAction; reservationId?: string; times?: number } = {}): () => void {
  const entry: Armed = { point, action: opts.action ?? DEFAULTS[point], reservationId: opts.reservationId, remaining: opts.times ?? 1 };
  armed.push(entry);
  return () => {
    const i = armed.indexOf(entry);
    if (i >= 0) armed.splice(i, 1);
  };
}

export function disarmAllFaults() {
  armed.length = 0;
}

/** Runs `fn` with the faults named in an X-Tessera-Fault header armed. */
export function runWithRequestFaults<T>(header: string, fn: () => Promise<T>): Promise<T> {
  const points = new Set(
    header
      .split(",")
      .map((s) => s.trim())
      .filter(isFaultPoint),
  );
  return points.size ? requestFaults.run(points, fn) : fn();
}

/** A checkout passes `point`: act on a fault armed for it, if any. */
export async function hitFaultPoint(point: FaultPoint, ctx: FaultContext): Promise<void> {
  const fromRequest = requestFaults.getStore();
  if (fromRequest?.has(point)) {
    fromRequest.delete(point);
    return act(point, DEFAULTS[point], ctx, true);
  }
  const hit = armed.find((a) => a.point === point && (!a.reservationId || a.reservationId === ctx.reservationId));
  if (!hit) return;
  if (--hit.remaining <= 0) armed.splice(armed.indexOf(hit), 1);
  return act(point, hit.action, ctx, false);
}

async function act(point: FaultPoint, action: FaultAction, ctx: FaultContext, realProcess: boolean): Promise<void> {
  if (typeof action === "function") return action(ctx);
  if (action === "none") return;
  if (action === "throw") throw new InjectedFault(point);
  if (realProcess) {
    log.warn("fault.crash", { point, ...ctx, pid: process.pid });
    process.kill(process.pid, "SIGKILL");
    await new Promise(() => {}); // never continue past a crash point
  }
  throw new SimulatedCrash(point);
}
