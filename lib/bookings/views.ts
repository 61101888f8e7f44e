import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { isoTs } from "@/lib/sql";
import { bookings, eventSections, events, inventory, tickets, ticketTypes } from "@/db/schema";
import { ticketQrPayload } from "@/lib/tickets";

export type TicketView = {
  id: string;
  sectionName: string;
  rowLabel: string | null;
  seatNumber: string | null;
  priceMinor: number;
  ticketTypeId: string | null; // null: the section's own price (no ticket types)
  ticketTypeName: string | null;
  status: "VALID" | "USED" | "VOID";
  qrPayload: string;
  shortCode: string; // canonical ("K7Q2M9XDP"); shown as formatShortCode() gives it
};

/** A refund of some or all of a booking's tickets (lib/refunds), as the customer sees it. */
export type BookingRefundView = {
  id: string;
  kind: "ORGANIZER" | "CUSTOMER" | "EVENT_CANCELLED";
  reason: string;
  createdAt: string;
  ticketIds: string[];
  ticketsMinor: number;
  feeMinor: number;
  amountMinor: number;
  status: "REFUNDED" | "PENDING" | "NONE";
};

export type BookingView = {
  id: string;
  reference: string;
  eventId: string;
  eventTitle: string;
  startsAt: string;
  venueName: string;
  timeZone: string; // the venue's: the start is shown on its clock
  status: "CONFIRMED" | "CANCELLED";
  amountMinor: number;
  currency: string;
  createdAt: string;
  tickets: TicketView[];
  refunds: BookingRefundView[];
  // The discount code it was paid with (docs/promo-codes.md); amountMinor and the tickets' prices are after it.
  promo: { code: string; discountMinor: number } | null;
};

// The code a booking's checkout applied, read in the booking's own query. By the checkout (its
// promo_code_id is set when it starts), so a booking written in the same statement finds it too.
const promoOfCheckout = (where: SQL) => sql<BookingView["promo"]>`(
  SELECT json_build_object('code', pc.code, 'discountMinor', c.discount_minor)
  FROM checkouts c JOIN promo_codes pc ON pc.id = c.promo_code_id
  WHERE ${where} LIMIT 1)`;

// The code a booking was made with, by its redemption (one per booking, whichever channel: the
// checkout's booking writes it by trigger, a box-office order itself; docs/promo-codes.md).
const promoOfBooking = (bookingId: SQL | typeof bookings.id) => sql<BookingView["promo"]>`(
  SELECT json_build_object('code', pc.code, 'discountMinor', r.discount_minor)
  FROM promo_redemptions r JOIN promo_codes pc ON pc.id = r.code_id
  WHERE r.booking_id = ${bookingId})`;

// A booking's refunds, oldest first, read in the booking's own query (no extra round trip). The
// status comes from the refund's money movement: none when nothing was paid back.
const refundsOf = sql<BookingRefundView[]>`(
  SELECT coalesce(json_agg(json_build_object(
      'id', r.id, 'kind', r.kind, 'reason', r.reason,
      'createdAt', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'ticketIds', (SELECT coalesce(json_agg(rt.ticket_id ORDER BY rt.ticket_id), '[]'::json) FROM refund_tickets rt WHERE rt.refund_id = r.id),
      'ticketsMinor', r.tickets_minor, 'feeMinor', r.fee_minor, 'amountMinor', r.amount_minor,
      'status', CASE WHEN p.id IS NULL THEN 'NONE' WHEN p.status = 'SUCCEEDED' THEN 'REFUNDED' ELSE 'PENDING' END
    ) ORDER BY r.created_at, r.id), '[]'::json)
  FROM refunds r LEFT JOIN payments p ON p.refund_id = r.id
  WHERE r.booking_id = ${bookings.id})`;

/** A booking view as SQL builds it (bookingViewJson): the view without the tickets' QR payloads. */
export type BookingViewRow = Omit<BookingView, "tickets"> & { tickets: (Omit<TicketView, "qrPayload"> & { code: string })[] };

/**
 * The view of a booking just written in the same statement, as one JSON value: `b` a CTE that
 * returned the booking (id, reference, status, amount_minor, currency, created_at), `t` one that
 * returned its tickets (id, code, short_code, section_id, inventory_id, price_minor, status, ticket_type_id). The same
 * fields and ticket order as loadBookingViews; bookingViewOf adds the QR payloads.
 */
export function bookingViewJson(b: SQL, t: SQL, eventId: string, checkoutId: string): SQL {
  return sql`(SELECT json_build_object(
      'id', bb.id, 'reference', bb.reference, 'eventId', e.id, 'eventTitle', e.title, 'startsAt', ${isoTs(sql`e.starts_at`)},
      'venueName', e.venue_name, 'timeZone', e.time_zone, 'status', bb.status, 'amountMinor', bb.amount_minor, 'currency', bb.currency,
      'createdAt', ${isoTs(sql`bb.created_at`)}, 'refunds', '[]'::json, 'promo', ${promoOfCheckout(sql`c.id = ${checkoutId}::uuid`)},
      'tickets', (SELECT coalesce(json_agg(json_build_object(
          'id', tt.id, 'code', tt.code, 'sectionName', s.name, 'rowLabel', i.row_label, 'seatNumber', i.seat_number,
          'priceMinor', tt.price_minor, 'ticketTypeId', tt.ticket_type_id, 'ticketTypeName', ty.name,
          'status', tt.status, 'shortCode', tt.short_code) ORDER BY s.sort_order, i.seq), '[]')
        FROM ${t} tt JOIN event_sections s ON s.id = tt.section_id JOIN inventory i ON i.id = tt.inventory_id
          LEFT JOIN ticket_types ty ON ty.id = tt.ticket_type_id))
    FROM ${b} bb JOIN events e ON e.id = ${eventId}::uuid)`;
}

export function bookingViewOf(row: BookingViewRow): BookingView {
  return {
    ...row,
    currency: row.currency.trim(),
    tickets: row.tickets.map(({ code, shortCode, ...t }) => ({ ...t, qrPayload: ticketQrPayload({ id: t.id, code }), shortCode })),
  };
}

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
      timeZone: events.timeZone,
      status: bookings.status,
      amountMinor: bookings.amountMinor,
      currency: bookings.currency,
      createdAt: bookings.createdAt,
      refunds: refundsOf,
      promo: promoOfBooking(bookings.id),
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
      ticketTypeId: tickets.ticketTypeId,
      ticketTypeName: ticketTypes.name,
      status: tickets.status,
    })
    .from(tickets)
    .innerJoin(eventSections, eq(eventSections.id, tickets.sectionId))
    .innerJoin(inventory, eq(inventory.id, tickets.inventoryId))
    .leftJoin(ticketTypes, eq(ticketTypes.id, tickets.ticketTypeId))
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
      ticketTypeId: t.ticketTypeId,
      ticketTypeName: t.ticketTypeName,
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
