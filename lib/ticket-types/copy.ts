import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { offersAt } from "./offers";

/**
 * A run of dates (lib/series/run.ts) copies the original's live ticket types — name, note, order,
 * limit — with the prices in force now, onto the copy's sections (matched by position and name).
 * Retired types stay behind; each copy counts its own limit.
 */
export async function copyTicketTypes(tx: Tx, actorId: string, sourceEventId: string, copyEventId: string): Promise<void> {
  await tx.execute(sql`
    WITH src AS (SELECT name, note, sort_order, limit_quantity FROM ticket_types WHERE event_id = ${sourceEventId} AND retired_at IS NULL),
    ins AS (
      INSERT INTO ticket_types (event_id, name, note, sort_order, limit_quantity)
      SELECT ${copyEventId}, name, note, sort_order, limit_quantity FROM src
      RETURNING id, name
    )
    INSERT INTO ticket_type_prices (event_id, ticket_type_id, section_id, price_minor, created_by)
    SELECT ${copyEventId}, ins.id, ns.id, o.price_minor, ${actorId}
    FROM ${offersAt(sql`${sourceEventId}::uuid`, sql`now()`)} o
    JOIN ins ON ins.name = o.name
    JOIN event_sections os ON os.id = o.section_id
    JOIN event_sections ns ON ns.event_id = ${copyEventId} AND ns.sort_order = os.sort_order AND ns.name = os.name`);
}
