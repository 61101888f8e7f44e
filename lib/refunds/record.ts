import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { refunds, refundTickets, type Refund } from "@/db/schema";
import { writeAudit } from "@/lib/audit/write";
import { formatReference } from "@/lib/bookings/reference";
import { fail, type Failure } from "@/lib/errors";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { FREE_PLACE } from "@/lib/inventory/places";
import { enqueueMail } from "@/lib/mail/outbox";
import { bigintArray, isoTsSeconds } from "@/lib/sql";

// Recording a refund of a booking's tickets, in the caller's transaction, all or nothing
// (docs/refunds.md): the booking row is locked first, so two refunds of the same booking run one
// after the other and the second sees the first one's VOID tickets (and refund_tickets' unique
// index on ticket_id stands behind that: a ticket is refunded at most once). In one transaction:
// the tickets turn VOID, their places go back on sale (AVAILABLE), the booking is CANCELLED when
// no live ticket is left, the refund and its tickets are written, the money movement is recorded
// PENDING with its own idempotency key, the customer's email is queued and the audit trail
// written. The money moves after the commit (./settle.ts); whoever comes next finishes it if
// that step is interrupted.

export type RefundKind = Refund["kind"];

export type RefundRequest = {
  actorId: string | null;
  kind: RefundKind;
  reason: string;
  ticketIds?: string[]; // omitted: every live ticket of the booking
  includeUsed?: boolean; // tickets already checked in are refunded too (event cancelled)
  fee?: (ticketsMinor: number) => number;
};

export type LockedBooking = {
  id: string;
  reference: string;
  status: "CONFIRMED" | "CANCELLED";
  eventId: string;
  userId: string;
  reservationId: string;
  currency: string;
  email: string;
  eventTitle: string;
  startsAt: string;
  timeZone: string;
};

export type RefundedTicket = { id: string; label: string; priceMinor: number };
export type RecordedRefund = { ok: true; refund: Refund; paymentId: string | null; tickets: RefundedTicket[]; bookingCancelled: boolean };

type TicketRow = { id: string; status: "VALID" | "USED" | "VOID"; price_minor: number; inventory_id: number; label: string };

/** Locks and reads the booking (with its customer's address and event): the first lock of every refund. */
export async function lockBooking(tx: Tx, bookingId: string): Promise<LockedBooking | null> {
  const [b] = await tx.execute<LockedBooking>(sql`
    SELECT b.id, b.reference, b.status, b.event_id AS "eventId", b.user_id AS "userId", b.reservation_id AS "reservationId",
           trim(b.currency) AS currency, u.email, e.title AS "eventTitle",
           ${isoTsSeconds(sql`e.starts_at`)} AS "startsAt", e.time_zone AS "timeZone"
    FROM bookings b JOIN users u ON u.id = b.user_id JOIN events e ON e.id = b.event_id
    WHERE b.id = ${bookingId}
    FOR UPDATE OF b`);
  return b ?? null;
}

export async function recordRefund(tx: Tx, b: LockedBooking, req: RefundRequest): Promise<RecordedRefund | Failure> {
  if (b.status !== "CONFIRMED") return fail("conflict", `Booking ${formatReference(b.reference)} was already cancelled and refunded.`);
  const rows = await tx.execute<TicketRow>(sql`
    SELECT t.id, t.status, t.price_minor, t.inventory_id::int AS inventory_id,
           s.name || CASE WHEN i.row_label IS NOT NULL THEN ', row ' || i.row_label || ', seat ' || i.seat_number ELSE '' END AS label
    FROM tickets t JOIN event_sections s ON s.id = t.section_id JOIN inventory i ON i.id = t.inventory_id
    WHERE t.booking_id = ${b.id}
    ORDER BY s.sort_order, i.seq
    FOR UPDATE OF t`);
  const picked = pickTickets(rows, req);
  if (!picked.ok) return picked;
  const targets = picked.tickets;

  const ticketsMinor = targets.reduce((sum, t) => sum + t.price_minor, 0);
  const feeMinor = Math.max(0, Math.min(ticketsMinor, Math.floor(req.fee?.(ticketsMinor) ?? 0)));
  const amountMinor = ticketsMinor - feeMinor;
  const ids = targets.map((t) => t.id);
  const places = targets.map((t) => t.inventory_id);

  // USED tickets lose their check-in mark: a void ticket is never "used" (tickets_checkin_consistent).
  await tx.execute(sql`
    WITH voided AS (
      UPDATE tickets SET status = 'VOID', checked_in_at = NULL WHERE id = ANY(${pgUuids(ids)}::uuid[]) AND status <> 'VOID' RETURNING id
    )
    UPDATE inventory SET ${FREE_PLACE}
    WHERE id = ANY(${bigintArray(places)}::bigint[]) AND event_id = ${b.eventId} AND status = 'SOLD'`);
  const bookingCancelled = rows.every((t) => t.status === "VOID" || ids.includes(t.id));
  if (bookingCancelled) await tx.execute(sql`UPDATE bookings SET status = 'CANCELLED', cancelled_at = now() WHERE id = ${b.id}`);

  const [checkout] = await tx.execute<{ id: string; provider: string; charged: boolean }>(sql`
    SELECT c.id, c.provider,
           EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'CHARGE' AND p.status = 'SUCCEEDED') AS charged
    FROM checkouts c WHERE c.booking_id = ${b.id}`);
  const [refund] = await tx
    .insert(refunds)
    .values({
      bookingId: b.id,
      eventId: b.eventId,
      checkoutId: checkout?.id ?? null,
      actorId: req.actorId,
      kind: req.kind,
      reason: req.reason,
      ticketsMinor,
      feeMinor,
      amountMinor,
      currency: b.currency,
    })
    .returning();
  await tx.insert(refundTickets).values(targets.map((t) => ({ refundId: refund.id, ticketId: t.id, priceMinor: t.price_minor })));

  let paymentId: string | null = null;
  if (amountMinor > 0 && checkout?.charged) {
    const key = `refund_${refund.id}`;
    const [p] = await tx.execute<{ id: string }>(sql`
      INSERT INTO payments (checkout_id, kind, provider, provider_ref, amount_minor, currency, status, refund_id, idempotency_key)
      VALUES (${checkout.id}, 'REFUND', ${checkout.provider}, ${key}, ${amountMinor}, ${b.currency}, 'PENDING', ${refund.id}, ${key})
      RETURNING id`);
    paymentId = p.id;
  }

  const tickets = targets.map((t) => ({ id: t.id, label: t.label, priceMinor: t.price_minor }));
  await tellCustomer(tx, b, refund, tickets, bookingCancelled, paymentId !== null);
  await writeAudit(tx, {
    actorId: req.actorId,
    action: req.kind === "CUSTOMER" ? "booking.cancel" : "booking.refund",
    targetType: "booking",
    targetId: b.id,
    details: {
      reference: b.reference,
      eventId: b.eventId,
      eventTitle: b.eventTitle,
      kind: req.kind,
      reason: req.reason,
      tickets: tickets.map((t) => t.label),
      ticketsMinor,
      feeMinor,
      amountMinor,
      currency: b.currency,
      refund: amountMinor > 0,
      bookingCancelled,
    },
  });
  await refreshEventStatuses(tx, b.eventId);
  return { ok: true, refund, paymentId, tickets, bookingCancelled };
}

