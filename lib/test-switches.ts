import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import type { HoldContext } from "@/lib/holds/context";
import type { Pick } from "@/lib/holds/claim";
import type { FaultContext, FaultPoint } from "@/lib/testing/faults";
import type { UnguardedHoldResult } from "@/lib/testing/unguarded-hold";

// The one door from production code into lib/testing/. Each hook reads its TESSERA_TEST_* switch
// (lib/env.ts refuses every one of them in production) and loads the test module only while the
// switch is on, so a production server never loads test code. Type-only imports cost nothing.

/** A checkout passes a fault point: with TESSERA_TEST_FAULTS on, an armed fault may act here. */
export async function faultPoint(point: FaultPoint, ctx: FaultContext): Promise<void> {
  if (!env().TESSERA_TEST_FAULTS) return;
  const { hitFaultPoint } = await import("@/lib/testing/faults");
  return hitFaultPoint(point, ctx);
}

/** Runs `fn` with the faults an X-Tessera-Fault request header names (only with TESSERA_TEST_FAULTS on). */
export async function runWithRequestFaults<T>(header: string | null, fn: () => Promise<T>): Promise<T> {
  if (!header || !env().TESSERA_TEST_FAULTS) return fn();
  const faults = await import("@/lib/testing/faults");
  return faults.runWithRequestFaults(header, fn);
}

/** A fault point's simulated crash: the process "died" there, so nothing after it may run, not even compensation. */
export function isSimulatedCrash(err: unknown): boolean {
  return err instanceof Error && err.name === "SimulatedCrash";
}

/** TESSERA_TEST_HOLD_DELAY_MS: widens the race window of a hold between its check and its write. */
export async function holdRaceDelay(): Promise<void> {
  const ms = env().TESSERA_TEST_HOLD_DELAY_MS;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/**
 * The checkout's ticket-type limits and discount-code limits under test (lib/checkout/start.ts):
 * TESSERA_TEST_UNGUARDED skips the lock on the types' and the code's rows (the control experiment), TESSERA_TEST_HOLD_DELAY_MS keeps
 * the start's transaction open that long after its count, widening the race window either way.
 */
export function typeLimitRace(): { unguarded: boolean; delayMs: number } {
  const e = env();
  return { unguarded: e.TESSERA_TEST_UNGUARDED, delayMs: e.TESSERA_TEST_HOLD_DELAY_MS };
}

/** TESSERA_TEST_UNGUARDED: the deliberately unguarded hold of the control tests, or null when the switch is off. */
export async function unguardedHoldIfOn(args: { actor: Actor; eventId: string; ctx: HoldContext; pick: Pick }): Promise<UnguardedHoldResult | null> {
  const e = env();
  if (!e.TESSERA_TEST_UNGUARDED) return null;
  const { unguardedHold } = await import("@/lib/testing/unguarded-hold");
  return unguardedHold({ ...args, delayMs: e.TESSERA_TEST_HOLD_DELAY_MS });
}

/** TESSERA_TEST_MAIL_SCOPE: the recipients (a LIKE pattern) this process's outbox worker may claim; null when off. */
export function mailRecipientScope(): string | null {
  return env().TESSERA_TEST_MAIL_SCOPE ?? null;
}
