import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { getInventorySnapshot, getSeatLayout, type SeatLayout } from "@/lib/inventory";
import { readSeatStates } from "@/lib/inventory/staff-states";
import { findStaffEvent } from "./access";

// The seat map of the house for the dashboard. A published event uses the shared, cached
// layout and inventory snapshot (the same data the storefront's map polls). A draft is not in
// those caches (they serve customers, who may not see drafts), so its layout is read directly:
// nothing can be held or sold before publication, so every place shows as available.

export type HouseSeats = { count: number; data: string } | null; // 2-bit states, see lib/inventory

export async function getHouseLayout(actor: Actor, eventId: string): Promise<SeatLayout | null> {
  const event = await findStaffEvent(actor, eventId);
  if (!event) return null;
  if (event.publishedAt) {
    const cached = await getSeatLayout(event.id);
    if (cached) return cached;
  }
  const [row] = await db().execute<{ sections: SeatLayout["sections"] | null; seats: Omit<SeatLayout, "sections"> | null }>(sql`
    SELECT
      (SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'kind', s.kind, 'color', s.color,
          'priceMinor', s.price_minor, 'capacity', s.capacity, 'firstSeq', r.first_seq, 'count', r.n) ORDER BY r.first_seq)
        FROM event_sections s
        JOIN LATERAL (SELECT min(i.seq) AS first_seq, count(*)::int AS n FROM inventory i
                      WHERE i.event_id = s.event_id AND i.section_id = s.id) r ON true
        WHERE s.event_id = ${event.id}) AS sections,
      (SELECT json_build_object('ids', json_agg(i.id ORDER BY i.seq), 'x', json_agg(i.x ORDER BY i.seq), 'y', json_agg(i.y ORDER BY i.seq),
          'rows', json_agg(i.row_label ORDER BY i.seq), 'numbers', json_agg(i.seat_number ORDER BY i.seq), 'access', json_agg(CASE i.access WHEN 'WHEELCHAIR' THEN 1 WHEN 'COMPANION' THEN 2 ELSE 0 END ORDER BY i.seq))
        FROM inventory i WHERE i.event_id = ${event.id}) AS seats`);
  if (!row?.sections || !row.seats) return null;
  return { sections: row.sections, ...row.seats };
}

/** Current seat states: the shared snapshot for published events, read directly for drafts (blocks only). Caller checked access. */
export async function getHouseSeats(eventId: string, published: boolean): Promise<HouseSeats> {
  if (!published) return readSeatStates(eventId);
  const snapshot = await getInventorySnapshot(eventId);
  return snapshot ? { count: snapshot.seats.count, data: snapshot.seats.data } : null;
}
