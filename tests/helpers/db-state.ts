import { sql } from "drizzle-orm";
import { db } from "@/db";
import { sleep } from "./wait";

// Reads of the database state that tests assert on, and waiting on the database clock.

export async function checkoutsOf(reservationId: string) {
  return db().execute<{ id: string; state: string; failure_code: string | null; amount_minor: number; booking_id: string | null; provider_key: string }>(sql`
    SELECT id, state, failure_code, amount_minor, booking_id, provider_key FROM checkouts WHERE reservation_id = ${reservationId} ORDER BY created_at`);
}

export async function reservationStatus(reservationId: string): Promise<string> {
  const [r] = await db().execute<{ status: string }>(sql`SELECT status FROM reservations WHERE id = ${reservationId}`);
  return r.status;
}

export async function eventStatus(eventId: string): Promise<string> {
  const [r] = await db().execute<{ status: string }>(sql`SELECT status FROM events WHERE id = ${eventId}`);
  return r.status;
}

export async function placeStates(ids: number[]) {
  return db().execute<{ id: number; status: string; reservation_id: string | null }>(sql`
    SELECT id::int AS id, status, reservation_id FROM inventory WHERE id IN ${sql.raw(`(${ids.map(Number).join(",")})`)} ORDER BY id`);
}

/** Let time pass on the database clock (the only clock deadlines are judged by). */
export async function waitUntilDbTime(isoOrDate: string | Date, slackMs = 50) {
  const target = new Date(isoOrDate).getTime();
  for (;;) {
    const [r] = await db().execute<{ now: string }>(sql`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS now`);
    const left = target + slackMs - Number(r.now);
    if (left <= 0) return;
    await sleep(Math.min(left, 500));
  }
}
