import { sql, type SQL } from "drizzle-orm";
import { offersAt, OFFER_ORDER } from "@/lib/ticket-types/offers";

// How the places of a reservation are priced: the one home of the rule, shared by the checkout's
// start (./start.ts, which charges it) and the checkout page's quote (./quote.ts, which shows it),
// so the total a customer sees is the total they are charged. A place with a chosen type costs
// that type's price for its section as in force when the hold began (the reservation's
// created_at); without a choice, the section's first type then; a section without types sells at
// its own price. Discount codes are priced after this by promoCtes (lib/promo-codes/apply.ts).

/**
 * CTEs after `r` (event_id, created_at) and `p` (id, section_id, price_minor, held), for the
 * choices as a JSON array of { inventoryId, ticketTypeId }:
 *   ch     — the choices;
 *   o      — the event's ticket-type offers when the hold began;
 *   priced — each place's type and price (asked: the type chosen, if any);
 *   bad    — choices a place cannot be bought as, or places not in the reservation.
 */
export function pricingCtes(choices: string): SQL {
  return sql`
    ch AS (
      SELECT (x->>'inventoryId')::bigint AS inventory_id, (x->>'ticketTypeId')::uuid AS type_id FROM jsonb_array_elements(${choices}::jsonb) x
    ),
    o AS MATERIALIZED (SELECT * FROM ${offersAt(sql`(SELECT event_id FROM r)`, sql`(SELECT created_at FROM r)`)} x),
    priced AS (
      SELECT p.id, p.section_id, p.held, ch.type_id AS asked,
        CASE WHEN ch.type_id IS NOT NULL THEN picked.type_id ELSE d.type_id END AS type_id,
        CASE WHEN ch.type_id IS NOT NULL THEN picked.price_minor WHEN d.type_id IS NOT NULL THEN d.price_minor ELSE p.price_minor END AS price_minor
      FROM p
      LEFT JOIN ch ON ch.inventory_id = p.id
      LEFT JOIN o picked ON picked.type_id = ch.type_id AND picked.section_id = p.section_id
      LEFT JOIN LATERAL (SELECT o.type_id, o.price_minor FROM o WHERE o.section_id = p.section_id ORDER BY ${OFFER_ORDER} LIMIT 1) d ON true
    ),
    bad AS (
      SELECT ch.inventory_id FROM ch LEFT JOIN priced ON priced.id = ch.inventory_id
      WHERE EXISTS (SELECT 1 FROM p) AND (priced.id IS NULL OR priced.type_id IS NULL)
    )`;
}
