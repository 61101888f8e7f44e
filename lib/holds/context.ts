import "server-only";
import { sql } from "drizzle-orm";
import { presaleOpen } from "@/lib/promo-codes/access";
import { sectionOffered } from "@/lib/promo-codes/hidden";
import { db } from "@/db";
import { freeHeldPlaces } from "@/lib/inventory/places";

// The one read before a hold: the event's sale facts and the customer's open reservation (at
// most one, by reservations_one_open_per_user_idx), judged by the database clock. For a GA
// request it also brings the requested section. One round trip.

export type HoldContext = {
  published: boolean;
  status: string;
  currency: string;
  holdSeconds: number;
  maxPerOrder: number;
  maxPerCustomer: number | null;
  saleOpen: boolean;
  saleNotStarted: boolean;
  open: null | {
    id: string;
    status: "ACTIVE" | "PAYMENT";
    live: boolean; // ACTIVE and expires_at > now()
    quantity: number;
    remainingMs: number;
    seatIds: number[]; // places it still holds
  };
  section: null | { id: string; kind: "ASSIGNED" | "GA"; priceMinor: number };
};

type Row = {
  published: boolean;
  status: string;
  currency: string;
  hold_seconds: number;
  max_per_order: number;
  max_per_customer: number | null;
  sale_open: boolean;
  sale_not_started: boolean;
  res_id: string | null;
  res_status: "ACTIVE" | "PAYMENT" | null;
  res_live: boolean | null;
  res_quantity: number | null;
  res_remaining_ms: number | null;
  res_seat_ids: number[] | null;
  section: { id: string; kind: "ASSIGNED" | "GA"; priceMinor: number } | null;
};

export async function loadHoldContext(eventId: string, userId: string, sectionId: string | null): Promise<HoldContext | null> {
  const rows = await db().execute<Row>(sql`
    SELECT e.published_at IS NOT NULL AS published, e.status, e.currency, e.hold_seconds, e.max_per_order, e.max_per_customer,
      -- Before the public sale, a customer who entered an access code holds as if it were open
      -- (docs/promo-codes.md); the one-statement hold never asks, only this step-by-step path.
      (now() >= e.sale_starts_at AND now() < e.sale_ends_at OR now() < e.sale_starts_at AND ${presaleOpen(sql`e.id`, userId)}) AS sale_open,
      (now() < e.sale_starts_at AND NOT ${presaleOpen(sql`e.id`, userId)}) AS sale_not_started,
      r.id AS res_id, r.status AS res_status, r.quantity AS res_quantity,
      (r.status = 'ACTIVE' AND r.expires_at > now()) AS res_live,
      greatest(0, floor(extract(epoch FROM (r.expires_at - now())) * 1000))::int AS res_remaining_ms,
      CASE WHEN r.id IS NOT NULL THEN
        (SELECT coalesce(json_agg(i.id), '[]') FROM inventory i WHERE i.reservation_id = r.id AND i.status = 'HELD')
      END AS res_seat_ids,
      CASE WHEN ${sectionId}::uuid IS NOT NULL THEN
        (SELECT json_build_object('id', s.id, 'kind', s.kind, 'priceMinor', s.price_minor)
         FROM event_sections s WHERE s.id = ${sectionId}::uuid AND s.event_id = e.id AND ${sectionOffered("s", sql`${userId}::uuid`)})
      END AS section
    FROM events e
    LEFT JOIN reservations r ON r.event_id = e.id AND r.user_id = ${userId} AND r.status IN ('ACTIVE', 'PAYMENT')
    WHERE e.id = ${eventId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    published: row.published,
    status: row.status,
    currency: row.currency,
    holdSeconds: row.hold_seconds,
    maxPerOrder: row.max_per_order,
    maxPerCustomer: row.max_per_customer,
    saleOpen: row.sale_open,
    saleNotStarted: row.sale_not_started,
    open: row.res_id
      ? {
          id: row.res_id,
          status: row.res_status!,
          live: row.res_live === true,
          quantity: row.res_quantity ?? 0,
          remainingMs: row.res_remaining_ms ?? 0,
          seatIds: (row.res_seat_ids ?? []).map(Number),
        }
      : null,
    section: row.section,
  };
}

/** Closes a customer's ACTIVE reservation whose time ran out, and frees its places, so a new one can open. */
export async function expireStaleReservation(reservationId: string) {
  await db().execute(sql`
    WITH old AS (
      UPDATE reservations SET status = 'EXPIRED', updated_at = now()
      WHERE id = ${reservationId} AND status = 'ACTIVE' AND expires_at <= now()
      RETURNING id
    ), ${freeHeldPlaces("old")}
    SELECT count(*) FROM freed`);
}
