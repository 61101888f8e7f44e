import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db";
import { bookings } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { normalizeReference, type BookingView } from "@/lib/bookings";
import { loadBookingViews } from "@/lib/bookings/views";
import { isoTs } from "@/lib/sql";
import { bookingSearchSchema } from "./schemas";

// The organizer's side of refunds (docs/refunds.md): finding a booking of one of their events
// (by reference, the customer's email or name) and reading it with what a refund needs — who
// the customer is, whether money was paid (a free or box-office booking has nothing to send
// back to a card), each ticket's state and the booking's past refunds. Only the event's
// organizer (current role) or an admin; anyone else reads nothing, as for a missing event.
// Refunding itself is refundTickets (./refund.ts), the same use case as the REST route.

export type BookingHit = {
  reference: string;
  status: "CONFIRMED" | "CANCELLED";
  customerName: string;
  customerEmail: string;
  tickets: number;
  liveTickets: number;
  amountMinor: number;
  currency: string;
  createdAt: string;
};

const MAX_HITS = 50;

/** Bookings of a managed event matching `query` (all of them, newest first, when empty); null when the event is not theirs. */
export async function searchEventBookings(actor: Actor, eventId: string, query: unknown): Promise<{ query: string; hits: BookingHit[] } | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const parsed = bookingSearchSchema.safeParse(query ?? "");
  const q = parsed.success ? parsed.data : "";
  const ref = q ? normalizeReference(q) : null;
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const match = q ? sql`AND (${ref ? sql`b.reference = ${ref} OR` : sql``} u.email ILIKE ${like} OR u.name ILIKE ${like} OR b.reference ILIKE ${like})` : sql``;
  const rows = await db().execute<BookingHit>(sql`
    SELECT b.reference, b.status, u.name AS "customerName", u.email AS "customerEmail", trim(b.currency) AS currency, b.amount_minor AS "amountMinor",
      (SELECT count(*)::int FROM tickets t WHERE t.booking_id = b.id) AS tickets,
      (SELECT count(*)::int FROM tickets t WHERE t.booking_id = b.id AND t.status <> 'VOID') AS "liveTickets",
      ${isoTs(sql`b.created_at`)} AS "createdAt"
    FROM bookings b JOIN users u ON u.id = b.user_id
    WHERE b.event_id = ${event.id} ${match}
    ORDER BY b.created_at DESC, b.id LIMIT ${MAX_HITS}`);
  return { query: q, hits: [...rows] };
}

export type StaffBookingView = BookingView & {
  customerName: string;
  customerEmail: string;
  /** A card was charged for it: a refund sends money back. False for free and box-office bookings. */
  paid: boolean;
};

/** One booking of a managed event, by reference; null when the event is not theirs or the booking not of it. */
export async function getStaffBooking(actor: Actor, eventId: string, reference: string): Promise<StaffBookingView | null> {
  const event = await findManagedEvent(actor, eventId);
  const ref = normalizeReference(reference);
  if (!event || !ref) return null;
  const [view] = await loadBookingViews(db(), and(eq(bookings.eventId, event.id), eq(bookings.reference, ref)));
  if (!view) return null;
  const [who] = await db().execute<{ name: string; email: string; paid: boolean }>(sql`
    SELECT u.name, u.email, EXISTS (
        SELECT 1 FROM checkouts c JOIN payments p ON p.checkout_id = c.id
        WHERE c.booking_id = b.id AND p.kind = 'CHARGE' AND p.status = 'SUCCEEDED') AS paid
    FROM bookings b JOIN users u ON u.id = b.user_id WHERE b.id = ${view.id}`);
  return { ...view, customerName: who.name, customerEmail: who.email, paid: who.paid };
}
