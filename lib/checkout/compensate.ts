import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { checkouts, payments, type Checkout } from "@/db/schema";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { releasePreLocks } from "@/lib/holds/prelock";
import { settleRefundPayment } from "@/lib/refunds/settle";
import { lockCheckout, releasePlaces } from "./outcomes";

// Compensating a charged (or free) checkout that cannot be booked: the refund is recorded, the
// reservation fails and its places go back, then the money moves. Every function here is
// idempotent and conditional on the recorded state (under the checkout's row lock), so the
// customer's request, a retry that took over, the sweep and the Stripe webhook may all run them
// in any order. A refund is recorded (payments REFUND, PENDING) before the provider is asked,
// so a crash in between can never lead to booking money that was returned: whoever comes next
// finishes the refund instead.

export const refundKey = (c: Pick<Checkout, "providerKey">) => `refund_${c.providerKey}`;

/** After commit: drop the Redis pre-locks of freed seats so others can hold them at once (best effort). */
async function dropPreLocks(c: Pick<Checkout, "reservationId" | "eventId">, ids: number[]) {
  await releasePreLocks(c.eventId, c.reservationId, ids).catch(() => {});
}

/** The compensation's REFUND row (the whole charge), PENDING until the provider confirms. Inside a caller's transaction. */
export async function insertRefund(tx: Tx, c: Checkout) {
  await tx
    .insert(payments)
    .values({
      checkoutId: c.id,
      kind: "REFUND",
      provider: c.provider,
      providerRef: refundKey(c),
      amountMinor: c.amountMinor,
      currency: c.currency,
      status: "PENDING",
      idempotencyKey: refundKey(c),
    })
    .onConflictDoNothing();
}

/**
 * Compensation of a charged checkout that cannot be booked: record the refund, mark the
 * reservation FAILED and free its places, all in one transaction. The money moves in finishRefund.
 */
export async function beginRefund(checkoutId: string, reason: string): Promise<Checkout> {
  const { c, freed } = await db().transaction(async (tx) => {
    const c = await lockCheckout(tx, checkoutId);
    if (c.state !== "CHARGED") return { c, freed: [] };
    await insertRefund(tx, c);
    await tx
      .update(checkouts)
      .set({ failureCode: reason, updatedAt: sql`now()` })
      .where(eq(checkouts.id, c.id));
    return { c, freed: await failReservation(tx, c) };
  });
  await dropPreLocks(c, freed);
  return c;
}

/** A free checkout that cannot be booked: nothing to refund, the reservation fails. */
export async function abandonFree(checkoutId: string, reason: string): Promise<Checkout> {
  const { c, freed } = await db().transaction(async (tx) => {
    const c = await lockCheckout(tx, checkoutId);
    if (c.state !== "STARTED" || c.amountMinor !== 0) return { c, freed: [] };
    const [fresh] = await tx
      .update(checkouts)
      .set({ state: "DECLINED", failureCode: reason, updatedAt: sql`now()` })
      .where(eq(checkouts.id, c.id))
      .returning();
    return { c: fresh, freed: await failReservation(tx, c) };
  });
  await dropPreLocks(c, freed);
  return c;
}

async function failReservation(tx: Tx, c: Checkout): Promise<number[]> {
  await tx.execute(sql`
    UPDATE reservations SET status = 'FAILED', updated_at = now()
    WHERE id = ${c.reservationId} AND status NOT IN ('CONFIRMED', 'FAILED')`);
  const freed = await releasePlaces(tx, c);
  await refreshEventStatuses(tx, c.eventId);
  return freed;
}

/**
 * Finishes the compensation refund of a checkout (lib/refunds/settle.ts: the provider refunds
 * once per key even if two callers race, then it is recorded and the checkout becomes REFUNDED).
 */
export async function finishRefund(checkoutId: string): Promise<"refunded" | "none"> {
  const [p] = await db()
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.checkoutId, checkoutId), eq(payments.kind, "REFUND"), isNull(payments.refundId)));
  return p ? settleRefundPayment(p.id) : "none";
}
