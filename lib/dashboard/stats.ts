import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Event } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import type { BoxOfficeMethod } from "@/lib/box-office/schemas";
import { heldNow } from "@/lib/inventory/places";
import { eventCodeCounts, type DashboardCode } from "@/lib/promo-codes/counts";

// The live sales dashboard of one event, read straight from Postgres (no cache: staff poll it
// every few seconds, which costs a handful of indexed queries). Counts follow the one expiry
// rule: a HELD place counts as held only while hold_expires_at > now() (database clock).

export type DashboardSection = {
  id: string;
  name: string;
  kind: "ASSIGNED" | "GA";
  color: string;
  capacity: number;
  priceMinor: number;
  sold: number;
  held: number;
  blocked: number; // kept off sale by the organizer
  hidden: boolean; // offered only to holders of an access code naming it (docs/promo-codes.md)
  available: number;
  revenueMinor: number;
};
/** Sales per ticket type (docs/box-office.md); none for an event without types. */
export type DashboardTicketType = { id: string; name: string; sold: number; revenueMinor: number; limit: number | null; retired: boolean };
export type SalesBucket = { at: string; tickets: number; revenueMinor: number };
export type RecentBooking = {
  reference: string;
  customerName: string;
  customerEmail: string;
  tickets: number;
  amountMinor: number;
  status: "CONFIRMED" | "CANCELLED";
  method: BoxOfficeMethod | null; // a box-office order's payment method; null for web sales
  createdAt: string;
};

export type Dashboard = {
  event: {
    id: string;
    title: string;
    status: Event["status"];
    published: boolean;
    startsAt: string;
    endsAt: string;
    saleStartsAt: string;
    saleEndsAt: string;
    currency: string;
    venueName: string;
    timeZone: string;
    version: number;
  };
  generatedAt: string;
  sections: DashboardSection[];
  ticketTypes: DashboardTicketType[];
  /** Discount and access codes with their counts (docs/promo-codes.md); none for an event without codes. */
  codes: DashboardCode[];
  totals: {
    capacity: number;
    sold: number;
    held: number;
    blocked: number;
    available: number;
    revenueMinor: number;
    boxOfficeMinor: number; // the part of revenueMinor taken at the desk (cash, card at the desk)
    compPlaces: number; // places given away (complimentary, invitation): sold, but no revenue
    refundedMinor: number;
    bookings: number;
    cancelledBookings: number;
    checkedIn: number;
  };
  sales: { bucketSeconds: number; buckets: SalesBucket[] };
  recent: RecentBooking[];
};

const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const STEPS = [60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400];
const MAX_BUCKETS = 48;

/** The smallest step that covers `spanSeconds` in at most 48 buckets. */
export function bucketSeconds(spanSeconds: number): number {
  return STEPS.find((s) => spanSeconds / s <= MAX_BUCKETS) ?? STEPS[STEPS.length - 1];
}

