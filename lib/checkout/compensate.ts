import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { checkouts, payments, type Checkout } from "@/db/schema";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { releasePreLocks } from "@/lib/holds/prelock";
import { paymentProvider, withPaymentTimeout } from "@/lib/payments";
import { loadCheckout, lockCheckout, releasePlaces } from "./outcomes";

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

/** The REFUND row, PENDING until the provider confirms. Inside a caller's transaction. */
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
 * Asks the provider to refund a recorded PENDING refund (idempotent by refund key: at most one
 * refund per charge even if two callers race), then records it. CHARGED checkouts become
 * REFUNDED; a cancelled booking's checkout stays BOOKED (its refund row tells the story).
 */
export async function finishRefund(checkoutId: string): Promise<"refunded" | "none"> {
  const c = await loadCheckout(checkoutId);
  if (!c) return "none";
  const rows = await db().select().from(payments).where(eq(payments.checkoutId, c.id));
  const charge = rows.find((p) => p.kind === "CHARGE" && p.status === "SUCCEEDED");
  const refund = rows.find((p) => p.kind === "REFUND");
  if (!refund || !charge) return "none";
  let refundRef = refund.providerRef;
  if (refund.status === "PENDING") {
    const provider = paymentProvider(c.provider);
    const r = await withPaymentTimeout("refund", () =>
      provider.refund({ key: refundKey(c), chargeId: charge.providerRef, amountMinor: refund.amountMinor, currency: refund.currency }),
    );
    refundRef = r.refundId;
  }
  await db().transaction(async (tx) => {
    await tx
      .update(payments)
      .set({ status: "SUCCEEDED", providerRef: refundRef })
      .where(and(eq(payments.id, refund.id), eq(payments.status, "PENDING")));
    await tx
      .update(checkouts)
      .set({ state: "REFUNDED", updatedAt: sql`now()` })
      .where(and(eq(checkouts.id, c.id), eq(checkouts.state, "CHARGED")));
  });
  return "refunded";
}
