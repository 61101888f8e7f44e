import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { bookings, tickets, type Checkout, type CheckoutItem } from "@/db/schema";
import { bookingViewJson, bookingViewOf, type BookingView, type BookingViewRow } from "@/lib/bookings/views";
import { newBookingReference } from "@/lib/bookings/reference";
import { refreshEventStatuses, statusCase } from "@/lib/inventory/event-status";
import { claimable } from "@/lib/inventory/places";
import { bigintArray } from "@/lib/sql";
import { newLinkToken } from "@/lib/link-tokens";
import { confirmationKey, enqueueMail, outboxInsertSql } from "@/lib/mail/outbox";
import { wakeMailer } from "@/lib/mail/loop";
import { newTicketCode } from "@/lib/tickets";
import { newShortCode } from "@/lib/tickets/short-code";
import { faultPoint } from "@/lib/test-switches";

// Saga step 3, all or nothing: turn the paid places into a booking with tickets — one statement
// in the usual case (bookInOneStatement), a transaction when it needs more steps. The places
// become SOLD only in a fenced UPDATE: still held by this reservation, or — when the payment
// came late and the hold was released or expired meanwhile — still free (available, or held
// by a hold that has expired, database clock). Taken by someone else → "taken", and the caller
// refunds. General-admission places are interchangeable, so a taken GA place is replaced by
// another free place of the same section. The partial unique index on live tickets per place
// (docs/invariants.md, I1) stands behind all of this; the event turns SOLD_OUT in the same
// statement or transaction. The confirmation email is queued in the same statement or transaction
// too (lib/mail/outbox.ts), with the booking's private link: its secret is stored hashed on the
// booking and travels encrypted in the outbox.

export type BookResult =
  | { kind: "booked"; bookingId: string }
  | { kind: "taken" }
  | { kind: "cancelled" } // the event was cancelled
  | { kind: "skipped"; state: Checkout["state"] }; // someone else moved the checkout on

type Head = Pick<Checkout, "id" | "state" | "amountMinor" | "currency" | "eventId" | "reservationId" | "userId" | "items">;
type PlaceRow = { id: number; section_id: string; kind: "ASSIGNED" | "GA"; free: boolean };

class Taken extends Error {}

/**
 * Every ticket gets a code the door can type, unique within its event. Codes are random (45
 * bits), so a clash with a ticket already sold is rare but possible: the booking statement or
 * transaction then fails as a whole, writing nothing, and is simply run again with new codes.
 */
export async function withFreshShortCodes<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 5 || !isShortCodeClash(err)) throw err;
    }
  }
}

function isShortCodeClash(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505" && (e as { constraint_name?: string }).constraint_name === "tickets_event_short_code_idx") return true;
  }
  return false;
}

export async function bookCheckout(checkout: Head): Promise<BookResult> {
  const result = await book(checkout);
  if (result.kind === "booked") wakeMailer();
  return result;
}