export async function getEventDashboard(actor: Actor, eventId: string): Promise<Dashboard | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const [sections, [money], recent, [range], types, codes] = await Promise.all([
    db().execute<Omit<DashboardSection, "available"> & { places: number }>(sql`
      SELECT s.id, s.name, s.kind, s.color, s.capacity, s.price_minor AS "priceMinor", s.hidden,
        count(i.id)::int AS places,
        (count(*) FILTER (WHERE i.status = 'SOLD'))::int AS sold,
        (count(*) FILTER (WHERE ${heldNow()}))::int AS held,
        (count(*) FILTER (WHERE i.status = 'BLOCKED'))::int AS blocked,
        (SELECT coalesce(sum(t.price_minor), 0)::int FROM tickets t WHERE t.section_id = s.id AND t.status <> 'VOID') AS "revenueMinor"
      FROM event_sections s
      LEFT JOIN inventory i ON i.event_id = s.event_id AND i.section_id = s.id
      WHERE s.event_id = ${event.id}
      GROUP BY s.id
      ORDER BY s.sort_order`),
    db().execute<{
      revenue: number;
      box_office: number;
      comps: number;
      refunded: number;
      bookings: number;
      cancelled: number;
      checked_in: number;
      now: string;
    }>(sql`
      SELECT
        (SELECT coalesce(sum(amount_minor), 0)::int FROM bookings WHERE event_id = ${event.id} AND status = 'CONFIRMED') AS revenue,
        (SELECT coalesce(sum(amount_minor), 0)::int FROM bookings WHERE event_id = ${event.id} AND status = 'CONFIRMED' AND payment_method IS NOT NULL) AS box_office,
        (SELECT count(*)::int FROM tickets t JOIN bookings b ON b.id = t.booking_id
          WHERE t.event_id = ${event.id} AND t.status <> 'VOID' AND b.payment_method IN ('COMPLIMENTARY', 'INVITATION')) AS comps,
        (SELECT count(*)::int FROM bookings WHERE event_id = ${event.id} AND status = 'CONFIRMED') AS bookings,
        (SELECT count(*)::int FROM bookings WHERE event_id = ${event.id} AND status = 'CANCELLED') AS cancelled,
        (SELECT coalesce(sum(p.amount_minor), 0)::int FROM payments p JOIN checkouts c ON c.id = p.checkout_id
          WHERE c.event_id = ${event.id} AND p.kind = 'REFUND' AND p.status = 'SUCCEEDED') AS refunded,
        (SELECT count(*)::int FROM tickets WHERE event_id = ${event.id} AND status = 'USED') AS checked_in,
        ${iso("now()")} AS now`),
    db().execute<RecentBooking>(sql`
      SELECT b.reference, u.name AS "customerName", u.email AS "customerEmail",
        (SELECT count(*)::int FROM tickets t WHERE t.booking_id = b.id) AS tickets,
        b.amount_minor AS "amountMinor", b.status, b.payment_method AS method, ${iso("b.created_at")} AS "createdAt"
      FROM bookings b JOIN users u ON u.id = b.user_id
      WHERE b.event_id = ${event.id}
      ORDER BY b.created_at DESC, b.id DESC
      LIMIT 10`),
    db().execute<{ span: number }>(sql`
      SELECT extract(epoch FROM now() - coalesce(
        (SELECT min(created_at) FROM bookings WHERE event_id = e.id), e.published_at, e.created_at))::float8 AS span
      FROM events e WHERE e.id = ${event.id}`),
    db().execute<DashboardTicketType>(sql`
      SELECT ty.id, ty.name, ty.limit_quantity AS "limit", ty.retired_at IS NOT NULL AS retired,
        (SELECT count(*)::int FROM tickets t WHERE t.ticket_type_id = ty.id AND t.status <> 'VOID') AS sold,
        (SELECT coalesce(sum(t.price_minor), 0)::int FROM tickets t WHERE t.ticket_type_id = ty.id AND t.status <> 'VOID') AS "revenueMinor"
      FROM ticket_types ty WHERE ty.event_id = ${event.id}
      ORDER BY ty.retired_at IS NOT NULL, ty.sort_order, lower(ty.name)`),
    eventCodeCounts(db(), event.id),
  ]);
  const step = bucketSeconds(Math.max(60, range.span));
  const buckets = await salesBuckets(event.id, step);
  // Conservation (docs/invariants.md): available + held + sold + blocked = capacity.
  const secs = sections.map(({ places, ...s }) => ({ ...s, available: places - s.sold - s.held - s.blocked }));
  const sum = (k: "capacity" | "sold" | "held" | "blocked" | "available") => secs.reduce((n, s) => n + s[k], 0);
  return {
    event: {
      id: event.id,
      title: event.title,
      status: event.status,
      published: event.publishedAt !== null,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
      saleStartsAt: event.saleStartsAt.toISOString(),
      saleEndsAt: event.saleEndsAt.toISOString(),
      currency: event.currency.trim(),
      venueName: event.venueName,
      timeZone: event.timeZone,
      version: event.version,
    },
    generatedAt: money.now,
    sections: secs,
    ticketTypes: [...types],
    codes,
    totals: {
      capacity: sum("capacity"),
      sold: sum("sold"),
      held: sum("held"),
      blocked: sum("blocked"),
      available: sum("available"),
      revenueMinor: money.revenue,
      boxOfficeMinor: money.box_office,
      compPlaces: money.comps,
      refundedMinor: money.refunded,
      bookings: money.bookings,
      cancelledBookings: money.cancelled,
      checkedIn: money.checked_in,
    },
    sales: { bucketSeconds: step, buckets },
    recent: [...recent],
  };
}

/** Live tickets by purchase time, in fixed buckets from the first sale (or publication) to now. */
async function salesBuckets(eventId: string, step: number): Promise<SalesBucket[]> {
  const interval = sql`make_interval(secs => ${step})`;
  const origin = sql`TIMESTAMPTZ '2000-01-01 00:00:00+00'`;
  const rows = await db().execute<SalesBucket>(sql`
    WITH e AS (SELECT coalesce((SELECT min(created_at) FROM bookings WHERE event_id = ${eventId}), published_at, created_at) AS since
               FROM events WHERE id = ${eventId}),
    sold AS (
      SELECT date_bin(${interval}, b.created_at, ${origin}) AS at, count(t.id)::int AS tickets, coalesce(sum(t.price_minor), 0)::int AS revenue
      FROM bookings b JOIN tickets t ON t.booking_id = b.id AND t.status <> 'VOID'
      WHERE b.event_id = ${eventId}
      GROUP BY 1)
    SELECT ${iso("g")} AS at, coalesce(sold.tickets, 0) AS tickets, coalesce(sold.revenue, 0) AS "revenueMinor"
    FROM e, generate_series(date_bin(${interval}, e.since, ${origin}), date_bin(${interval}, now(), ${origin}), ${interval}) g
    LEFT JOIN sold ON sold.at = g
    ORDER BY g
    LIMIT 200`);
  return [...rows];
}
