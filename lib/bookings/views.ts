import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { bookings, eventSections, events, inventory, tickets } from "@/db/schema";
import { ticketQrPayload } from "@/lib/tickets";

export type TicketView = {
  id: string;
  sectionName: string;
  rowLabel: string | null;
  seatNumber: string | null;
  priceMinor: number;
  status: "VALID" | "USED" | "VOID";
  qrPayload: string;
  shortCode: string; // canonical ("K7Q2M9XDP"); shown as formatShortCode() gives it
};

export type BookingView = {
  id: string;
  reference: string;
  eventId: string;
  eventTitle: string;
  startsAt: string;
  venueName: string;
  status: "CONFIRMED" | "CANCELLED";
  amountMinor: number;
  currency: string;
  createdAt: string;
  tickets: TicketView[];
};

/** Bookings matching `where` (over bookings joined with events), with their tickets. No access check: callers do that. */
export async function loadBookingViews(q: DbOrTx, where: SQL | undefined, order: SQL[] = [desc(bookings.createdAt)]): Promise<BookingView[]> {
  const rows = await q
    .select({
      id: bookings.id,
      reference: bookings.reference,
      eventId: bookings.eventId,
      eventTitle: events.title,
      startsAt: events.startsAt,
      venueName: events.venueName,
      status: bookings.status,
      amountMinor: bookings.amountMinor,
      currency: bookings.currency,
      createdAt: bookings.createdAt,
    })
    .from(bookings)
    .innerJoin(events, eq(events.id, bookings.eventId))
    .where(where)
    .orderBy(...order, asc(bookings.id));
  if (rows.length === 0) return [];
  const ticketRows = await q
    .select({
      bookingId: tickets.bookingId,
      id: tickets.id,
      code: tickets.code,
      shortCode: tickets.shortCode,
      sectionName: eventSections.name,
      rowLabel: inventory.rowLabel,
      seatNumber: inventory.seatNumber,
      priceMinor: tickets.priceMinor,
      status: tickets.status,
    })
    .from(tickets)
    .innerJoin(eventSections, eq(eventSections.id, tickets.sectionId))
    .innerJoin(inventory, eq(inventory.id, tickets.inventoryId))
    .where(
      inArray(
        tickets.bookingId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(eventSections.sortOrder), asc(inventory.seq));
  const byBooking = new Map<string, TicketView[]>();
  for (const t of ticketRows) {
    const list = byBooking.get(t.bookingId) ?? [];
    list.push({
      id: t.id,
      sectionName: t.sectionName,
      rowLabel: t.rowLabel,
      seatNumber: t.seatNumber,
      priceMinor: t.priceMinor,
      status: t.status,
      qrPayload: ticketQrPayload({ id: t.id, code: t.code }),
      shortCode: t.shortCode,
    });
    byBooking.set(t.bookingId, list);
  }
  return rows.map((r) => ({
    ...r,
    currency: r.currency.trim(),
    startsAt: r.startsAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    tickets: byBooking.get(r.id) ?? [],
  }));
}

export async function loadBookingView(q: DbOrTx, bookingId: string): Promise<BookingView | null> {
  const [view] = await loadBookingViews(q, eq(bookings.id, bookingId));
  return view ?? null;
}

export function upcomingOrPast(when: "upcoming" | "past" | undefined): { where: SQL | undefined; order: SQL[] } {
  if (when === "upcoming") return { where: sql`${events.endsAt} >= now()`, order: [asc(events.startsAt)] };
  if (when === "past") return { where: sql`${events.endsAt} < now()`, order: [desc(events.startsAt)] };
  return { where: undefined, order: [desc(bookings.createdAt)] };
}

export const bookingsOf = (userId: string, extra?: SQL) => and(eq(bookings.userId, userId), extra);
