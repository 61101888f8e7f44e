import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { log } from "@/lib/log";
import { bigintArray, isoTs } from "@/lib/sql";
import { claimable } from "@/lib/inventory/places";
import type { Pick } from "@/lib/holds/claim";
import type { HoldContext } from "@/lib/holds/context";
import { reservationItemsJson } from "@/lib/holds/items";
import type { ReservationItem, ReservationView } from "@/lib/holds/types";

// TEST ONLY, loaded through lib/test-switches.ts while TESSERA_TEST_UNGUARDED is on (refused in
// production by lib/env.ts): the naive check-then-write that the guarded path exists to
// prevent — no Redis pre-lock, no row locks, no conditional fence. The control test uses it to show
// that double holds really happen with the guards off, so the guarded race tests are known to be
// able to fail.

export type UnguardedHoldResult = { ok: true; reservation: ReservationView } | Failure;

let warned = false;

export async function unguardedHold(args: { actor: Actor; eventId: string; ctx: HoldContext; pick: Pick; delayMs: number }): Promise<UnguardedHoldResult> {
  const { actor, eventId, ctx, pick, delayMs } = args;
  if (!warned) {
    warned = true;
    log.warn("holds.unguarded", { message: "TESSERA_TEST_UNGUARDED is on: holds can double-book (test only)" });
  }
  const n = pick.kind === "seats" ? pick.ids.length : pick.quantity;
  const where = pick.kind === "seats" ? sql`i.id = ANY(${bigintArray(pick.ids)}::bigint[])` : sql`i.section_id = ${pick.sectionId}`;
  // Check…
  const free = await db().execute<{ id: string }>(sql`
    SELECT i.id FROM inventory i WHERE i.event_id = ${eventId} AND ${where} AND ${claimable()} ORDER BY i.id LIMIT ${n}::int`);
  if (free.length < n)
    return fail(pick.kind === "seats" ? "seat_taken" : "sold_out", "Not available.", pick.kind === "seats" ? { takenSeatIds: [] } : { available: free.length });
  // …wait (the race window)…
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  // …then write without any condition.
  const id = crypto.randomUUID();
  const ids = bigintArray(free.map((r) => Number(r.id)));
  const [row] = await db().execute<{ expires_at: string | null; amount: number; items: ReservationItem[] | null }>(sql`
    WITH price AS (
      SELECT coalesce(sum(s.price_minor), 0)::int AS amount FROM inventory i JOIN event_sections s ON s.id = i.section_id
      WHERE i.id = ANY(${ids}::bigint[])
    ), res AS (
      INSERT INTO reservations (id, event_id, user_id, status, quantity, amount_minor, currency, expires_at)
      SELECT ${id}::uuid, ${eventId}::uuid, ${actor.id}::uuid, 'ACTIVE', ${n}::int, price.amount, ${ctx.currency}, now() + ${ctx.holdSeconds}::int * interval '1 second'
      FROM price
      ON CONFLICT (event_id, user_id) WHERE status IN ('ACTIVE', 'PAYMENT') DO NOTHING
      RETURNING id, expires_at, amount_minor
    ), claimed AS (
      UPDATE inventory i SET status = 'HELD', reservation_id = res.id, hold_expires_at = res.expires_at
      FROM res WHERE i.id = ANY(${ids}::bigint[])
      RETURNING i.id, i.seq, i.section_id, i.row_label, i.seat_number
    )
    SELECT (SELECT ${isoTs(sql`expires_at`)} FROM res) AS expires_at, (SELECT amount_minor FROM res) AS amount,
      (SELECT ${reservationItemsJson("c")} FROM claimed c JOIN event_sections s ON s.id = c.section_id) AS items`);
  if (!row.expires_at) return fail("conflict", "You already have a reservation for this event.");
  return {
    ok: true,
    reservation: {
      id,
      eventId,
      status: "ACTIVE",
      expiresAt: row.expires_at,
      paymentDeadline: null,
      quantity: n,
      amountMinor: row.amount,
      currency: ctx.currency,
      items: row.items ?? [],
    },
  };
}
