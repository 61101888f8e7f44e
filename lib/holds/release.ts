import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { canonicalUuid } from "@/lib/ids";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import { freeHeldPlaces } from "@/lib/inventory/places";
import { releasePreLocks } from "./prelock";

// A customer gives back their whole ACTIVE reservation at once. Idempotent: releasing a
// reservation that already ended (released or expired) is fine. Someone else's reads as not
// found. Locks the reservation before its places, like the cron, so the two never deadlock.

export async function releaseReservation(actor: Actor, rawEventId: string, rawReservationId: string): Promise<{ ok: true } | Failure> {
  // One spelling, or the release would miss the keys the hold set (lib/ids.ts).
  const eventId = canonicalUuid(rawEventId);
  const reservationId = canonicalUuid(rawReservationId);
  if (!eventId || !reservationId) return notFound();
  const owner = actor.role === "ADMIN" ? sql`` : sql`AND user_id = ${actor.id}`;
  const [row] = await db().execute<{ released: boolean; freed: number[] | null }>(sql`
    WITH released AS (
      UPDATE reservations SET status = 'RELEASED', updated_at = now()
      WHERE id = ${reservationId} AND event_id = ${eventId} ${owner} AND status = 'ACTIVE'
      RETURNING id
    ), ${freeHeldPlaces("released")}
    SELECT EXISTS (SELECT 1 FROM released) AS released, (SELECT json_agg(id) FROM freed) AS freed`);

  if (row.released) {
    await releasePreLocks(eventId, reservationId, (row.freed ?? []).map(Number));
    // Places came back: a SOLD_OUT event may be on sale again.
    await refreshEventStatuses(db(), eventId);
    return { ok: true };
  }
  const [existing] = await db().execute<{ status: string }>(sql`
    SELECT status FROM reservations WHERE id = ${reservationId} AND event_id = ${eventId} ${owner}`);
  if (!existing) return notFound();
  if (existing.status === "PAYMENT") return fail("reservation_locked", "This reservation is being paid for and cannot be released now.");
  if (existing.status === "CONFIRMED" || existing.status === "FAILED") return fail("reservation_closed", "This reservation is already closed.");
  return { ok: true };
}

function notFound() {
  return fail("not_found", "No such reservation.");
}
