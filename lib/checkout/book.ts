import "server-only";
import { sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { bookings, tickets, type Checkout, type CheckoutItem } from "@/db/schema";
import { newBookingReference } from "@/lib/bookings/reference";
import { refreshEventStatuses } from "@/lib/events/lifecycle";
import { newTicketCode } from "@/lib/tickets";
import { faultPoint } from "./faults";

// Saga step 3, one transaction: turn the paid places into a booking with tickets. The places
// become SOLD only in a fenced UPDATE: still held by this reservation, or — when the payment
// came late and the hold was released or expired meanwhile — still free (available, or held
// by a hold that has expired, database clock). Taken by someone else → "taken", and the caller
// refunds. General-admission places are interchangeable, so a taken GA place is replaced by
// another free place of the same section. The partial unique index on live tickets per place
// (I1) stands behind all of this; the event turns SOLD_OUT in this same transaction.

export type BookResult =
  | { kind: "booked"; bookingId: string }
  | { kind: "taken" }
  | { kind: "cancelled" } // the event was cancelled
  | { kind: "skipped"; state: Checkout["state"] }; // someone else moved the checkout on

type Head = Pick<Checkout, "id" | "state" | "amountMinor" | "currency" | "eventId" | "reservationId" | "userId" | "items">;
type PlaceRow = { id: number; section_id: string; kind: "ASSIGNED" | "GA"; free: boolean };

class Taken extends Error {}

export async function bookCheckout(checkout: Pick<Checkout, "id">): Promise<BookResult> {
  try {
    return await db().transaction((tx) => bookIn(tx, checkout.id));
  } catch (err) {
    if (err instanceof Taken) return { kind: "taken" }; // thrown to roll back places already marked
    throw err;
  }
}

async function bookIn(tx: Tx, checkoutId: string): Promise<BookResult> {
  // One statement takes the locks in the checkout's order: event (KEY SHARE), checkout, reservation.
  const [c] = await tx.execute<Head & { eventStatus: string; refunding: boolean }>(sql`
    SELECT c.id, c.state, c.amount_minor AS "amountMinor", c.currency, c.event_id AS "eventId",
           c.reservation_id AS "reservationId", c.user_id AS "userId", c.items, e.status AS "eventStatus",
           EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND') AS refunding
    FROM checkouts c JOIN events e ON e.id = c.event_id JOIN reservations r ON r.id = c.reservation_id
    WHERE c.id = ${checkoutId}
    FOR KEY SHARE OF e FOR UPDATE OF c, r`);
  const bookable = c.state === "CHARGED" || (c.state === "STARTED" && c.amountMinor === 0);
  if (!bookable || c.refunding) return { kind: "skipped", state: c.state };
  if (c.eventStatus === "CANCELLED") return { kind: "cancelled" };

  const places = await claimPlaces(tx, c);
  const booking = await insertBooking(tx, c);
  await tx.insert(tickets).values(
    places.map((p) => ({ bookingId: booking.id, eventId: c.eventId, sectionId: p.sectionId, inventoryId: p.inventoryId, code: newTicketCode(), priceMinor: p.priceMinor })),
  );
  await tx.execute(sql`
    WITH r AS (UPDATE reservations SET status = 'CONFIRMED', updated_at = now() WHERE id = ${c.reservationId})
    UPDATE checkouts SET state = 'BOOKED', booking_id = ${booking.id}, updated_at = now() WHERE id = ${c.id}`);
  await refreshEventStatuses(tx, c.eventId);
  await faultPoint("before-booking-commit", { reservationId: c.reservationId, checkoutId: c.id });
  return { kind: "booked", bookingId: booking.id };
}

const idList = (ids: number[]) => sql.raw(`(${ids.map((id) => Math.trunc(Number(id))).join(",")})`);

/**
 * Sells the checkout's places, fenced in the UPDATE itself. Fast path: every place still held
 * by this reservation (one statement). Otherwise the rest are locked and judged: free (available,
 * or an expired hold) → ours again; taken → for GA another free place of the section, else Taken.
 */
async function claimPlaces(tx: Tx, c: Head): Promise<CheckoutItem[]> {
  const ids = c.items.map((i) => i.inventoryId);
  const ours = await tx.execute<{ id: number }>(sql`
    UPDATE inventory SET status = 'SOLD', hold_expires_at = NULL
    WHERE id IN ${idList(ids)} AND event_id = ${c.eventId} AND reservation_id = ${c.reservationId} AND status = 'HELD'
    RETURNING id::int AS id`);
  if (ours.length === ids.length) return c.items;

  const sold = new Set(ours.map((r) => r.id));
  const rest = c.items.filter((i) => !sold.has(i.inventoryId));
  const rows = await tx.execute<PlaceRow>(sql`
    SELECT i.id::int AS id, i.section_id, s.kind,
           (i.status = 'AVAILABLE' OR (i.status = 'HELD' AND i.hold_expires_at <= now())) AS free
    FROM inventory i JOIN event_sections s ON s.id = i.section_id
    WHERE i.id IN ${idList(rest.map((i) => i.inventoryId))} AND i.event_id = ${c.eventId}
    ORDER BY i.id
    FOR UPDATE OF i`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const final: CheckoutItem[] = c.items.filter((i) => sold.has(i.inventoryId));
  const reclaim: CheckoutItem[] = [];
  const missing = new Map<string, CheckoutItem[]>(); // GA section → items needing another place
  for (const item of rest) {
    const row = byId.get(item.inventoryId);
    if (row?.free) reclaim.push(item);
    else if (row?.kind === "GA") missing.set(item.sectionId, [...(missing.get(item.sectionId) ?? []), item]);
    else throw new Taken();
  }
  for (const [sectionId, items] of missing) {
    const spare = await tx.execute<{ id: number }>(sql`
      SELECT id::int AS id FROM inventory
      WHERE event_id = ${c.eventId} AND section_id = ${sectionId} AND id NOT IN ${idList(ids)}
        AND (status = 'AVAILABLE' OR (status = 'HELD' AND hold_expires_at <= now()))
      ORDER BY seq LIMIT ${items.length}
      FOR UPDATE SKIP LOCKED`);
    if (spare.length < items.length) throw new Taken();
    items.forEach((item, i) => reclaim.push({ ...item, inventoryId: spare[i].id }));
  }
  // The fence again, in the UPDATE: only places that are still free are taken.
  const taken = await tx.execute(sql`
    UPDATE inventory SET status = 'SOLD', reservation_id = ${c.reservationId}, hold_expires_at = NULL
    WHERE id IN ${idList(reclaim.map((p) => p.inventoryId))} AND event_id = ${c.eventId}
      AND (status = 'AVAILABLE' OR (status = 'HELD' AND hold_expires_at <= now()))
    RETURNING id`);
  if (taken.length !== reclaim.length) throw new Taken();
  return [...final, ...reclaim];
}

async function insertBooking(tx: Tx, c: Head) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [b] = await tx
      .insert(bookings)
      .values({ reference: newBookingReference(), eventId: c.eventId, userId: c.userId, reservationId: c.reservationId, amountMinor: c.amountMinor, currency: c.currency })
      .onConflictDoNothing({ target: bookings.reference })
      .returning({ id: bookings.id });
    if (b) return b;
  }
  throw new Error("could not find a free booking reference in 5 attempts");
}
