import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { freeHeldPlaces } from "@/lib/inventory/places";

// Tidies holds whose time ran out: their ACTIVE reservations become EXPIRED and their places
// AVAILABLE. Correctness never waits for this (a hold counts only while hold_expires_at > now());
// it keeps the tables tidy and the status of sold-out events honest. Reservations in PAYMENT are
// left to the checkout sweep. Each batch is one statement; SKIP LOCKED lets several instances
// share the work without waiting on, or repeating, each other's batches. Locks go reservation
// first, then places in id order — the same order as a customer's release.

const BATCH = 500;
const BUDGET_MS = 20_000;

export async function releaseExpiredHolds(): Promise<{ reservations: number; places: number; batches: number }> {
  const totals = { reservations: 0, places: 0, batches: 0 };
  const started = performance.now();
  for (;;) {
    const [row] = await db().execute<{ reservations: number; places: number }>(sql`
      WITH due AS (
        SELECT id FROM reservations
        WHERE status = 'ACTIVE' AND expires_at <= now()
        ORDER BY expires_at LIMIT ${BATCH}::int
        FOR UPDATE SKIP LOCKED
      ), expired AS (
        UPDATE reservations r SET status = 'EXPIRED', updated_at = now()
        FROM due WHERE r.id = due.id
        RETURNING r.id
      ), ${freeHeldPlaces("expired")}
      SELECT (SELECT count(*)::int FROM expired) AS reservations, (SELECT count(*)::int FROM freed) AS places`);
    totals.batches++;
    totals.reservations += row.reservations;
    totals.places += row.places;
    if (row.reservations < BATCH || performance.now() - started > BUDGET_MS) return totals;
  }
}
