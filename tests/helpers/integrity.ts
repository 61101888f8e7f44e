import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db";
import { runIntegrityChecks, sectionCounts } from "@/lib/integrity/checks";

// After every race or fault test: the integrity checks of lib/integrity (docs/invariants.md)
// find nothing, places are conserved, and the money adds up.

/**
 * Zero violations of every integrity check (of one event, or of the whole database without
 * one). For an event, also conservation (I7) per section at this instant; returns its counts.
 */
export async function expectIntegrity(eventId?: string) {
  const checks = await runIntegrityChecks(db(), eventId);
  expect(checks.filter((c) => c.violations > 0)).toEqual([]);
  if (!eventId) return [];
  const counts = await sectionCounts(db(), eventId);
  expect(counts.length).toBeGreaterThan(0);
  for (const c of counts) expect(c.available + c.held + c.sold + c.blocked).toBe(c.capacity);
  return counts;
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
