import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Event } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { assertStaff } from "@/lib/auth/event-access";

// The organizer area's event list: an organizer's own events, or every event for an admin,
// with drafts and sales at a glance.

export type StaffEventRow = {
  id: string;
  title: string;
  status: Event["status"];
  published: boolean;
  startsAt: string;
  venueName: string;
  timeZone: string;
  organizerName: string;
  capacity: number;
  sold: number;
  revenueMinor: number;
  currency: string;
};

export async function listStaffEvents(actor: Actor): Promise<StaffEventRow[]> {
  assertStaff(actor);
  const mine = actor.role === "ADMIN" ? sql`true` : sql`e.organizer_id = ${actor.id}`;
  const rows = await db().execute<StaffEventRow>(sql`
    SELECT e.id, e.title, e.status, e.published_at IS NOT NULL AS published,
      to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startsAt",
      e.venue_name AS "venueName", e.time_zone AS "timeZone", u.name AS "organizerName", e.capacity, trim(e.currency) AS currency,
      (SELECT count(*)::int FROM inventory i WHERE i.event_id = e.id AND i.status = 'SOLD') AS sold,
      (SELECT coalesce(sum(b.amount_minor), 0)::int FROM bookings b WHERE b.event_id = e.id AND b.status = 'CONFIRMED') AS "revenueMinor"
    FROM events e JOIN users u ON u.id = e.organizer_id
    WHERE ${mine}
    ORDER BY (e.status IN ('COMPLETED', 'CANCELLED')), e.starts_at
    LIMIT 500`);
  return [...rows];
}
