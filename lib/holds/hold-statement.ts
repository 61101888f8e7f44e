import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { claimable } from "@/lib/inventory/places";
import { sectionOffered } from "@/lib/promo-codes/hidden";
import { bigintArray, isoTs } from "@/lib/sql";
import type { ClaimRow, Pick } from "./claim";
import { customerPlaces } from "./customer-limit";
import { reservationItemsJson } from "./items";
import type { ReservationItem } from "./types";

// The hold's PostgreSQL half in ONE round trip, for the usual case: a customer with no open
// reservation for the event asks for places. One statement (prepared, db/prepared.ts):
//   caller  — the user the session or token names, at the session version it carries (so a
//             sign-out everywhere or a deleted account refuses here, as lib/auth/actor.ts would);
//   ev      — the event's sale facts, judged by the database clock;
//   open    — the customer's open reservation, if any (then nothing is claimed here: adding to a
//             reservation or one being paid takes the step-by-step path in ./hold.ts);
//   mine    — only for an event with a per-customer limit: the customer's places, counted under
//             an advisory lock on (event, customer) by customer_places() (./customer-limit.ts);
//   go      — every rule that lets the claim go ahead: caller, published, on sale, no open
//             reservation, within max_per_order and the per-customer limit, a GA section of this
//             event for GA (a hidden section only for a customer it is offered to);
//   want … claimed — the fenced claim of ./claim.ts (same locks, same order, all or nothing),
//             writing a new ACTIVE reservation that expires after the event's hold time;
// and it answers with everything the caller needs to explain a refusal, plus the database clock
// (the website's countdown starts from it). Nothing is written unless `go` holds.

export type HoldStatementResult = {
  actor: Actor | null; // null: the session or token is not (or no longer) valid
  event: null | {
    published: boolean;
    status: string;
    currency: string;
    holdSeconds: number;
    maxPerOrder: number;
    maxPerCustomer: number | null;
    saleOpen: boolean;
    saleNotStarted: boolean;
  };
  customerPlaces: number | null; // with a per-customer limit: the customer's places of the event before this hold (./customer-limit.ts)
  hasOpen: boolean; // an ACTIVE or PAYMENT reservation of this customer exists: the step-by-step path decides
  sectionKind: "ASSIGNED" | "GA" | null; // GA: the kind of the asked section of this event (null: not one of its sections)
  went: boolean; // every rule held and the claim was tried
  ok: boolean; // every place asked for was free and locked
  written: boolean; // the reservation row was written (false: a concurrent request of this customer opened one first)
  amountMinor: number;
  expiresAt: string | null;
  items: ReservationItem[];
  freeIds: number[];
  foundIds: number[] | null;
  available: number | null;
  now: string;
};

type Row = ClaimRow & {
  actor: (Omit<Actor, "guest"> & { guest: boolean }) | null;
  event: HoldStatementResult["event"];
  has_open: boolean;
  customer_places: number | null;
  section_kind: "ASSIGNED" | "GA" | null;
  went: boolean;
  now: string;
};

function count(pick: Pick) {
  return pick.kind === "seats" ? pick.ids.length : pick.quantity;
}

