import { sql, type SQL } from "drizzle-orm";

// Which ticket types a place can be bought as, and at what price, at a given instant: for each
// type and section the latest price version valid from that instant or before (versions are
// immutable rows, docs/box-office.md), leaving out types retired by then and sections the type
// was taken off (a version with no price). The checkout asks at the instant its hold began, so
// a price changed later never touches a held seat; the box office and the event page ask now.
//
// Rows: type_id, section_id, price_minor, name, note, sort_order, limit_quantity. The first type
// of a section (sort order, then name) is the default a place gets when no type is chosen.

export function offersAt(eventId: SQL, at: SQL): SQL {
  return sql`(
    SELECT v.ticket_type_id AS type_id, v.section_id, v.price_minor, t.name, t.note, t.sort_order, t.limit_quantity
    FROM (
      SELECT DISTINCT ON (tp.ticket_type_id, tp.section_id) tp.ticket_type_id, tp.section_id, tp.price_minor
      FROM ticket_type_prices tp
      WHERE tp.event_id = ${eventId} AND tp.valid_from <= ${at}
      ORDER BY tp.ticket_type_id, tp.section_id, tp.valid_from DESC, tp.id DESC
    ) v JOIN ticket_types t ON t.id = v.ticket_type_id
    WHERE v.price_minor IS NOT NULL AND (t.retired_at IS NULL OR t.retired_at > ${at})
  )`;
}

/** The order in which a section's types are offered; the first is the default. `o` names an offersAt row. */
export const OFFER_ORDER = sql.raw(`o.sort_order, lower(o.name), o.type_id`);

/**
 * Live tickets of a type plus places of open checkouts (started or charged, not yet booked)
 * priced as it: what counts against the type's limit. A checkout turns BOOKED in the statement
 * that writes its tickets, so a place is never counted twice nor missed.
 */
export function takenOfType(typeId: SQL, eventId: SQL): SQL {
  return sql`(
    (SELECT count(*) FROM tickets tk WHERE tk.ticket_type_id = ${typeId} AND tk.status <> 'VOID')
    + (SELECT count(*) FROM checkouts oc, jsonb_array_elements(oc.items) ox
       WHERE oc.event_id = ${eventId} AND oc.state IN ('STARTED', 'CHARGED') AND ox->>'ticketTypeId' = ${typeId}::text)
  )::int`;
}