async function book(checkout: Head): Promise<BookResult> {
  // The usual case in one autocommit statement: the checkout is bookable and every place is still
  // held by its reservation. Anything else (a late payment, a refund under way, a cancelled
  // event, a booking reference already used) writes nothing there and takes the transaction below.
  if (checkout.items.length > 0) {
    await faultPoint("before-booking-commit", { reservationId: checkout.reservationId, checkoutId: checkout.id });
    const bookingId = await withFreshShortCodes(() => bookInOneStatement(checkout));
    if (bookingId) return { kind: "booked", bookingId };
  }
  try {
    return await withFreshShortCodes(() => db().transaction((tx) => bookIn(tx, checkout.id)));
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
           EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND' AND p.refund_id IS NULL) AS refunding
    FROM checkouts c JOIN events e ON e.id = c.event_id JOIN reservations r ON r.id = c.reservation_id
    WHERE c.id = ${checkoutId}
    FOR KEY SHARE OF e FOR UPDATE OF c, r`);
  const bookable = c.state === "CHARGED" || (c.state === "STARTED" && c.amountMinor === 0);
  if (!bookable || c.refunding) return { kind: "skipped", state: c.state };
  if (c.eventStatus === "CANCELLED") return { kind: "cancelled" };

  // The usual case, one statement: every place is still held by this reservation.
  const quick = await bookHeldPlaces(tx, c);
  if (quick.bookingId) {
    await faultPoint("before-booking-commit", { reservationId: c.reservationId, checkoutId: c.id });
    return { kind: "booked", bookingId: quick.bookingId };
  }

  const places = await claimPlaces(tx, c, quick.soldIds);
  const link = newLinkToken();
  const booking = await insertBooking(tx, c, link.hash);
  await tx.insert(tickets).values(
    places.map((p) => ({
      bookingId: booking.id,
      eventId: c.eventId,
      sectionId: p.sectionId,
      inventoryId: p.inventoryId,
      code: newTicketCode(),
      shortCode: newShortCode(),
      priceMinor: p.priceMinor,
      ticketTypeId: p.ticketTypeId ?? null,
    })),
  );
  await tx.execute(sql`
    WITH r AS (UPDATE reservations SET status = 'CONFIRMED', updated_at = now() WHERE id = ${c.reservationId})
    UPDATE checkouts SET state = 'BOOKED', booking_id = ${booking.id}, updated_at = now() WHERE id = ${c.id}`);
  const [buyer] = await tx.execute<{ email: string }>(sql`SELECT email FROM users WHERE id = ${c.userId}`);
  await enqueueMail(tx, {
    kind: "booking_confirmed",
    recipient: buyer.email,
    payload: { bookingId: booking.id },
    secret: { accessKey: link.token },
    dedupeKey: confirmationKey(booking.id),
  });
  await refreshEventStatuses(tx, c.eventId);
  await faultPoint("before-booking-commit", { reservationId: c.reservationId, checkoutId: c.id });
  return { kind: "booked", bookingId: booking.id };
}

// Id lists travel as one bigint[] parameter, so each statement keeps one text (db/prepared.ts).
const anyId = (ids: number[]) => sql`ANY(${bigintArray(ids.map(Number))}::bigint[])`;
const pgArray = (values: (string | number | null)[]) => `{${values.map((v) => (v === null ? "NULL" : `"${String(v)}"`)).join(",")}}`;

/**
 * The whole booking in one autocommit statement, all or nothing: under the same locks as the
 * transaction below, in the same order (event KEY SHARE, checkout, reservation, then places), it
 * checks that the checkout is bookable and that every place is still held by the reservation,
 * then sells them and writes booking, tickets, reservation CONFIRMED, checkout BOOKED and the
 * event's status. One round trip instead of nine (BEGIN, six statements, COMMIT). Null: nothing
 * was written.
 */
async function bookInOneStatement(c: Head): Promise<string | null> {
  const [row] = await db().execute<{ booking_id: string | null }>(sql`
    WITH head AS (
      SELECT c.id FROM checkouts c JOIN events e ON e.id = c.event_id JOIN reservations r ON r.id = c.reservation_id
      WHERE c.id = ${c.id} AND e.status <> 'CANCELLED'
        AND (c.state = 'CHARGED' OR (c.state = 'STARTED' AND c.amount_minor = 0))
        AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND' AND p.refund_id IS NULL)
      FOR KEY SHARE OF e FOR UPDATE OF c, r
    ),
    ${sellHeld(c)}
    SELECT (SELECT id FROM b) AS booking_id`);
  return row?.booking_id ?? null;
}

/**
 * The usual end of a paid checkout in ONE round trip: the provider said the charge succeeded,
 * and this statement records it (checkout CHARGED → BOOKED with the provider's charge id, the
 * CHARGE payment row) together with the whole booking of bookInOneStatement, all or nothing,
 * and answers with the booking's view (lib/bookings/views.ts) so nothing needs reading after.
 * Null: nothing was written (the places are no longer all held, a refund is under way, the
 * event was cancelled, someone else moved the checkout on): the caller records the charge on
 * its own and takes the step by step path.
 */
export async function bookCharged(c: Head, chargeId: string): Promise<BookingView | null> {
  if (c.items.length === 0) return null;
  await faultPoint("before-booking-commit", { reservationId: c.reservationId, checkoutId: c.id });
  // Built afresh on each try: a ticket-code clash runs it again with new codes (withFreshShortCodes).
  const [row] = await withFreshShortCodes(() =>
    db().execute<{ view: BookingViewRow | null }>(sql`
    WITH head AS (
      SELECT c.id FROM checkouts c JOIN events e ON e.id = c.event_id JOIN reservations r ON r.id = c.reservation_id
      WHERE c.id = ${c.id} AND e.status <> 'CANCELLED' AND c.state = 'STARTED' AND c.amount_minor > 0
        AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND' AND p.refund_id IS NULL)
      FOR KEY SHARE OF e FOR UPDATE OF c, r
    ),
    ${sellHeld(c, chargeId)},
    pay AS (
      INSERT INTO payments (checkout_id, kind, provider, provider_ref, amount_minor, currency, status)
      SELECT c.id, 'CHARGE', c.provider, ${chargeId}::text, c.amount_minor, c.currency, 'SUCCEEDED'
      FROM checkouts c WHERE c.id = ${c.id}::uuid AND EXISTS (SELECT 1 FROM b)
      ON CONFLICT DO NOTHING
    )
    SELECT ${bookingViewJson(sql`b`, sql`t`, c.eventId, c.id)} AS view FROM b`),
  );
  if (!row?.view) return null;
  wakeMailer();
  return bookingViewOf(row.view);
}

/** Locks the reservation's places still held by it, sells them when that is every one, and writes the booking (bookingWrites). */
function sellHeld(c: Head, chargeId?: string): SQL {
  const ids = c.items.map((i) => i.inventoryId);
  return sql`
    held AS (
      SELECT i.id FROM inventory i
      WHERE i.id = ${anyId(ids)} AND i.event_id = ${c.eventId} AND i.reservation_id = ${c.reservationId} AND i.status = 'HELD'
        AND EXISTS (SELECT 1 FROM head)
      ORDER BY i.id FOR UPDATE OF i
    ),
    sold AS (
      UPDATE inventory SET status = 'SOLD', hold_expires_at = NULL
      WHERE id IN (SELECT id FROM held) AND (SELECT count(*) FROM held) = ${ids.length}::int
      RETURNING id
    ),
    ${bookingWrites(c, sql`(SELECT count(*) FROM sold) = ${ids.length}::int`, chargeId)}`;
}

/**
 * Sells the places this reservation still holds and, when that is every one of them, writes the
 * whole booking in the same statement. Otherwise (a late payment, a booking reference already
 * used) nothing but the held places is written, and the step by step path goes on from them.
 */
async function bookHeldPlaces(tx: Tx, c: Head): Promise<{ soldIds: number[]; bookingId: string | null }> {
  const ids = c.items.map((i) => i.inventoryId);
  const [row] = await tx.execute<{ sold: number[] | null; booking_id: string | null }>(sql`
    WITH sold AS (
      UPDATE inventory SET status = 'SOLD', hold_expires_at = NULL
      WHERE id = ${anyId(ids)} AND event_id = ${c.eventId} AND reservation_id = ${c.reservationId} AND status = 'HELD'
      RETURNING id::int AS id
    ),
    ${bookingWrites(c, sql`(SELECT count(*) FROM sold) = ${ids.length}::int`)}
    SELECT (SELECT json_agg(id) FROM sold) AS sold, (SELECT id FROM b) AS booking_id`);
  return { soldIds: (row.sold ?? []).map(Number), bookingId: row.booking_id };
}

/**
 * The CTEs that write a booking once the places are sold (`when`): booking (b), tickets,
 * reservation CONFIRMED, checkout BOOKED, event status, the confirmation email. A booking
 * reference already taken leaves b empty and writes nothing.
 */
function bookingWrites(c: Head, when: SQL, chargeId?: string): SQL {
  const ids = c.items.map((i) => i.inventoryId);
  const codes = c.items.map(() => newTicketCode());
  const link = newLinkToken();
  const confirmation = sql`SELECT u.email AS recipient, jsonb_build_object('bookingId', b.id) AS payload, 'booking_confirmed:' || b.id AS dedupe_key
    FROM b JOIN users u ON u.id = ${c.userId}`;
  const shortCodes = c.items.map(() => newShortCode());
  return sql`
    b AS (
      INSERT INTO bookings (reference, event_id, user_id, reservation_id, amount_minor, currency, access_key_hash)
      SELECT ${newBookingReference()}, ${c.eventId}, ${c.userId}, ${c.reservationId}, ${c.amountMinor}, ${c.currency}, ${link.hash}
      WHERE ${when}
      ON CONFLICT (reference) DO NOTHING
      RETURNING id, reference, status, amount_minor, currency, created_at
    ),
    t AS (
      INSERT INTO tickets (booking_id, event_id, section_id, inventory_id, code, short_code, price_minor, ticket_type_id)
      SELECT b.id, ${c.eventId}, x.section_id, x.inventory_id, x.code, x.short_code, x.price_minor, x.ticket_type_id
      FROM b, unnest(${pgArray(c.items.map((i) => i.sectionId))}::uuid[], ${pgArray(ids)}::bigint[], ${pgArray(codes)}::text[],
        ${pgArray(shortCodes)}::text[], ${pgArray(c.items.map((i) => i.priceMinor))}::int[],
        ${pgArray(c.items.map((i) => i.ticketTypeId ?? null))}::uuid[]) AS x(section_id, inventory_id, code, short_code, price_minor, ticket_type_id)
      RETURNING id, code, short_code, section_id, inventory_id, price_minor, status, ticket_type_id
    ),
    r AS (UPDATE reservations SET status = 'CONFIRMED', updated_at = now() WHERE id = ${c.reservationId} AND EXISTS (SELECT 1 FROM b)),
    ch AS (
      UPDATE checkouts SET state = 'BOOKED', booking_id = (SELECT id FROM b), updated_at = now()${chargeId === undefined ? sql`` : sql`, provider_ref = ${chargeId}::text`}
      WHERE id = ${c.id} AND EXISTS (SELECT 1 FROM b)
    ),
    ev AS (
      UPDATE events e SET status = ${statusCase(c.reservationId)}, updated_at = now()
      WHERE e.id = ${c.eventId} AND EXISTS (SELECT 1 FROM b)
        AND e.status NOT IN ('CANCELLED', 'COMPLETED') AND e.status <> ${statusCase(c.reservationId)}
    ),
    mail AS (${outboxInsertSql("booking_confirmed", confirmation, { accessKey: link.token })})`;
}

/**
 * Sells the checkout's places, fenced in the UPDATE itself. Fast path: every place still held
 * by this reservation (one statement). Otherwise the rest are locked and judged: free (available,
 * or an expired hold) → ours again; taken → for GA another free place of the section, else Taken.
 */
async function claimPlaces(tx: Tx, c: Head, soldIds: number[]): Promise<CheckoutItem[]> {
  const ids = c.items.map((i) => i.inventoryId);
  if (soldIds.length === ids.length) return c.items;

  const sold = new Set(soldIds);
  const rest = c.items.filter((i) => !sold.has(i.inventoryId));
  const rows = await tx.execute<PlaceRow>(sql`
    SELECT i.id::int AS id, i.section_id, s.kind,
           ${claimable()} AS free
    FROM inventory i JOIN event_sections s ON s.id = i.section_id
    WHERE i.id = ${anyId(rest.map((i) => i.inventoryId))} AND i.event_id = ${c.eventId}
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
      WHERE event_id = ${c.eventId} AND section_id = ${sectionId} AND id <> ALL(${bigintArray(ids.map(Number))}::bigint[])
        AND ${claimable("")}
      ORDER BY seq LIMIT ${items.length}::int
      FOR UPDATE SKIP LOCKED`);
    if (spare.length < items.length) throw new Taken();
    items.forEach((item, i) => reclaim.push({ ...item, inventoryId: spare[i].id }));
  }
  // The fence again, in the UPDATE: only places that are still free are taken.
  const taken = await tx.execute(sql`
    UPDATE inventory SET status = 'SOLD', reservation_id = ${c.reservationId}, hold_expires_at = NULL
    WHERE id = ${anyId(reclaim.map((p) => p.inventoryId))} AND event_id = ${c.eventId}
      AND ${claimable("")}
    RETURNING id`);
  if (taken.length !== reclaim.length) throw new Taken();
  return [...final, ...reclaim];
}

async function insertBooking(tx: Tx, c: Head, accessKeyHash: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [b] = await tx
      .insert(bookings)
      .values({
        reference: newBookingReference(),
        eventId: c.eventId,
        userId: c.userId,
        reservationId: c.reservationId,
        amountMinor: c.amountMinor,
        currency: c.currency,
        accessKeyHash,
      })
      .onConflictDoNothing({ target: bookings.reference })
      .returning({ id: bookings.id });
    if (b) return b;
  }
  throw new Error("could not find a free booking reference in 5 attempts");
}
