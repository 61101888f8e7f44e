import "server-only";
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { db, type Tx } from "@/db";
import { customerPlaces } from "@/lib/holds/customer-limit";
import { claimable } from "@/lib/inventory/places";
import { sectionOffered } from "@/lib/promo-codes/hidden";
import { log } from "@/lib/log";
import { wakeMailer } from "@/lib/mail/loop";
import { outboxInsertSql } from "@/lib/mail/outbox";
import { isoTs } from "@/lib/sql";
import { OFFER_SECONDS } from "./schemas";

// Offering places that came back to the people on a waiting list, in the order they joined
// (a cron tick step; see docs/box-office.md). Per event, in one transaction:
//   1. settle earlier offers: paid → CLAIMED; hold released or run out → LAPSED (the places
//      are free again and go to the next in line below);
//   2. walk the line in order and, for each person, hold the places they asked for — a new
//      ACTIVE reservation in their name, exactly like a hold they made themselves, lasting
//      OFFER_SECONDS — and mark them OFFERED. They pay for it like any hold. The same statement
//      writes the offer's email (claim link and deadline) to the outbox: a message exists
//      exactly when the offer does, at most one per entry (its dedupe key).
// Exactly once: one offering transaction per event at a time (a transaction-scoped advisory
// lock; other instances skip the event), the entry is locked and must still be WAITING, the
// places are taken by the fenced claim (only claimable places, FOR UPDATE SKIP LOCKED, all or
// none), and the reservation's unique index allows one open reservation per customer.
// Hidden sections (lib/promo-codes/hidden.ts): places in one go only to someone it is offered to
// (an open grant naming it), so a grant that lapsed while waiting is no longer served from it.
// Order: when the person next in line cannot be served yet, nobody behind them who wants the
// same places is served first (per section; someone waiting for "any section" holds back all).
// Per-customer limit (events.max_per_customer, lib/holds/customer-limit.ts): an offer counts the
// customer's places with customer_places() under its advisory lock, as every hold does, and
// holds only as many as they may still have (fewer than they asked for, if need be); someone
// with none left keeps their place in line, holds nobody back, and is passed over this time.
// The locks of everyone in line are taken before any place is claimed, so an offer never waits
// for a customer's lock while holding rows that customer's hold is waiting for (no deadlock).

const LOCK_NAMESPACE = 727_305;
const MAX_OFFERS_PER_EVENT = 200;

export type OfferReport = { events: number; offered: number; lapsed: number; claimed: number; skipped: number };

export async function offerWaitingLists(opts: { eventId?: string } = {}): Promise<OfferReport> {
  const report: OfferReport = { events: 0, offered: 0, lapsed: 0, claimed: 0, skipped: 0 };
  const events = await db().execute<{ event_id: string }>(sql`
    SELECT DISTINCT event_id FROM waitlist_entries
    WHERE status IN ('WAITING', 'OFFERED') ${opts.eventId ? sql`AND event_id = ${opts.eventId}` : sql``}
    LIMIT 500`);
  for (const { event_id } of events) {
    try {
      const r = await db().transaction((tx) => offerForEvent(tx, event_id));
      if (!r) {
        report.skipped++;
        continue;
      }
      report.events++;
      report.offered += r.offered;
      report.lapsed += r.lapsed;
      report.claimed += r.claimed;
    } catch (err) {
      log.error("waitlist.offer_failed", { eventId: event_id, error: err instanceof Error ? err.stack : String(err) });
    }
  }
  if (report.offered) wakeMailer();
  if (report.offered || report.lapsed || report.claimed) log.info("waitlist.offers", report);
  return report;
}

type Entry = { id: string; user_id: string; section_id: string | null; quantity: number };

