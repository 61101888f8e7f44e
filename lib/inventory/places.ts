import { sql, type SQL } from "drizzle-orm";

// The rules about a place (one inventory row), each written once as SQL and used by every
// statement that judges or frees places: holds, the checkout, the cron, cancellations, the
// event status, the seat map and the integrity checks. Expiry is judged by the database clock:
// a HELD place whose hold_expires_at has passed is free for anyone, even before the cron has
// tidied it (see docs/invariants.md, I5). A BLOCKED place is off sale: never claimable.
// `alias` names the inventory table in the statement ("" for an unaliased table).

const column = (alias: string, name: string) => (alias ? `${alias}.${name}` : name);

const claimableText = (alias: string) =>
  `(${column(alias, "status")} = 'AVAILABLE' OR (${column(alias, "status")} = 'HELD' AND ${column(alias, "hold_expires_at")} <= now()))`;
const heldNowText = (alias: string) => `(${column(alias, "status")} = 'HELD' AND ${column(alias, "hold_expires_at")} > now())`;

/** The place can be claimed now: available, or held by a hold that has expired. */
export function claimable(alias = "i"): SQL {
  return sql.raw(claimableText(alias));
}

/** The place is held by a hold that is still running. */
export function heldNow(alias = "i"): SQL {
  return sql.raw(heldNowText(alias));
}

/** The place's state as the seat bitmap's digit (lib/seatmap/bitmap.ts): "0" available (expired holds included), "1" held, "2" sold, "3" blocked. */
export function seatStateDigit(alias = "i"): SQL {
  const status = column(alias, "status");
  return sql.raw(`CASE WHEN ${status} = 'SOLD' THEN '2' WHEN ${status} = 'BLOCKED' THEN '3' WHEN ${heldNowText(alias)} THEN '1' ELSE '0' END`);
}

const FREE = `status = 'AVAILABLE', reservation_id = NULL, hold_expires_at = NULL`;

/** The SET list that gives a place back: available, in no reservation, with no hold. */
export const FREE_PLACE = sql.raw(FREE);

/**
 * Two CTEs that give back the places still HELD by the reservations of the CTE named `from`
 * (which returns their `id`): `places` locks them in id order, the one order every statement
 * locks places in (so two never deadlock), and `freed` makes them available and returns their
 * ids. Lock the reservations first (in `from`), like every other writer does.
 */
export function freeHeldPlaces(from: string): SQL {
  return sql.raw(`places AS (
      SELECT i.id FROM inventory i JOIN ${from} ON i.reservation_id = ${from}.id
      WHERE i.status = 'HELD' ORDER BY i.id FOR UPDATE OF i
    ), freed AS (
      UPDATE inventory i SET ${FREE}
      FROM places WHERE i.id = places.id
      RETURNING i.id
    )`);
}
