import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { claimable } from "@/lib/inventory/places";
import { log } from "@/lib/log";
import { UNAVAILABLE, type Unavailable } from "@/lib/redis";
import { bigintArray } from "@/lib/sql";
import { preLockSeats, stalePreLocks, type PreLock } from "./prelock";

// A pre-lock refusal is not believed on Redis's word alone (docs/invariants.md, I6). A key can
// outlive what it stood for: the process died between pre-lock and claim, or a release never
// reached Redis. Such a key would turn every customer away from a seat the map shows as free for
// the whole hold length. So on a refusal, keys older than a claim in flight (PRELOCK_IN_FLIGHT_MS;
// younger ones are believed, so a crowd on one seat still costs Redis alone) are checked against
// PostgreSQL (a plain read by primary key, no locks); those of seats it says are claimable are
// cleared, and the pre-lock is tried once more. PostgreSQL's claim stays the fence either way.

async function claimableNow(eventId: string, seatIds: number[]): Promise<number[]> {
  const rows = await db().execute<{ id: string }>(sql`
    SELECT i.id FROM inventory i
    WHERE i.event_id = ${eventId} AND i.id = ANY(${bigintArray(seatIds)}::bigint[]) AND ${claimable()}`);
  return rows.map((r) => Number(r.id));
}

/** preLockSeats, healing stale keys of seats PostgreSQL says are free. `holdMs`: the event's hold length. */
export async function preLockHealing(eventId: string, reservationId: string, seatIds: number[], px: number, holdMs: number): Promise<PreLock | Unavailable> {
  const pre = await preLockSeats(eventId, reservationId, seatIds, px);
  if (pre === UNAVAILABLE || pre.ok) return pre;
  const old = await stalePreLocks(eventId, pre.takenIds, holdMs, false);
  if (old.length === 0) return pre;
  const free = await claimableNow(eventId, old);
  if (free.length === 0) return pre;
  const cleared = await stalePreLocks(eventId, free, holdMs, true);
  if (cleared.length === 0) return pre;
  log.warn("holds.prelock_healed", { eventId, seatIds: cleared });
  if (cleared.length < pre.takenIds.length) {
    const gone = new Set(cleared);
    return { ok: false, takenIds: pre.takenIds.filter((id) => !gone.has(id)) };
  }
  return preLockSeats(eventId, reservationId, seatIds, px);
}
