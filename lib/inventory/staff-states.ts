import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { encodeStates } from "@/lib/seatmap/bitmap";
import { seatStateDigit } from "./places";

// Seat states for the organizer's own screens, straight from PostgreSQL: a draft is not in the
// public snapshot (customers may not see drafts), and staff want to see their own change at
// once rather than after the snapshot's second.

/** Every place's state (2 bits per seq, as the public snapshot encodes it), read now. Caller checked access. */
export async function readSeatStates(eventId: string): Promise<{ count: number; data: string }> {
  const [row] = await db().execute<{ states: string | null }>(sql`
    SELECT string_agg(${seatStateDigit()}, '' ORDER BY i.seq) AS states
    FROM inventory i WHERE i.event_id = ${eventId}`);
  const states = row?.states ?? "";
  return { count: states.length, data: encodeStates(states) };
}
