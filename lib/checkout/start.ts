import "server-only";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings, checkouts, type Checkout } from "@/db/schema";
import { formatReference } from "@/lib/bookings/reference";
import type { Actor } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { fail, type Failure } from "@/lib/errors";

// Saga step 1, one transaction: lock the reservation, check the fence with the database clock
// (reservation ACTIVE and unexpired, every place still HELD by it and unexpired), price it from
// the section prices, and lock it for payment: reservation → PAYMENT with a payment deadline,
// its places' holds stretched to that deadline (so the plain expiry rule cannot free them while
// the customer pays), checkout row STARTED. Nothing is charged before this commits, so a
// customer whose hold ran out is refused here and never charged.
//
// The fence reads clock_timestamp(), not now() (the transaction's start): a transaction that
// waited for the reservation lock must not judge the hold by the time it began.
// Lock order everywhere in the checkout: event (KEY SHARE) → checkout → reservation → places.

/** How long a checkout may stay between steps before the sweep takes it over. */
export function paymentWindowMs(): number {
  return 2 * env().PAYMENT_TIMEOUT_MS;
}

export async function startCheckout(
  actor: Actor,
  reservationId: string,
  method: "mock" | "stripe" | "free",
  providerKey: string,
): Promise<{ ok: true; checkout: Checkout } | Failure> {
  return db().transaction(async (tx) => {
    // One statement takes both locks: the event (KEY SHARE, so a cancellation waits for us) and the reservation.
    const [r] = await tx.execute<{
      user_id: string;
      event_id: string;
      status: string;
      quantity: number;
      live: boolean;
      event_status: string;
      currency: string;
    }>(sql`
      SELECT r.user_id, r.event_id, r.status, r.quantity, r.expires_at > clock_timestamp() AS live, e.status AS event_status, e.currency
      FROM reservations r JOIN events e ON e.id = r.event_id
      WHERE r.id = ${reservationId}
      FOR UPDATE OF r FOR KEY SHARE OF e`);
    if (!r || r.user_id !== actor.id) return fail("not_found", "No such reservation.");
    const eventId = r.event_id;
    if (r.event_status === "CANCELLED") return fail("reservation_closed", "This event has been cancelled. Nothing was charged.");
    if (r.status === "PAYMENT") {
      return fail(
        "reservation_locked",
        "A payment for this reservation is already in progress. Nothing more was charged; retry with the same Idempotency-Key to see its result.",
      );
    }
    if (r.status === "CONFIRMED") {
      const [b] = await tx.select({ reference: bookings.reference }).from(bookings).where(eq(bookings.reservationId, reservationId));
      return fail(
        "reservation_closed",
        `This reservation is already booked${b ? ` (booking ${formatReference(b.reference)})` : ""}. Nothing more was charged.`,
        b ? { reference: b.reference } : {},
      );
    }
    if (r.status !== "ACTIVE" || !r.live) return holdExpired();

    const places = await tx.execute<{ id: number; section_id: string; price_minor: number; held: boolean }>(sql`
      SELECT i.id::int AS id, i.section_id, s.price_minor,
             (i.status = 'HELD' AND i.hold_expires_at > clock_timestamp()) AS held
      FROM inventory i JOIN event_sections s ON s.id = i.section_id
      WHERE i.reservation_id = ${reservationId} AND i.event_id = ${eventId}
      ORDER BY i.id
      FOR UPDATE OF i`);
    if (places.length === 0 || places.length !== r.quantity || places.some((p) => !p.held)) return holdExpired();

    const amountMinor = places.reduce((sum, p) => sum + p.price_minor, 0);
    if (amountMinor > 0 && method === "free") {
      return fail("validation_failed", "This reservation is not free: pay with a card.", { fields: { "payment.method": ["Choose a card payment"] } });
    }
    if (amountMinor > 0 && method !== env().PAYMENT_PROVIDER) {
      return fail("validation_failed", `Payments by "${method}" are not available here.`, {
        fields: { "payment.method": [`Use "${env().PAYMENT_PROVIDER}"`] },
      });
    }

    // now() is the transaction's start time: reservation, places and checkout get one deadline.
    const deadline = sql`now() + ${paymentWindowMs()} * interval '1 millisecond'`;
    await tx.execute(sql`
      WITH r AS (
        UPDATE reservations SET status = 'PAYMENT', payment_deadline = ${deadline}, updated_at = now() WHERE id = ${reservationId}
      )
      UPDATE inventory SET hold_expires_at = GREATEST(hold_expires_at, ${deadline})
      WHERE reservation_id = ${reservationId} AND event_id = ${eventId} AND status = 'HELD'`);
    const [checkout] = await tx
      .insert(checkouts)
      .values({
        reservationId,
        userId: actor.id,
        eventId,
        state: "STARTED",
        amountMinor,
        currency: r.currency,
        provider: amountMinor === 0 ? "free" : method,
        providerKey,
        items: places.map((p) => ({ inventoryId: p.id, sectionId: p.section_id, priceMinor: p.price_minor })),
        deadline,
      })
      .returning();
    return { ok: true as const, checkout };
  });
}

function holdExpired() {
  return fail("hold_expired", "Your hold on these seats has ended, so nothing was charged. Please choose your seats again.", { refunded: false });
}
