import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings, events } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { mayManageEvent } from "@/lib/auth/event-access";
import { isUuid } from "@/lib/ids";
import { wakeMailer } from "@/lib/mail/loop";
import { lockBooking, recordRefund } from "@/lib/refunds/record";
import { pendingRefundPayments, trySettleRefund } from "@/lib/refunds/settle";

// Cancelling an event: the organizer of that event (or an admin) stops it for good. The event
// turns CANCELLED under its row lock, which waits for every checkout transaction in flight (they
// hold KEY SHARE on the event row), and after which no booking can be written: a payment that
// lands later is refunded by the saga. Then every booking is cancelled and refunded exactly
// once — each under its own row lock, as one refund of all its live tickets (a ticket is in at
// most one refund, lib/refunds/record.ts) and the provider refunding once per key — so running
// this twice, even at the same time, refunds nothing twice. Every step leaves an audit_log row (who, what, when; the event named by its title),
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
    for (const b of batch) if (await cancelBooking(actor, b.id, "event_cancelled")) bookingsCancelled++;
  }
  if (bookingsCancelled > 0) wakeMailer();

  // Finish every refund of this event still pending (ours, or one a crashed run left behind).
  let refundsPending = 0;
  for (const id of await pendingRefundPayments({ eventId, limit: 10_000 })) if (!(await trySettleRefund(id))) refundsPending++; // the sweep finishes it
  return { ok: true, alreadyCancelled: outcome === "already", bookingsCancelled, refundsPending };
}

/**
 * Cancels one booking through the refund of all its tickets (lib/refunds/record.ts): tickets
 * void (checked-in ones too), places back, a PENDING refund of what is still paid for, the
 * cancellation notice and the audit entry — in one transaction under the booking's row lock.
 * Returns false if it was not CONFIRMED (done before).
 */
async function cancelBooking(actor: Actor, bookingId: string, reason: string): Promise<boolean> {
  return db().transaction(async (tx) => {
    const b = await lockBooking(tx, bookingId);
    if (!b || b.status !== "CONFIRMED") return false;
    const r = await recordRefund(tx, b, { actorId: actor.id, kind: "EVENT_CANCELLED", reason, includeUsed: true });
    return r.ok;
  });
}

function notFound() {
  return fail("not_found", "No such event.");
}