// Two fixed texts (seats, GA): every value below is a parameter, so each is prepared once per connection.
function statement(a: { userId: string; sessionVersion: number; eventId: string; reservationId: string; pick: Pick }): SQL {
  const { userId, sessionVersion, eventId, reservationId, pick } = a;
  const n = count(pick);
  const seats = pick.kind === "seats";
  // A hidden section the customer may not see is no section of this event (../promo-codes/hidden.ts):
  // for any other section the condition reads nothing more.
  const offered = sectionOffered("s", sql`${userId}::uuid`);
  const section = seats
    ? sql``
    : sql`, sec AS (SELECT s.id, s.kind FROM event_sections s WHERE s.id = ${pick.sectionId}::uuid AND s.event_id = ${eventId}::uuid AND ${offered})`;
  const want = seats
    ? sql`SELECT i.id, i.section_id FROM inventory i
        JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED' AND ${offered}
        WHERE EXISTS (SELECT 1 FROM go) AND i.event_id = ${eventId}::uuid AND i.id = ANY(${bigintArray(pick.ids)}::bigint[]) AND ${claimable()}
        ORDER BY i.id FOR UPDATE OF i`
    : sql`SELECT i.id, i.section_id FROM inventory i
        WHERE EXISTS (SELECT 1 FROM go) AND i.event_id = ${eventId}::uuid AND i.section_id = ${pick.sectionId}::uuid
          AND i.status IN ('AVAILABLE', 'HELD') AND ${claimable()}
        ORDER BY i.status LIMIT ${n}::int FOR UPDATE SKIP LOCKED`;
  const found = seats
    ? sql`CASE WHEN (SELECT went FROM flags) AND NOT ok.ok THEN (SELECT json_agg(i.id) FROM inventory i
        JOIN event_sections s ON s.id = i.section_id AND s.kind = 'ASSIGNED' AND ${offered}
        WHERE i.event_id = ${eventId}::uuid AND i.id = ANY(${bigintArray(pick.ids)}::bigint[])) END`
    : sql`NULL::json`;
  const available = seats
    ? sql`NULL::int`
    : sql`CASE WHEN (SELECT went FROM flags) AND NOT ok.ok THEN (SELECT count(*)::int FROM inventory i
        WHERE i.event_id = ${eventId}::uuid AND i.section_id = ${pick.sectionId}::uuid AND ${claimable()}) END`;
  return sql`
    WITH caller AS (
      SELECT u.id, u.email, u.name, u.role, u.guest FROM users u WHERE u.id = ${userId}::uuid AND u.session_version = ${sessionVersion}::int
    ),
    ev AS (
      SELECT e.published_at IS NOT NULL AS published, e.status, e.currency, e.hold_seconds AS "holdSeconds", e.max_per_order AS "maxPerOrder",
        e.max_per_customer AS "maxPerCustomer", (now() >= e.sale_starts_at AND now() < e.sale_ends_at) AS "saleOpen", (now() < e.sale_starts_at) AS "saleNotStarted"
      FROM events e WHERE e.id = ${eventId}::uuid
    ),
    open AS (
      SELECT r.id FROM reservations r WHERE r.event_id = ${eventId}::uuid AND r.user_id = ${userId}::uuid AND r.status IN ('ACTIVE', 'PAYMENT')
    )${section},
    mine AS (
      SELECT CASE WHEN ev."maxPerCustomer" IS NULL THEN NULL ELSE ${customerPlaces(eventId, userId)} END AS places FROM ev, caller
    ),
    go AS (
      SELECT ev.currency, ev."holdSeconds" FROM ev, caller
      WHERE ev.published AND ev."saleOpen" AND ev.status NOT IN ('CANCELLED', 'COMPLETED')
        AND NOT EXISTS (SELECT 1 FROM open) AND ${n}::int <= ev."maxPerOrder"
        AND (ev."maxPerCustomer" IS NULL OR (SELECT places FROM mine) + ${n}::int <= ev."maxPerCustomer") ${seats ? sql`` : sql`AND EXISTS (SELECT 1 FROM sec WHERE sec.kind = 'GA')`}
    ),
    flags AS (SELECT EXISTS (SELECT 1 FROM go) AS went),
    want AS (${want}),
    ok AS (
      SELECT count(*) = ${n}::int AS ok, coalesce(sum(s.price_minor), 0)::int AS amount
      FROM want w JOIN event_sections s ON s.id = w.section_id
    ),
    res AS (
      INSERT INTO reservations (id, event_id, user_id, status, quantity, amount_minor, currency, expires_at)
      SELECT ${reservationId}::uuid, ${eventId}::uuid, ${userId}::uuid, 'ACTIVE', ${n}::int, ok.amount, go.currency,
        now() + go."holdSeconds" * interval '1 second'
      FROM ok, go WHERE ok.ok
      ON CONFLICT (event_id, user_id) WHERE status IN ('ACTIVE', 'PAYMENT') DO NOTHING
      RETURNING id, expires_at
    ),
    claimed AS (
      UPDATE inventory i SET status = 'HELD', reservation_id = res.id, hold_expires_at = res.expires_at
      FROM res, want WHERE i.id = want.id
      RETURNING i.id, i.seq, i.section_id, i.row_label, i.seat_number
    )
    SELECT
      (SELECT row_to_json(caller) FROM caller) AS actor,
      (SELECT row_to_json(ev) FROM ev) AS event,
      EXISTS (SELECT 1 FROM open) AS has_open,
      (SELECT places FROM mine) AS customer_places,
      ${seats ? sql`NULL::text` : sql`(SELECT kind::text FROM sec)`} AS section_kind,
      (SELECT went FROM flags) AS went,
      ok.ok, ok.amount,
      (SELECT ${isoTs(sql`expires_at`)} FROM res) AS expires_at,
      EXISTS (SELECT 1 FROM res) AS written,
      (SELECT coalesce(json_agg(w.id), '[]') FROM want w) AS free_ids,
      (SELECT ${reservationItemsJson("c")} FROM claimed c JOIN event_sections s ON s.id = c.section_id) AS items,
      ${found} AS found_ids,
      ${available} AS available,
      ${isoTs(sql`clock_timestamp()`)} AS now
    FROM ok`;
}

/** Checks the caller and claims the places for a new reservation `reservationId`, in one round trip. */
export async function holdInOneStatement(a: {
  userId: string;
  sessionVersion: number;
  eventId: string;
  reservationId: string;
  pick: Pick;
}): Promise<HoldStatementResult> {
  const [row] = await db().execute<Row>(statement(a));
  const result: HoldStatementResult = {
    actor: row.actor && {
      id: row.actor.id,
      email: row.actor.email,
      name: row.actor.name,
      role: row.actor.role,
      ...(row.actor.guest ? { guest: true as const } : {}),
    },
    event: row.event,
    customerPlaces: row.customer_places,
    hasOpen: row.has_open,
    sectionKind: row.section_kind,
    went: row.went,
    ok: row.ok,
    written: row.written,
    amountMinor: row.amount,
    expiresAt: row.expires_at,
    items: row.items.map((i) => ({ ...i, inventoryId: Number(i.inventoryId) })),
    freeIds: row.free_ids.map(Number),
    foundIds: row.found_ids ? row.found_ids.map(Number) : a.pick.kind === "seats" && row.went && !row.ok ? [] : null,
    available: row.available,
    now: row.now,
  };
  // The places in `want` were locked by this very statement, so the update cannot miss one.
  if (result.written && result.items.length !== count(a.pick)) {
    throw new Error(`hold claim wrote ${result.items.length} places for ${count(a.pick)} asked`);
  }
  return result;
}
