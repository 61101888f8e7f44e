import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";
import { reservationItemsJson } from "./items";
import type { ReservationItem, ReservationStatus, ReservationView } from "./types";

// Reading reservations. Every read is scoped to the acting customer in SQL (an admin may read
// anyone's); someone else's reservation reads as null, which the API answers with 404.
// An ACTIVE reservation past its expiry is shown as EXPIRED: the database clock decides, even
// before the cron has tidied it (see docs/invariants.md, I5).

type Row = {
  id: string;
  event_id: string;
  status: ReservationStatus;
  expires_at: string;
  payment_deadline: string | null;
  quantity: number;
  amount_minor: number;
  currency: string;
  items: ReservationItem[];
};

function select(where: SQL) {
  return sql`
    SELECT r.id, r.event_id,
      CASE WHEN r.status = 'ACTIVE' AND r.expires_at <= now() THEN 'EXPIRED' ELSE r.status::text END AS status,
      ${isoTs(sql`r.expires_at`)} AS expires_at, ${isoTs(sql`r.payment_deadline`)} AS payment_deadline, r.quantity, r.amount_minor, r.currency,
      (SELECT ${reservationItemsJson("i")}
        FROM inventory i JOIN event_sections s ON s.id = i.section_id
        WHERE i.reservation_id = r.id AND i.status IN ('HELD', 'SOLD')) AS items
    FROM reservations r
    WHERE ${where}
    ORDER BY r.created_at DESC`;
}

export function toView(r: Row): ReservationView {
  return {
    id: r.id,
    eventId: r.event_id,
    status: r.status,
    expiresAt: r.expires_at,
    paymentDeadline: r.payment_deadline,
    quantity: r.quantity,
    amountMinor: r.amount_minor,
    currency: r.currency,
    items: r.items.map((i) => ({ ...i, inventoryId: Number(i.inventoryId) })),
  };
}

/** One reservation by id; `userId` null reads anyone's (admin). */
export async function getReservationById(reservationId: string, userId: string | null): Promise<ReservationView | null> {
  if (!isUuid(reservationId)) return null;
  const owner = userId ? sql`AND r.user_id = ${userId}` : sql``;
  const rows = await db().execute<Row>(select(sql`r.id = ${reservationId} ${owner}`));
  return rows[0] ? toView(rows[0]) : null;
}

/** The actor's reservation (any status), or null for someone else's (unless the actor is an admin). */
export async function getReservation(actor: Actor, reservationId: string): Promise<ReservationView | null> {
  return getReservationById(reservationId, actor.role === "ADMIN" ? null : actor.id);
}

/**
 * Open reservations of the actor: ACTIVE and not expired, or in PAYMENT (the checkout decides
 * how those end). An admin may pass another userId; anyone else asking for another user gets [].
 */
export async function listReservations(actor: Actor, opts: { eventId?: string; userId?: string } = {}): Promise<ReservationView[]> {
  const userId = opts.userId ?? actor.id;
  if (userId !== actor.id && actor.role !== "ADMIN") return [];
  if (!isUuid(userId) || (opts.eventId && !isUuid(opts.eventId))) return [];
  const event = opts.eventId ? sql`AND r.event_id = ${opts.eventId}` : sql``;
  const rows = await db().execute<Row>(
    select(sql`r.user_id = ${userId} ${event} AND ((r.status = 'ACTIVE' AND r.expires_at > now()) OR r.status = 'PAYMENT')`),
  );
  return rows.map(toView);
}
