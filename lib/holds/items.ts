import { sql, type SQL } from "drizzle-orm";

// A reservation's items as JSON, built in the statement that claims or reads them (one round
// trip): the ReservationItem shape of ./types.ts, in seat order. `place` names the inventory
// rows (with id, seq, section_id, row_label, seat_number) and `section` their event_sections row.

export function reservationItemsJson(place: string, section = "s"): SQL {
  const p = place;
  const s = section;
  return sql.raw(`coalesce(json_agg(json_build_object(
          'inventoryId', ${p}.id, 'seq', ${p}.seq, 'sectionId', ${p}.section_id, 'sectionName', ${s}.name,
          'rowLabel', ${p}.row_label, 'seatNumber', ${p}.seat_number, 'priceMinor', ${s}.price_minor) ORDER BY ${p}.seq), '[]')`);
}
