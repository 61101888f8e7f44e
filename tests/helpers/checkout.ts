import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db";
import type { User } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { holdSeats, type HoldRequest, type ReservationView } from "@/lib/holds";
import { runIntegrityChecks } from "@/lib/integrity/checks";

// Helpers for checkout, payment, booking and cancellation tests.

export async function hold(user: User | Actor, eventId: string, req: HoldRequest): Promise<ReservationView> {
  const r = await holdSeats("passwordHash" in user ? toActor(user) : user, eventId, req);
  if (!r.ok) throw new Error(`hold failed: ${r.code} ${r.message}`);
  return r.reservation;
}

/** The mock ledger for one event's checkouts: money in, money out, and how many movements. */
export async function ledger(eventId: string) {
  const [row] = await db().execute<{ charged: number; refunded: number; charges: number; refunds: number }>(sql`
    WITH ch AS (
      SELECT l.* FROM mock_ledger l JOIN checkouts c ON c.provider_key = l.idempotency_key
      WHERE c.event_id = ${eventId} AND l.kind = 'CHARGE' AND l.outcome = 'succeeded'
    ), re AS (
      SELECT l.* FROM mock_ledger l WHERE l.kind = 'REFUND' AND l.charge_id IN (SELECT charge_id FROM ch)
    )
    SELECT (SELECT coalesce(sum(amount_minor), 0)::int FROM ch) AS charged,
           (SELECT coalesce(sum(amount_minor), 0)::int FROM re) AS refunded,
           (SELECT count(*)::int FROM ch) AS charges,
           (SELECT count(*)::int FROM re) AS refunds`);
  return row;
}

/** What the event's bookings still hold: their live tickets' prices plus the cancellation fees kept. */
export async function bookedTotal(eventId: string): Promise<number> {
  const [row] = await db().execute<{ n: number }>(sql`
    SELECT (SELECT coalesce(sum(price_minor), 0) FROM tickets WHERE event_id = ${eventId} AND status <> 'VOID')::int
         + (SELECT coalesce(sum(fee_minor), 0) FROM refunds WHERE event_id = ${eventId})::int AS n`);
  return row.n;
}

/** charges − refunds = what the bookings still hold: no money lost or taken twice. */
export async function expectLedgerBalanced(eventId: string) {
  const l = await ledger(eventId);
  expect(l.charged - l.refunded).toBe(await bookedTotal(eventId));
  return l;
}

export async function expectIntegrity(eventId?: string) {
  const checks = await runIntegrityChecks(db(), eventId);
  expect(checks.filter((c) => c.violations > 0)).toEqual([]);
}

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
    await new Promise((res) => setTimeout(res, Math.min(left, 500)));
  }
}

export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
