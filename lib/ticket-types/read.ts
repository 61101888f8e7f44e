import "server-only";
import { sql } from "drizzle-orm";
import { db, type DbOrTx } from "@/db";
import { offersAt, OFFER_ORDER } from "./offers";
import type { publicTicketTypeSchema } from "./schemas";
import type { z } from "zod";

// Ticket types as customers see them: on the event page and REST event detail (what is offered
// now), and on the checkout page (what each held place can be bought as, at the prices in force
// when the hold began — the same rule the checkout prices by, lib/checkout/start.ts).

export type PublicTicketType = z.infer<typeof publicTicketTypeSchema>;

/** The types offered now, in order, each with its price per section. [] for an event without types. */
export async function publicTicketTypes(q: DbOrTx, eventId: string): Promise<PublicTicketType[]> {
  const rows = await q.execute<PublicTicketType>(sql`
    SELECT o.type_id AS id, min(o.name) AS name, min(o.note) AS note, min(o.sort_order)::int AS "sortOrder",
      json_agg(json_build_object('sectionId', o.section_id, 'sectionName', s.name, 'priceMinor', o.price_minor) ORDER BY s.sort_order, s.name) AS prices
    FROM ${offersAt(sql`${eventId}::uuid`, sql`now()`)} o JOIN event_sections s ON s.id = o.section_id
    GROUP BY o.type_id
    ORDER BY min(o.sort_order), lower(min(o.name)), o.type_id`);
  return [...rows];
}

/** publicTicketTypes on the primary (staff pages). */
export function offeredTicketTypes(eventId: string): Promise<PublicTicketType[]> {
  return publicTicketTypes(db(), eventId);
}

export type PlaceChoice = { inventoryId: number; options: { ticketTypeId: string; name: string; note: string; priceMinor: number }[] };

/**
 * For each place of a reservation, the types it can be bought as and their prices (first: the
 * default), as of the instant the hold began. Places of a section without types get no options:
 * they sell at the section's price.
 */
export async function checkoutChoices(reservationId: string): Promise<PlaceChoice[]> {
  const rows = await db().execute<{ inventory_id: number; options: PlaceChoice["options"] | null }>(sql`
    WITH r AS (SELECT id, event_id, created_at FROM reservations WHERE id = ${reservationId}::uuid),
    o AS MATERIALIZED (SELECT * FROM ${offersAt(sql`(SELECT event_id FROM r)`, sql`(SELECT created_at FROM r)`)} x)
    SELECT i.id::int AS inventory_id,
      (SELECT json_agg(json_build_object('ticketTypeId', o.type_id, 'name', o.name, 'note', o.note, 'priceMinor', o.price_minor) ORDER BY ${OFFER_ORDER})
        FROM o WHERE o.section_id = i.section_id) AS options
    FROM inventory i JOIN r ON i.reservation_id = r.id AND i.event_id = r.event_id
    ORDER BY i.seq`);
  return rows.map((r) => ({ inventoryId: Number(r.inventory_id), options: r.options ?? [] }));
}
