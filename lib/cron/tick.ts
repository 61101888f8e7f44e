import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { purgeExpiredIdempotencyKeys, sweepStuckCheckouts } from "@/lib/checkout";
import { log } from "@/lib/log";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { deliverDue } from "@/lib/mail/worker";
import { releaseExpiredHolds } from "./release-expired";

// The cron tick (GET /api/cron/tick every minute; the dev server runs it too). A list of
// independent steps, each idempotent and safe to run from several instances at once; one step
// failing does not stop the others. A new step goes in TICK_STEPS before refreshEventStatuses,
// which should see the places the others gave back.

export type TickStep = { name: string; run: () => Promise<unknown> };
export type TickStepResult = { name: string; ok: boolean; ms: number; result?: unknown; error?: string };
export type TickResult = { ok: boolean; ms: number; steps: TickStepResult[] };

// Status refresh updates every live event; one instance at a time is enough, the others skip.
const STATUS_LOCK = 727_301;

export async function refreshAllEventStatuses(): Promise<{ changed: number; skipped: boolean }> {
  return db().transaction(async (tx) => {
    const [lock] = await tx.execute<{ got: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${STATUS_LOCK}) AS got`);
    if (!lock.got) return { changed: 0, skipped: true };
    const changed = await refreshEventStatuses(tx);
    return { changed: changed.length, skipped: false };
  });
}

export const TICK_STEPS: TickStep[] = [
  { name: "releaseExpiredHolds", run: releaseExpiredHolds },
  // Checkouts stuck between charge and booking (a process died, the provider timed out) are
  // finished or compensated from the provider's state; this may give places back.
  { name: "sweepStuckCheckouts", run: sweepStuckCheckouts },
  { name: "purgeExpiredIdempotencyKeys", run: purgeExpiredIdempotencyKeys },
  // Places that came back (holds run out, checkouts given up) go to waiting lists first.
  { name: "offerWaitingLists", run: () => offerWaitingLists() },
  { name: "refreshEventStatuses", run: refreshAllEventStatuses },
  // Outgoing email: the same worker as each app process's loop (lib/mail/loop.ts); here it is
  // the backstop, and the only sender where no process lives on between requests.
  { name: "deliverEmail", run: () => deliverDue({ budgetMs: 20_000 }) },
];

export async function runTick(steps: TickStep[] = TICK_STEPS): Promise<TickResult> {
  const started = performance.now();
  const results: TickStepResult[] = [];
  for (const step of steps) {
    const t = performance.now();
    try {
      const result = await step.run();
      results.push({ name: step.name, ok: true, ms: Math.round(performance.now() - t), result });
    } catch (err) {
      log.error("cron.step_failed", { step: step.name, error: err instanceof Error ? err.stack : String(err) });
      results.push({ name: step.name, ok: false, ms: Math.round(performance.now() - t), error: err instanceof Error ? err.message : String(err) });
    }
  }
  const result = { ok: results.every((r) => r.ok), ms: Math.round(performance.now() - started), steps: results };
  log.info("cron.tick", { ok: result.ok, ms: result.ms, steps: results.map((r) => ({ name: r.name, ok: r.ok, result: r.result })) });
  return result;
}
