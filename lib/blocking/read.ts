import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { findManagedEvent } from "@/lib/auth/event-access";

// What the organizer sees of kept-back places: the blocks grouped by section and reason.

export type BlockGroup = {
  sectionId: string;
  sectionName: string;
  kind: "ASSIGNED" | "GA";
  reason: string;
  count: number;
  seatIds: number[];
  seats: string[]; // "A1", "A2", … for assigned sections
  blockedBy: string | null;
  since: string;
};

export async function listBlocks(actor: Actor, eventId: string): Promise<BlockGroup[] | null> {
  const event = await findManagedEvent(actor, eventId);
  if (!event) return null;
  const rows = await db().execute<BlockGroup>(sql`
    SELECT s.id AS "sectionId", s.name AS "sectionName", s.kind, i.block_reason AS reason, count(*)::int AS count,
      json_agg(i.id ORDER BY i.seq) AS "seatIds",
      coalesce(json_agg(i.row_label || i.seat_number ORDER BY i.seq) FILTER (WHERE i.row_label IS NOT NULL), '[]') AS seats,
      (array_agg(u.name ORDER BY i.blocked_at DESC))[1] AS "blockedBy",
      to_char(min(i.blocked_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since
    FROM inventory i JOIN event_sections s ON s.id = i.section_id LEFT JOIN users u ON u.id = i.blocked_by
    WHERE i.event_id = ${event.id} AND i.status = 'BLOCKED'
    GROUP BY s.id, s.name, s.kind, s.sort_order, i.block_reason
    ORDER BY s.sort_order, i.block_reason`);
  return rows.map((r) => ({ ...r, seatIds: r.seatIds.map(Number) }));
}
