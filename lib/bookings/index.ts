import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db";
import { bookings, events } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { mayManageEvent } from "@/lib/auth/event-access";
import { normalizeReference } from "./reference";
import { bookingsOf, loadBookingViews, upcomingOrPast, type BookingView } from "./views";

export type { BookingView, TicketView } from "./views";
export { formatReference, newBookingReference, normalizeReference } from "./reference";
export { loadBookingView } from "./views";

// Who may see a booking: its customer and whoever may manage its event (lib/auth/event-access.ts).
// Anyone else gets null (the route answers 404), so references cannot be probed.

export async function getBookingByReference(actor: Actor, reference: string): Promise<BookingView | null> {
  const ref = normalizeReference(reference);
  if (!ref) return null;
  const [row] = await db()
    .select({ id: bookings.id, userId: bookings.userId, organizerId: events.organizerId })
    .from(bookings)
    .innerJoin(events, eq(events.id, bookings.eventId))
    .where(eq(bookings.reference, ref))
    .limit(1);
  if (!row) return null;
  const allowed = row.userId === actor.id || mayManageEvent(actor, row);
  if (!allowed) return null;
  const [view] = await loadBookingViews(db(), eq(bookings.id, row.id));
  return view ?? null;
}

/** The actor's own bookings; upcoming (event not yet over) soonest first, past latest first. */
export async function listMyBookings(actor: Actor, opts: { when?: "upcoming" | "past" } = {}): Promise<BookingView[]> {
  const { where, order } = upcomingOrPast(opts.when);
  return loadBookingViews(db(), and(bookingsOf(actor.id), where), order);
}
