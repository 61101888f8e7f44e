import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { log } from "@/lib/log";
import { pendingRefundPayments, settleRefundPayment } from "@/lib/refunds/settle";
import { leaseMs } from "./idempotency";
import { advanceCheckout, type SagaResult } from "./saga";

// The safety net of the saga (see docs/invariants.md, I4): checkouts left between steps past their deadline
// (database clock) — the process died, the provider never answered — are finished or
// compensated using the provider's own record, looked up by the checkout's idempotency key:
// charged → book (re-claiming the places if the hold is gone) or refund; never charged → void
// the key and give the seats back. Refunds left PENDING (a crash between recording and
// refunding, the provider down) are finished too — compensations and booking refunds alike.
//
// Safe to run concurrently and repeatedly: each sweeper leases the checkouts it takes by moving
// their deadline forward (FOR UPDATE SKIP LOCKED, so sweepers never wait for each other), and
// every saga step is conditional on the recorded state and idempotent at the provider.

export type SweepReport = { examined: number; booked: number; refunded: number; released: number; pending: number; failed: number; refundsFinished: number };

export async function sweepStuckCheckouts(opts: { limit?: number } = {}): Promise<SweepReport> {
  const limit = opts.limit ?? 100;
  const report: SweepReport = { examined: 0, booked: 0, refunded: 0, released: 0, pending: 0, failed: 0, refundsFinished: 0 };

  const taken = await db().execute<{ id: string }>(sql`
    UPDATE checkouts SET deadline = now() + ${leaseMs()} * interval '1 millisecond', updated_at = now()
    WHERE id IN (
      SELECT id FROM checkouts
      WHERE state IN ('STARTED', 'CHARGED') AND deadline < now()
      ORDER BY deadline LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`);
  for (const { id } of taken) {
    report.examined++;
    try {
      count(report, await advanceCheckout(id, { kind: "resolve" }));
    } catch (err) {
      report.failed++;
      log.error("sweep.checkout_failed", { checkoutId: id, error: err instanceof Error ? err.message : String(err) });
    }
  }

  // Refunds recorded by a request that is presumably gone (30 s is far beyond any provider call).
  for (const id of await pendingRefundPayments({ olderThanSeconds: 30, limit })) {
    try {
      if ((await settleRefundPayment(id)) === "refunded") report.refundsFinished++;
    } catch (err) {
      report.failed++;
      log.warn("sweep.refund_deferred", { paymentId: id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (report.examined || report.refundsFinished || report.failed) log.info("sweep.checkouts", report);
  return report;
}

function count(report: SweepReport, r: SagaResult) {
  if (r.kind === "booked") report.booked++;
  else if (r.kind === "refunded") report.refunded++;
  else if (r.kind === "pending") report.pending++;
  else report.released++;
}
