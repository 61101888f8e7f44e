import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import { claimable } from "@/lib/inventory/places";
import { sectionOffered } from "@/lib/promo-codes/hidden";
import { bigintArray, isoTs } from "@/lib/sql";
import { customerPlaces, overCustomerLimit } from "./customer-limit";
import { reservationItemsJson } from "./items";
import type { ReservationItem } from "./types";

// The Postgres half of a hold: the truth. Each claim is ONE statement, so row locks live only
// for the statement and never across an await in a busy app process:
//   want    — lock the requested places that are claimable right now. This conditional read
//             (AVAILABLE, or HELD with hold_expires_at <= now()) under FOR UPDATE is the fence:
//             a row changed by a concurrent claim is re-checked after its lock is released.
//             Assigned seats are locked in id order (no deadlocks between overlapping requests);
//             general admission skips rows other claims have locked (SKIP LOCKED, no hot row).
//   ok      — all or nothing: every place asked for, or none.
//   res     — write the reservation only when ok: insert a new one, or add to the one the
//             caller's transaction has locked.
//   claimed — mark the places HELD for that reservation until its expiry.

export type Pick = { kind: "seats"; ids: number[] } | { kind: "ga"; sectionId: string; quantity: number };

export type ClaimResult = {
  ok: boolean; // every place was free and locked
  written: boolean; // the reservation row was written (false: a concurrent request opened one first)
  amountMinor: number;
  expiresAt: string | null;
  items: ReservationItem[];
  freeIds: number[]; // claimable places found (on failure: which of the asked seats were free)
  foundIds: number[] | null; // on failure for seats: asked ids that exist as assigned seats of this event
  available: number | null; // on failure for GA: places claimable now, counting those being claimed
  customerPlaces: number | null; // with a per-customer limit: the customer's places before this claim
};

/** A per-customer limit to hold the claim to (./customer-limit.ts); null when the event has none. */
export type CustomerGate = { userId: string; limit: number } | null;

function pickCount(pick: Pick) {
  return pick.kind === "seats" ? pick.ids.length : pick.quantity;
}

// `gated`: lock places only once the per-customer count (taken first, under its advisory lock)
// allows the claim, so every hold of one customer takes that lock before any row lock.
// A seat of a hidden section the customer may not see is no seat of this event (../promo-codes/hidden.ts).
function wantSql(eventId: string, userId: string, pick: Pick, gated: boolean): SQL {
  const gate = gated ? sql` AND (SELECT within FROM mine)` : sql``;
  if (pick.kind === "seats") {
    return sql`SELECT i.id, i.section_id FROM inventory i
      JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED' AND ${sectionOffered("s", sql`${userId}::uuid`)}
      WHERE i.event_id = ${eventId} AND i.id = ANY(${bigintArray(pick.ids)}::bigint[]) AND ${claimable()}${gate}
      ORDER BY i.id FOR UPDATE OF i`;
  }
  // ORDER BY status walks the (event_id, section_id, status) index: AVAILABLE rows first, then
  // expired holds. Without it the planner may pick a sequential scan for a small LIMIT, which
  // reads every other event's rows first (rows are clustered by event, not spread evenly).
  return sql`SELECT i.id, i.section_id FROM inventory i
    WHERE i.event_id = ${eventId} AND i.section_id = ${pick.sectionId}
      AND i.status IN ('AVAILABLE', 'HELD') AND ${claimable()}${gate}
    ORDER BY i.status
    LIMIT ${pick.quantity}::int FOR UPDATE SKIP LOCKED`;
}

function resultSql(eventId: string, userId: string, pick: Pick, writeCte: SQL, customer: CustomerGate = null): SQL {
  const n = pickCount(pick);
  // Only on a refusal, to explain it in the same round trip: which asked seats exist here, or
  // how many GA places could be claimed (including those other claims are locking right now).
  const found =
    pick.kind === "seats"
      ? sql`CASE WHEN NOT ok.ok THEN (SELECT json_agg(i.id) FROM inventory i
          JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED' AND ${sectionOffered("s", sql`${userId}::uuid`)}
          WHERE i.event_id = ${eventId} AND i.id = ANY(${bigintArray(pick.ids)}::bigint[])) END`
      : sql`NULL::json`;
  const available =
    pick.kind === "ga"
      ? sql`CASE WHEN NOT ok.ok THEN (SELECT count(*)::int FROM inventory i
          WHERE i.event_id = ${eventId} AND i.section_id = ${pick.sectionId} AND ${claimable()}) END`
      : sql`NULL::int`;
  const mine = customer
    ? sql`mine AS (SELECT p.places, p.places + ${n}::int <= ${customer.limit}::int AS within FROM (SELECT ${customerPlaces(eventId, customer.userId)} AS places) p),`
    : sql``;
  return sql`
    WITH ${mine} want AS (${wantSql(eventId, userId, pick, customer !== null)}),
    ok AS (
      SELECT count(*) = ${n}::int AS ok, coalesce(sum(s.price_minor), 0)::int AS amount
      FROM want w JOIN event_sections s ON s.id = w.section_id
    ),
    ${writeCte},
    claimed AS (
      UPDATE inventory i SET status = 'HELD', reservation_id = res.id, hold_expires_at = res.expires_at
      FROM res, want WHERE i.id = want.id
      RETURNING i.id, i.seq, i.section_id, i.row_label, i.seat_number
    )
    SELECT ok.ok, ok.amount,
      (SELECT ${isoTs(sql`expires_at`)} FROM res) AS expires_at,
      EXISTS (SELECT 1 FROM res) AS written,
      (SELECT coalesce(json_agg(w.id), '[]') FROM want w) AS free_ids,
      (SELECT ${reservationItemsJson("c")} FROM claimed c JOIN event_sections s ON s.id = c.section_id) AS items,
      ${found} AS found_ids,
      ${available} AS available,
      ${customer ? sql`(SELECT places FROM mine)` : sql`NULL::int`} AS customer_places
    FROM ok`;
}

