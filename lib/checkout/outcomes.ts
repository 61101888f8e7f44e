import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { checkouts, payments, type Checkout } from "@/db/schema";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { FREE_PLACE } from "@/lib/inventory/places";
import type { ChargeOutcome } from "@/lib/payments";

// Recording what the payment provider said about a checkout's charge: charged, still pending,
// or declined (the reservation then holds its seats again until its own expiry). Every function
// is idempotent and conditional on the recorded state (under the checkout's row lock), so the
// customer's request, a retry that took over, the sweep and the Stripe webhook may run them in
// any order. Compensating a checkout that cannot be booked is ./compensate.ts.

export async function lockCheckout(tx: Tx, id: string): Promise<Checkout> {
  const [c] = await tx.select().from(checkouts).where(eq(checkouts.id, id)).for("update");
  return c;
}

export async function loadCheckout(id: string): Promise<Checkout | null> {
  const [c] = await db().select().from(checkouts).where(eq(checkouts.id, id));
  return c ?? null;
}

/** STARTED → CHARGED with the CHARGE payment row, in one statement (one round trip). */
export async function recordCharged(c: Checkout, outcome: Extract<ChargeOutcome, { status: "succeeded" }>): Promise<Checkout> {
  const [row] = await db().execute<{ moved: number }>(sql`
    WITH c AS (
      UPDATE checkouts SET state = 'CHARGED', provider_ref = ${outcome.chargeId}, updated_at = now()
      WHERE id = ${c.id} AND state = 'STARTED'
      RETURNING id, provider, amount_minor, currency
    ), p AS (
      INSERT INTO payments (checkout_id, kind, provider, provider_ref, amount_minor, currency, status)
      SELECT id, 'CHARGE', provider, ${outcome.chargeId}, amount_minor, currency, 'SUCCEEDED' FROM c
      ON CONFLICT DO NOTHING
    )
    SELECT count(*)::int AS moved FROM c`);
  if (row.moved === 1) return { ...c, state: "CHARGED", providerRef: outcome.chargeId };
  return (await loadCheckout(c.id))!; // someone else recorded it first
}

/** The provider's id for a charge still in progress, so later lookups need not search for it. */
export async function rememberProviderRef(checkoutId: string, ref: string) {
  await db()
    .update(checkouts)
    .set({ providerRef: ref })
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.state, "STARTED"), isNull(checkouts.providerRef)));
}

/** STARTED → DECLINED (nothing charged); the reservation goes back to holding its seats. */
export async function recordDeclined(checkoutId: string, outcome: Extract<ChargeOutcome, { status: "declined" | "canceled" }>): Promise<Checkout> {
  return db().transaction(async (tx) => {
    const c = await lockCheckout(tx, checkoutId);
    if (c.state !== "STARTED") return c;
    const code = outcome.status === "declined" ? outcome.code : "payment_canceled";
    const ref = outcome.chargeId ?? c.providerRef ?? c.providerKey;
    await tx
      .insert(payments)
      .values({ checkoutId: c.id, kind: "CHARGE", provider: c.provider, providerRef: ref, amountMinor: c.amountMinor, currency: c.currency, status: "FAILED" })
      .onConflictDoNothing();
    const [fresh] = await tx
      .update(checkouts)
      .set({ state: "DECLINED", failureCode: code, providerRef: ref, updatedAt: sql`now()` })
      .where(eq(checkouts.id, c.id))
      .returning();
    await reopenReservation(tx, c);
    return fresh;
  });
}

/**
 * After a decline the customer may retry with another card: the reservation is ACTIVE again and
 * its places are held until the reservation's own expiry. If that has passed, it expires now.
 */
async function reopenReservation(tx: Tx, c: Checkout) {
  const [r] = await tx.execute<{ status: string; live: boolean }>(sql`
    SELECT status, expires_at > now() AS live FROM reservations WHERE id = ${c.reservationId} FOR UPDATE`);
  if (r.status !== "PAYMENT") return;
  if (r.live) {
    await tx.execute(sql`UPDATE reservations SET status = 'ACTIVE', payment_deadline = NULL, updated_at = now() WHERE id = ${c.reservationId}`);
    await tx.execute(sql`
      UPDATE inventory i SET hold_expires_at = r.expires_at FROM reservations r
      WHERE r.id = ${c.reservationId} AND i.reservation_id = r.id AND i.event_id = ${c.eventId} AND i.status = 'HELD'`);
  } else {
    await tx.execute(sql`UPDATE reservations SET status = 'EXPIRED', updated_at = now() WHERE id = ${c.reservationId}`);
    await releasePlaces(tx, c);
  }
  await refreshEventStatuses(tx, c.eventId);
}

export async function releasePlaces(tx: Tx, c: Pick<Checkout, "reservationId" | "eventId">): Promise<number[]> {
  const rows = await tx.execute<{ id: number }>(sql`
    UPDATE inventory SET ${FREE_PLACE}
    WHERE reservation_id = ${c.reservationId} AND event_id = ${c.eventId} AND status = 'HELD'
    RETURNING id::int AS id`);
  return rows.map((r) => r.id);
}
