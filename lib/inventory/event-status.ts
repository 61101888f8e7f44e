import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db";

// The event status follows from time and inventory, computed with the database clock:
//   before sale start → UPCOMING; during the sale → ON_SALE, or SOLD_OUT while no place can be
//   taken (none available, none held past expiry); after the event ends → COMPLETED.
// CANCELLED and COMPLETED are final. One statement serves one event (after a sale or release)
// and the cron tick (all events), so the rule lives in one place.

/**
 * `selling`: a reservation whose places the same statement is selling. A statement sees the rows
 * as they were before it ran, so that reservation's places must not count as takeable.
 */
export function statusCase(selling?: string) {
  // event_has_takeable_place (drizzle/0008_event_takeable_place.sql; PL/pgSQL since 0026, so its
  // plan is kept per connection instead of made on every call) reads the event's own
  // available places and expired holds through partial indexes: never a scan of other events.
  return sql`CASE
    WHEN now() >= e.ends_at THEN 'COMPLETED'::event_status
    WHEN now() < e.sale_starts_at THEN 'UPCOMING'::event_status
    WHEN event_has_takeable_place(e.id, ${selling ?? null}::uuid) THEN 'ON_SALE'::event_status
    ELSE 'SOLD_OUT'::event_status
  END`;
}

/** Recomputes statuses; returns the events whose status changed. */
export async function refreshEventStatuses(q: DbOrTx, eventId?: string) {
  const rows = await q.execute<{ id: string; status: string }>(sql`
    UPDATE events e SET status = ${statusCase()}, updated_at = now()
    WHERE e.status NOT IN ('CANCELLED', 'COMPLETED')
      ${eventId ? sql`AND e.id = ${eventId}` : sql``}
      AND e.status <> ${statusCase()}
    RETURNING e.id, e.status`);
  return [...rows];
}