/** What the claim statement returns (the one-statement hold, ./hold-statement.ts, returns it too). */
export type ClaimRow = {
  ok: boolean;
  amount: number;
  expires_at: string | null;
  written: boolean;
  free_ids: number[];
  items: ReservationItem[];
  found_ids: number[] | null;
  available: number | null;
  customer_places?: number | null;
};

function toResult(row: ClaimRow, pick: Pick): ClaimResult {
  const result: ClaimResult = {
    ok: row.ok,
    written: row.written,
    amountMinor: row.amount,
    expiresAt: row.expires_at,
    items: row.items,
    freeIds: row.free_ids.map(Number),
    foundIds: row.found_ids ? row.found_ids.map(Number) : pick.kind === "seats" && !row.ok ? [] : null,
    available: row.available,
    customerPlaces: row.customer_places ?? null,
  };
  // The places in `want` were locked by this very statement, so the update cannot miss one.
  if (result.written && result.items.length !== pickCount(pick)) {
    throw new Error(`hold claim wrote ${result.items.length} places for ${pickCount(pick)} asked`);
  }
  return result;
}

/** Opens a new reservation with the places, all or nothing. Autocommit: one round trip. */
export async function claimNew(args: {
  eventId: string;
  userId: string;
  reservationId: string;
  currency: string;
  holdSeconds: number;
  pick: Pick;
  maxPerCustomer: number | null;
}) {
  const { eventId, userId, reservationId, currency, holdSeconds, pick, maxPerCustomer } = args;
  const write = sql`res AS (
      INSERT INTO reservations (id, event_id, user_id, status, quantity, amount_minor, currency, expires_at)
      SELECT ${reservationId}::uuid, ${eventId}::uuid, ${userId}::uuid, 'ACTIVE', ${pickCount(pick)}::int, ok.amount, ${currency},
        now() + ${holdSeconds}::int * interval '1 second'
      FROM ok WHERE ok.ok
      ON CONFLICT (event_id, user_id) WHERE status IN ('ACTIVE', 'PAYMENT') DO NOTHING
      RETURNING id, expires_at
    )`;
  const customer = maxPerCustomer === null ? null : { userId, limit: maxPerCustomer };
  const rows = await db().execute<ClaimRow>(resultSql(eventId, userId, pick, write, customer));
  return toResult(rows[0], pick);
}

export type AddResult =
  ClaimResult | { ok: false; gone: true } | { ok: false; overLimit: true; quantity: number } | { ok: false; overCustomerLimit: true; places: number };

/**
 * Adds places to the customer's ACTIVE reservation, keeping its expiry. The reservation row is
 * locked first (the same order as release and the cron: reservation, then places), and the
 * per-event limit is checked under that lock.
 */
export async function claimAdd(args: {
  eventId: string;
  userId: string;
  reservationId: string;
  maxPerOrder: number;
  maxPerCustomer: number | null;
  pick: Pick;
}): Promise<AddResult> {
  const { eventId, userId, reservationId, maxPerOrder, maxPerCustomer, pick } = args;
  return db().transaction(async (tx) => {
    // With a per-customer limit, its advisory lock comes first (as in every hold of this
    // customer), then the reservation row; the count is exact until this transaction commits.
    let places: number | null = null;
    if (maxPerCustomer !== null) {
      [{ places }] = await tx.execute<{ places: number }>(sql`SELECT ${customerPlaces(eventId, userId)} AS places`);
      if (overCustomerLimit(maxPerCustomer, places, pickCount(pick))) return { ok: false as const, overCustomerLimit: true as const, places };
    }
    const [res] = await tx.execute<{ quantity: number }>(sql`
      SELECT quantity FROM reservations
      WHERE id = ${reservationId} AND user_id = ${userId} AND status = 'ACTIVE' AND expires_at > now()
      FOR UPDATE`);
    if (!res) return { ok: false as const, gone: true as const };
    if (res.quantity + pickCount(pick) > maxPerOrder) return { ok: false as const, overLimit: true as const, quantity: res.quantity };
    const write = sql`res AS (
        UPDATE reservations r SET quantity = r.quantity + ${pickCount(pick)}::int, amount_minor = r.amount_minor + ok.amount, updated_at = now()
        FROM ok WHERE ok.ok AND r.id = ${reservationId}
        RETURNING r.id, r.expires_at
      )`;
    const rows = await tx.execute<ClaimRow>(resultSql(eventId, userId, pick, write));
    return { ...toResult(rows[0], pick), customerPlaces: places };
  });
}