async function offerForEvent(tx: Tx, eventId: string): Promise<{ offered: number; lapsed: number; claimed: number } | null> {
  const [lock] = await tx.execute<{ got: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${eventId})) AS got`);
  if (!lock.got) return null; // another instance is offering this event's places right now

  const [settled] = await tx.execute<{ claimed: number; lapsed: number }>(sql`
    WITH s AS (
      UPDATE waitlist_entries w SET status = CASE WHEN r.status = 'CONFIRMED' THEN 'CLAIMED'::waitlist_status ELSE 'LAPSED'::waitlist_status END,
        updated_at = now()
      FROM reservations r
      WHERE w.event_id = ${eventId} AND w.status = 'OFFERED' AND r.id = w.reservation_id
        AND NOT ((r.status = 'ACTIVE' AND r.expires_at > now()) OR r.status = 'PAYMENT')
      RETURNING w.status
    )
    SELECT count(*) FILTER (WHERE status = 'CLAIMED')::int AS claimed, count(*) FILTER (WHERE status = 'LAPSED')::int AS lapsed FROM s`);

  const [event] = await tx.execute<{ open: boolean; currency: string; max_per_customer: number | null }>(sql`
    SELECT e.status NOT IN ('CANCELLED', 'COMPLETED') AND now() >= e.sale_starts_at AND now() < e.sale_ends_at AS open, e.currency,
      e.max_per_customer
    FROM events e WHERE e.id = ${eventId}`);
  let offered = 0;
  if (event?.open) {
    const line = await tx.execute<Entry>(sql`
      SELECT id, user_id, section_id, quantity FROM waitlist_entries
      WHERE event_id = ${eventId} AND status = 'WAITING'
      ORDER BY position LIMIT ${MAX_OFFERS_PER_EVENT}
      FOR UPDATE`);
    const limit = event.max_per_customer;
    if (limit !== null && line.length) await lockCustomers(tx, eventId, line);
    const waitingFor = new Set<string>(); // sections someone ahead is still waiting for
    for (const entry of line) {
      if (waitingFor.has("*")) break;
      if (entry.section_id && waitingFor.has(entry.section_id)) continue;
      const quantity = limit === null ? entry.quantity : Math.min(entry.quantity, limit - (await placesOf(tx, eventId, entry.user_id)));
      if (quantity <= 0) continue; // at their limit: they keep their place and hold nobody back
      const outcome = await offerOne(tx, eventId, event.currency, { ...entry, quantity }, entry.section_id ? [] : [...waitingFor]);
      if (outcome === "offered") offered++;
      else if (outcome === "not_enough") waitingFor.add(entry.section_id ?? "*");
      // "busy": they already have an open reservation for this event; they keep their place.
    }
  }
  return { offered, lapsed: settled.lapsed, claimed: settled.claimed };
}

/** Takes the per-customer lock of everyone in line (customer_places() takes it; the counts are not needed yet). */
async function lockCustomers(tx: Tx, eventId: string, line: Entry[]) {
  const ids = `{${line.map((e) => e.user_id).join(",")}}`;
  await tx.execute(sql`SELECT count(${customerPlaces(eventId, sql`t.id`)}) FROM unnest(${ids}::uuid[]) AS t(id)`);
}

/**
 * The customer's places of the event now, exact: their lock is held by this transaction, and
 * the count includes offers this transaction made to another entry of the same address.
 */
async function placesOf(tx: Tx, eventId: string, userId: string): Promise<number> {
  const [row] = await tx.execute<{ places: number }>(sql`SELECT ${customerPlaces(eventId, userId)} AS places`);
  return row.places;
}

/** Holds `quantity` places for the entry's customer and marks the entry OFFERED, all or nothing, in one statement. */
async function offerOne(tx: Tx, eventId: string, currency: string, entry: Entry, excludeSections: string[]): Promise<"offered" | "not_enough" | "busy"> {
  const reservationId = crypto.randomUUID();
  const section = entry.section_id ? sql`AND i.section_id = ${entry.section_id}` : sql``;
  const exclude = excludeSections.length ? sql`AND NOT (i.section_id = ANY(${`{${excludeSections.join(",")}}`}::uuid[]))` : sql``;
  const [row] = await tx.execute<{ enough: boolean; offered: boolean }>(sql`
    WITH want AS (
      SELECT i.id, i.section_id FROM inventory i
      JOIN event_sections hs ON hs.id = i.section_id AND ${sectionOffered("hs", sql`${entry.user_id}::uuid`)}
      WHERE i.event_id = ${eventId} ${section} ${exclude} AND i.status IN ('AVAILABLE', 'HELD') AND ${claimable()}
      ORDER BY i.seq LIMIT ${entry.quantity}::int
      FOR UPDATE OF i SKIP LOCKED
    ), ok AS (
      SELECT count(*) = ${entry.quantity}::int AS ok, coalesce(sum(s.price_minor), 0)::int AS amount
      FROM want w JOIN event_sections s ON s.id = w.section_id
    ), res AS (
      INSERT INTO reservations (id, event_id, user_id, status, quantity, amount_minor, currency, expires_at)
      SELECT ${reservationId}::uuid, ${eventId}::uuid, ${entry.user_id}::uuid, 'ACTIVE', ${entry.quantity}::int, ok.amount, ${currency},
        now() + ${OFFER_SECONDS}::int * interval '1 second'
      FROM ok WHERE ok.ok
      ON CONFLICT (event_id, user_id) WHERE status IN ('ACTIVE', 'PAYMENT') DO NOTHING
      RETURNING id, expires_at
    ), claimed AS (
      UPDATE inventory i SET status = 'HELD', reservation_id = res.id, hold_expires_at = res.expires_at
      FROM res, want WHERE i.id = want.id
      RETURNING i.id
    ), offered AS (
      UPDATE waitlist_entries w SET status = 'OFFERED', reservation_id = res.id, offered_at = now(), updated_at = now()
      FROM res WHERE w.id = ${entry.id} AND w.status = 'WAITING'
      RETURNING w.id, res.id AS reservation_id, res.expires_at
    ), mail AS (
      ${outboxInsertSql(
        "waitlist_offer",
        sql`SELECT u.email AS recipient, 'waitlist_offer:' || o.id AS dedupe_key,
          jsonb_build_object('entryId', o.id, 'reservationId', o.reservation_id, 'eventId', e.id, 'eventTitle', e.title,
            'startsAt', ${isoTs(sql`e.starts_at`)}, 'timeZone', e.time_zone, 'quantity', ${entry.quantity}::int, 'sectionName', s.name,
            'amountMinor', ok.amount, 'currency', trim(e.currency), 'expiresAt', ${isoTs(sql`o.expires_at`)}) AS payload
        FROM offered o CROSS JOIN ok JOIN users u ON u.id = ${entry.user_id}::uuid JOIN events e ON e.id = ${eventId}::uuid
        LEFT JOIN event_sections s ON s.id = ${entry.section_id}::uuid`,
      )}
    )
    SELECT (SELECT ok FROM ok) AS enough, EXISTS (SELECT 1 FROM offered) AS offered`);
  if (row.offered) return "offered";
  return row.enough ? "busy" : "not_enough";
}
