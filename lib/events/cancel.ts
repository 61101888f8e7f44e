import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings, checkouts, events } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { finishRefund, insertRefund } from "@/lib/checkout/compensate";
import { fail, type Failure } from "@/lib/errors";
import { mayManageEvent } from "@/lib/auth/event-access";
import { isUuid } from "@/lib/ids";
import { FREE_PLACE } from "@/lib/inventory/places";
import { log } from "@/lib/log";
import { wakeMailer } from "@/lib/mail/loop";
import { enqueueMail } from "@/lib/mail/outbox";

// Cancelling an event: the organizer of that event (or an admin) stops it for good. The event
// turns CANCELLED under its row lock, which waits for every checkout transaction in flight (they
// hold KEY SHARE on the event row), and after which no booking can be written: a payment that
// lands later is refunded by the saga. Then every booking is cancelled and refunded exactly
// once — each under its own row lock, with one REFUND row per checkout (unique) and the
// provider refunding once per key — so running this twice, even at the same time, refunds
// nothing twice. Every step leaves an audit_log row (who, what, when; the event named by its title),
// and every cancelled booking's customer gets an email queued in the same transaction
// (lib/mail/outbox.ts).

export type CancelResult = { ok: true; alreadyCancelled: boolean; bookingsCancelled: number; refundsPending: number };

export async function cancelEvent(actor: Actor, eventId: string): Promise<CancelResult | Failure> {
  if (!isUuid(eventId)) return notFound();
  const [event] = await db().select({ organizerId: events.organizerId, title: events.title }).from(events).where(eq(events.id, eventId));
  if (!event || !mayManageEvent(actor, event)) return notFound();

  const outcome = await db().transaction(async (tx) => {
    const [e] = await tx.execute<{ status: string }>(sql`SELECT status FROM events WHERE id = ${eventId} FOR UPDATE`);
    if (e.status === "CANCELLED") return "already" as const;
    if (e.status === "COMPLETED") return "completed" as const;
    await tx
      .update(events)
      .set({ status: "CANCELLED", version: sql`${events.version} + 1`, updatedAt: sql`now()` })
      .where(eq(events.id, eventId));
    await writeAudit(tx, {
      actorId: actor.id,
      action: "event.cancel",
      targetType: "event",
      targetId: eventId,
      details: { previousStatus: e.status, title: event.title },
    });
    return "cancelled" as const;
  });
  if (outcome === "completed") return fail("conflict", "This event has already taken place and can no longer be cancelled.");

  let bookingsCancelled = 0;
  for (;;) {
    const batch = await db()
      .select({ id: bookings.id })
      .from(bookings)
      .where(and(eq(bookings.eventId, eventId), eq(bookings.status, "CONFIRMED")))
      .limit(100);
    if (batch.length === 0) break;
    for (const b of batch) if (await cancelBooking(actor, b.id, "event_cancelled", { eventId, eventTitle: event.title })) bookingsCancelled++;
  }
  if (bookingsCancelled > 0) wakeMailer();

  // Finish every refund of this event still pending (ours, or one a crashed run left behind).
  const pending = await db().execute<{ checkout_id: string }>(sql`
    SELECT p.checkout_id FROM payments p JOIN checkouts c ON c.id = p.checkout_id
    WHERE c.event_id = ${eventId} AND p.kind = 'REFUND' AND p.status = 'PENDING'`);
  let refundsPending = 0;
  for (const p of pending) {
    try {
      await finishRefund(p.checkout_id);
    } catch (err) {
      refundsPending++; // the checkout sweep finishes it
      log.warn("cancel.refund_deferred", { eventId, checkoutId: p.checkout_id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ok: true, alreadyCancelled: outcome === "already", bookingsCancelled, refundsPending };
}

/**
 * Cancels one booking: tickets void, places back, a PENDING refund recorded — in one
 * transaction under the booking's row lock. Returns false if it was not CONFIRMED (done before).
 */
async function cancelBooking(actor: Actor, bookingId: string, reason: string, about: { eventId: string; eventTitle: string }): Promise<boolean> {
  return db().transaction(async (tx) => {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (b.status !== "CONFIRMED") return false;
    await tx
      .update(bookings)
      .set({ status: "CANCELLED", cancelledAt: sql`now()` })
      .where(eq(bookings.id, b.id));
    // USED tickets lose their check-in mark: a void ticket is never "used" (tickets_checkin_consistent).
    await tx.execute(sql`
      WITH voided AS (
        UPDATE tickets SET status = 'VOID', checked_in_at = NULL WHERE booking_id = ${b.id} AND status <> 'VOID' RETURNING inventory_id
      )
      UPDATE inventory SET ${FREE_PLACE}
      WHERE id IN (SELECT inventory_id FROM voided) AND status = 'SOLD'`);
    const [checkout] = await tx.select().from(checkouts).where(eq(checkouts.bookingId, b.id)).for("update");
    if (checkout && b.amountMinor > 0) await insertRefund(tx, checkout);
    const [notice] = await tx.execute<{ email: string; title: string; starts_at: string }>(sql`
      SELECT u.email, e.title, to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS starts_at FROM users u, events e WHERE u.id = ${b.userId} AND e.id = ${b.eventId}`);
    await enqueueMail(tx, {
      kind: "event_cancelled",
      recipient: notice.email,
      payload: {
        bookingId: b.id,
        reference: b.reference,
        eventTitle: notice.title,
        startsAt: notice.starts_at,
        amountMinor: b.amountMinor,
        currency: b.currency.trim(),
        refund: b.amountMinor > 0,
      },
      dedupeKey: `event_cancelled:${b.id}`,
    });
    await writeAudit(tx, {
      actorId: actor.id,
      action: "booking.refund",
      targetType: "booking",
      targetId: b.id,
      details: { reference: b.reference, ...about, amountMinor: b.amountMinor, currency: b.currency, reason, refund: b.amountMinor > 0 },
    });
    return true;
  });
}

function notFound() {
  return fail("not_found", "No such event.");
}
