import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";
import { isUuid } from "@/lib/ids";
import { isoTs } from "@/lib/sql";

// Reading waiting lists: a customer's own place (position counted among those still waiting
// ahead of them), and the whole list for the event's organizer.

export type WaitlistStatus = "WAITING" | "OFFERED" | "CLAIMED" | "LAPSED" | "LEFT";

export type MyWaitlistEntry = {
  id: string;
  eventId: string;
  sectionId: string | null;
  sectionName: string | null;
  quantity: number;
  status: WaitlistStatus;
  position: number | null; // 1 = next to be offered; null unless WAITING
  offer: { reservationId: string; expiresAt: string; quantity: number } | null; // while OFFERED and the hold runs; quantity can be below the entry's (per-customer limit)
  joinedAt: string;
};

type Row = {
  id: string;
  event_id: string;
  section_id: string | null;
  section_name: string | null;
  quantity: number;
  status: WaitlistStatus;
  position: number | null;
  reservation_id: string | null;
  offer_expires_at: string | null;
  offer_live: boolean | null;
  offer_quantity: number | null;
  joined_at: string;
};

function toEntry(r: Row): MyWaitlistEntry {
  return {
    id: r.id,
    eventId: r.event_id,
    sectionId: r.section_id,
    sectionName: r.section_name,
    quantity: r.quantity,
    status: r.status,
    position: r.status === "WAITING" ? r.position : null,
    offer:
      r.status === "OFFERED" && r.offer_live && r.reservation_id && r.offer_expires_at
        ? { reservationId: r.reservation_id, expiresAt: r.offer_expires_at, quantity: r.offer_quantity ?? r.quantity }
        : null,
    joinedAt: r.joined_at,
  };
}

/** The actor's latest entry on this event's list (any status), or null. */
export async function getMyWaitlistEntry(actor: Actor, eventId: string): Promise<MyWaitlistEntry | null> {
  if (!isUuid(eventId)) return null;
  const [row] = await db().execute<Row>(sql`
    SELECT w.id, w.event_id, w.section_id, s.name AS section_name, w.quantity, w.status,
      (SELECT count(*)::int FROM waitlist_entries a WHERE a.event_id = w.event_id AND a.status = 'WAITING' AND a.position <= w.position) AS position,
      w.reservation_id, ${isoTs(sql`r.expires_at`)} AS offer_expires_at, r.quantity AS offer_quantity,
      (r.status = 'ACTIVE' AND r.expires_at > now()) OR r.status = 'PAYMENT' AS offer_live, ${isoTs(sql`w.created_at`)} AS joined_at
    FROM waitlist_entries w
    LEFT JOIN event_sections s ON s.id = w.section_id
    LEFT JOIN reservations r ON r.id = w.reservation_id
    WHERE w.event_id = ${eventId} AND w.user_id = ${actor.id}
    ORDER BY w.position DESC LIMIT 1`);
  return row ? toEntry(row) : null;
}

export type StaffWaitlistRow = MyWaitlistEntry & { customerName: string; customerEmail: string; offeredAt: string | null };

/** The whole list in order (people still waiting first), for the event's organizer or an admin. */
export async function listWaitlist(actor: Actor, eventId: string): Promise<StaffWaitlistRow[] | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const rows = await db().execute<Row & { customer_name: string; customer_email: string; offered_at: string | null }>(sql`
    SELECT w.id, w.event_id, w.section_id, s.name AS section_name, w.quantity, w.status,
      count(*) FILTER (WHERE w.status = 'WAITING') OVER (ORDER BY w.position)::int AS position,
      w.reservation_id, ${isoTs(sql`r.expires_at`)} AS offer_expires_at, r.quantity AS offer_quantity,
      (r.status = 'ACTIVE' AND r.expires_at > now()) OR r.status = 'PAYMENT' AS offer_live, ${isoTs(sql`w.created_at`)} AS joined_at,
      u.name AS customer_name, u.email AS customer_email, ${isoTs(sql`w.offered_at`)} AS offered_at
    FROM waitlist_entries w
    JOIN users u ON u.id = w.user_id
    LEFT JOIN event_sections s ON s.id = w.section_id
    LEFT JOIN reservations r ON r.id = w.reservation_id
    WHERE w.event_id = ${event.id}
    ORDER BY (w.status IN ('WAITING', 'OFFERED')) DESC, w.position
    LIMIT 1000`);
  return rows.map((r) => ({ ...toEntry(r), customerName: r.customer_name, customerEmail: r.customer_email, offeredAt: r.offered_at }));
}