function pickTickets(rows: TicketRow[], req: RefundRequest): { ok: true; tickets: TicketRow[] } | Failure {
  const refundable = (t: TicketRow) => t.status === "VALID" || (req.includeUsed && t.status === "USED");
  if (!req.ticketIds) {
    const live = rows.filter(refundable);
    if (live.length > 0) return { ok: true, tickets: live };
    const used = rows.filter((t) => t.status === "USED");
    return used.length
      ? fail("conflict", `Nothing left to refund: the remaining tickets were checked in at the door (${labels(used)}).`)
      : fail("conflict", "Nothing left to refund: every ticket of this booking was already refunded.");
  }
  const byId = new Map(rows.map((t) => [t.id, t]));
  const unknown = req.ticketIds.filter((id) => !byId.has(id));
  if (unknown.length)
    return fail("validation_failed", "Some tickets are not part of this booking.", { fields: { ticketIds: [`Not in this booking: ${unknown.join(", ")}`] } });
  const wanted = [...new Set(req.ticketIds)].map((id) => byId.get(id)!);
  const gone = wanted.filter((t) => t.status === "VOID");
  if (gone.length) return fail("conflict", `Already refunded: ${labels(gone)}. Nothing was changed.`);
  const used = wanted.filter((t) => !refundable(t));
  if (used.length) return fail("conflict", `Checked in at the door, so not refundable here: ${labels(used)}. Nothing was changed.`);
  return { ok: true, tickets: rows.filter((t) => wanted.includes(t)) };
}

// byCard: the money goes back to the card it was paid with; false for a booking paid at the box
// office, whose money the organizer returns there (the email must not promise a card refund).
async function tellCustomer(tx: Tx, b: LockedBooking, refund: Refund, tickets: RefundedTicket[], bookingCancelled: boolean, byCard: boolean) {
  const common = {
    bookingId: b.id,
    reference: b.reference,
    eventTitle: b.eventTitle,
    startsAt: b.startsAt,
    timeZone: b.timeZone,
    currency: b.currency,
    byCard,
  };
  if (refund.kind === "EVENT_CANCELLED") {
    await enqueueMail(tx, {
      kind: "event_cancelled",
      recipient: b.email,
      payload: { ...common, amountMinor: refund.amountMinor, refund: refund.amountMinor > 0 },
      dedupeKey: `event_cancelled:${b.id}`,
    });
    return;
  }
  await enqueueMail(tx, {
    kind: "booking_refunded",
    recipient: b.email,
    payload: {
      ...common,
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      feeMinor: refund.feeMinor,
      cancelledByCustomer: refund.kind === "CUSTOMER",
      bookingCancelled,
      reason: refund.kind === "CUSTOMER" ? undefined : refund.reason,
      tickets: tickets.map((t) => t.label),
    },
    dedupeKey: `booking_refunded:${refund.id}`,
  });
}

const labels = (ts: TicketRow[]) => ts.map((t) => t.label).join("; ");
const pgUuids = (ids: string[]) => `{${ids.join(",")}}`;
