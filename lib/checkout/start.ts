import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Checkout, CheckoutItem } from "@/db/schema";
import { formatReference } from "@/lib/bookings/reference";
import type { Actor } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { fail, type Failure } from "@/lib/errors";
import { isoTs } from "@/lib/sql";

// Saga step 1, one statement: lock the reservation, check the fence with the database clock
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

type Row = {
  user_id: string | null; // null: no such reservation
  event_id: string;
  status: string;
  quantity: number;
  live: boolean;
  event_status: string;
  currency: string;
  places: number;
  held: number;
  amount: number;
  reference: string | null; // a CONFIRMED reservation's booking
  checkout: null | { id: string; items: CheckoutItem[]; deadline: string; created_at: string; updated_at: string };
};

export async function startCheckout(
  actor: Pick<Actor, "id">,
  reservationId: string,
  method: "mock" | "stripe" | "free",
  providerKey: string,
): Promise<{ ok: true; checkout: Checkout } | Failure> {
  const provider = env().PAYMENT_PROVIDER;
  // One autocommit statement (one round trip instead of BEGIN, four statements and COMMIT):
  //   r   — the reservation and its event, locked (event KEY SHARE, so a cancellation waits for us);
  //   p   — its places, locked in id order, judged by the database clock — only when r may pay;
  //   go  — every rule holds: the caller's, ACTIVE and unexpired, every place still held by it,
  //         the payment method fits the amount;
  //   then the writes, only when go: reservation → PAYMENT, holds stretched, checkout STARTED.
  // The refusal is explained from r and p below, in the order the rules were always checked.
  const [row] = await db().execute<Row>(sql`
    WITH r AS (
      SELECT r.user_id, r.event_id, r.status, r.quantity, r.expires_at > clock_timestamp() AS live, e.status AS event_status, e.currency
      FROM reservations r JOIN events e ON e.id = r.event_id
      WHERE r.id = ${reservationId}::uuid
      FOR UPDATE OF r FOR KEY SHARE OF e
    ),
    p AS (
      SELECT i.id, i.section_id, s.price_minor, (i.status = 'HELD' AND i.hold_expires_at > clock_timestamp()) AS held
      FROM inventory i JOIN event_sections s ON s.id = i.section_id
      WHERE i.reservation_id = ${reservationId}::uuid AND i.event_id = (SELECT event_id FROM r)
        AND EXISTS (SELECT 1 FROM r WHERE r.user_id = ${actor.id}::uuid AND r.event_status <> 'CANCELLED' AND r.status = 'ACTIVE' AND r.live)
      ORDER BY i.id
      FOR UPDATE OF i
    ),
    agg AS (
      SELECT count(*)::int AS places, (count(*) FILTER (WHERE held))::int AS held, coalesce(sum(price_minor), 0)::int AS amount,
        coalesce(jsonb_agg(jsonb_build_object('inventoryId', id, 'sectionId', section_id, 'priceMinor', price_minor) ORDER BY id), '[]') AS items
      FROM p
    ),
    go AS (
      SELECT r.event_id, r.currency, agg.amount, agg.items, now() + ${paymentWindowMs()}::int * interval '1 millisecond' AS deadline
      FROM r, agg
      WHERE agg.places > 0 AND agg.places = r.quantity AND agg.held = agg.places
        AND (agg.amount = 0 OR (${method}::text <> 'free' AND ${method}::text = ${provider}::text))
    ),
    pay AS (
      UPDATE reservations SET status = 'PAYMENT', payment_deadline = go.deadline, updated_at = now() FROM go WHERE id = ${reservationId}::uuid
    ),
    stretch AS (
      UPDATE inventory i SET hold_expires_at = GREATEST(i.hold_expires_at, go.deadline)
      FROM go WHERE i.reservation_id = ${reservationId}::uuid AND i.event_id = go.event_id AND i.status = 'HELD'
    ),
    c AS (
      INSERT INTO checkouts (reservation_id, user_id, event_id, state, amount_minor, currency, provider, provider_key, items, deadline)
      SELECT ${reservationId}::uuid, ${actor.id}::uuid, go.event_id, 'STARTED', go.amount, go.currency,
        CASE WHEN go.amount = 0 THEN 'free' ELSE ${method}::text END, ${providerKey}::text, go.items, go.deadline
      FROM go
      RETURNING id, items, ${isoTs(sql`deadline`)} AS deadline, ${isoTs(sql`created_at`)} AS created_at, ${isoTs(sql`updated_at`)} AS updated_at
    )
    SELECT r.user_id, r.event_id, r.status, r.quantity, r.live, r.event_status, r.currency, agg.places, agg.held, agg.amount,
      CASE WHEN r.status = 'CONFIRMED' THEN (SELECT b.reference FROM bookings b WHERE b.reservation_id = ${reservationId}::uuid) END AS reference,
      (SELECT row_to_json(c) FROM c) AS checkout
    FROM agg LEFT JOIN r ON true`);

  if (!row || !row.user_id || row.user_id !== actor.id) return fail("not_found", "No such reservation.");
  if (row.checkout) {
    const amountMinor = row.amount;
    return {
      ok: true as const,
      checkout: {
        id: row.checkout.id,
        reservationId,
        userId: actor.id,
        eventId: row.event_id,
        state: "STARTED",
        amountMinor,
        currency: row.currency,
        provider: amountMinor === 0 ? "free" : method,
        providerKey,
        providerRef: null,
        bookingId: null,
        items: row.checkout.items,
        failureCode: null,
        deadline: new Date(row.checkout.deadline),
        createdAt: new Date(row.checkout.created_at),
        updatedAt: new Date(row.checkout.updated_at),
      },
    };
  }
  if (row.event_status === "CANCELLED") return fail("reservation_closed", "This event has been cancelled. Nothing was charged.");
  if (row.status === "PAYMENT") {
    return fail(
      "reservation_locked",
      "A payment for this reservation is already in progress. Nothing more was charged; retry with the same Idempotency-Key to see its result.",
    );
  }
  if (row.status === "CONFIRMED") {
    const b = row.reference;
    return fail(
      "reservation_closed",
      `This reservation is already booked${b ? ` (booking ${formatReference(b)})` : ""}. Nothing more was charged.`,
      b ? { reference: b } : {},
    );
  }
  if (row.status !== "ACTIVE" || !row.live) return holdExpired();
  if (row.places === 0 || row.places !== row.quantity || row.held !== row.places) return holdExpired();
  if (row.amount > 0 && method === "free") {
    return fail("validation_failed", "This reservation is not free: pay with a card.", { fields: { "payment.method": ["Choose a card payment"] } });
  }
  if (row.amount > 0 && method !== provider) {
    return fail("validation_failed", `Payments by "${method}" are not available here.`, {
      fields: { "payment.method": [`Use "${provider}"`] },
    });
  }
  // Every rule held but nothing was written: a concurrent start of the same reservation won (the
  // one-open-checkout index or the provider key refused ours). Its payment is in progress.
  return fail(
    "reservation_locked",
    "A payment for this reservation is already in progress. Nothing more was charged; retry with the same Idempotency-Key to see its result.",
  );
}

function holdExpired() {
  return fail("hold_expired", "Your hold on these seats has ended, so nothing was charged. Please choose your seats again.", { refunded: false });
}
