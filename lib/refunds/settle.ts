import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { faultPoint } from "@/lib/test-switches";
import { log } from "@/lib/log";
import { paymentProvider, withPaymentTimeout } from "@/lib/payments";

// Moving the money of a recorded refund (docs/refunds.md). A REFUND row is PENDING from the
// moment it is recorded until the provider confirms it; the provider gets the row's own
// idempotency key, so asking again — a retry, the event cancellation's last pass, the sweep
// after a crash — returns the first refund instead of making another. Then the row is marked
// SUCCEEDED (with the provider's refund id) and, for the compensation of a checkout that could
// never be booked, the checkout becomes REFUNDED.

type PendingRow = {
  id: string;
  checkout_id: string;
  refund_id: string | null;
  provider: string;
  idempotency_key: string;
  amount_minor: number;
  currency: string;
  status: string;
  charge_ref: string | null;
  reservation_id: string;
};

/** Finishes one REFUND payment. "refunded" when it is done (now or before), "none" when there is no such refund. */
export async function settleRefundPayment(paymentId: string): Promise<"refunded" | "none"> {
  const [p] = await db().execute<PendingRow>(sql`
    SELECT p.id, p.checkout_id, p.refund_id, p.provider, p.idempotency_key, p.amount_minor, trim(p.currency) AS currency, p.status,
           ch.provider_ref AS charge_ref, c.reservation_id
    FROM payments p JOIN checkouts c ON c.id = p.checkout_id
    LEFT JOIN payments ch ON ch.checkout_id = p.checkout_id AND ch.kind = 'CHARGE' AND ch.status = 'SUCCEEDED'
    WHERE p.id = ${paymentId} AND p.kind = 'REFUND'`);
  if (!p || !p.charge_ref) return "none";
  if (p.status !== "PENDING") return "refunded";
  const ctx = { reservationId: p.reservation_id, checkoutId: p.checkout_id };
  await faultPoint("crash-before-refund", ctx);
  const r = await withPaymentTimeout("refund", () =>
    paymentProvider(p.provider).refund({ key: p.idempotency_key, chargeId: p.charge_ref!, amountMinor: p.amount_minor, currency: p.currency }),
  );
  await faultPoint("crash-after-refund", ctx);
  await db().execute(sql`
    WITH p AS (
      UPDATE payments SET status = 'SUCCEEDED', provider_ref = ${r.refundId} WHERE id = ${p.id} AND status = 'PENDING' RETURNING checkout_id, refund_id
    )
    UPDATE checkouts SET state = 'REFUNDED', updated_at = now()
    WHERE id = (SELECT checkout_id FROM p WHERE refund_id IS NULL) AND state = 'CHARGED'`);
  return "refunded";
}

/** Settles now when the provider answers; otherwise the refund stays PENDING for the sweep. True when settled. */
export async function trySettleRefund(paymentId: string | null): Promise<boolean> {
  if (!paymentId) return true;
  try {
    return (await settleRefundPayment(paymentId)) === "refunded";
  } catch (err) {
    log.warn("refund.deferred", { paymentId, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

/**
 * The PENDING refunds older than `olderThanSeconds` (the request that recorded them is presumed
 * gone), oldest first, optionally of one event. The sweep and the event cancellation finish them.
 */
export async function pendingRefundPayments(opts: { olderThanSeconds?: number; eventId?: string; limit?: number } = {}): Promise<string[]> {
  const rows = await db().execute<{ id: string }>(sql`
    SELECT p.id FROM payments p ${opts.eventId ? sql`JOIN checkouts c ON c.id = p.checkout_id` : sql``}
    WHERE p.kind = 'REFUND' AND p.status = 'PENDING'
      AND p.created_at < now() - ${opts.olderThanSeconds ?? 0} * interval '1 second'
      ${opts.eventId ? sql`AND c.event_id = ${opts.eventId}` : sql``}
    ORDER BY p.created_at LIMIT ${opts.limit ?? 100}`);
  return rows.map((r) => r.id);
}
