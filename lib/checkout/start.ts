import "server-only";
import { sql } from "drizzle-orm";
import { db, type DbOrTx, type Tx } from "@/db";
import type { Checkout, CheckoutItem } from "@/db/schema";
import { formatReference } from "@/lib/bookings/reference";
import type { Actor } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { fail, type Failure } from "@/lib/errors";
import { isoTs } from "@/lib/sql";
import { typeLimitRace } from "@/lib/test-switches";
import { lockPromoCode, promoCtes, promoRefusal, type PromoState } from "@/lib/promo-codes/apply";
import { takenOfType } from "@/lib/ticket-types/offers";
import type { TicketChoice } from "@/lib/ticket-types/schemas";
import { pricingCtes } from "./pricing";

// Saga step 1, one statement: lock the reservation, check the fence with the database clock
// (reservation ACTIVE and unexpired, every place still HELD by it and unexpired), price it —
// by the ticket type chosen per place at the prices in force when the hold began, or from the
// section prices for an event without types (docs/box-office.md) — and lock it for payment: reservation → PAYMENT with a payment deadline,
// its places' holds stretched to that deadline (so the plain expiry rule cannot free them while
// the customer pays), checkout row STARTED. Nothing is charged before this commits, so a
// customer whose hold ran out is refused here and never charged.
//
// The fence reads clock_timestamp(), not now() (the transaction's start): a transaction that
// waited for the reservation lock must not judge the hold by the time it began.
// A discount code (docs/promo-codes.md) is applied here too, after the per-place prices are known:
// the start then runs in a transaction that first locks the code's row, so its uses are counted
// exactly. Lock order everywhere in the checkout: promo code (only when one is entered) → limited
// ticket types (only when involved) → event (KEY SHARE) → checkout → reservation → places.

/** How long a checkout may stay between steps before the sweep takes it over. */
export function paymentWindowMs(): number {
  return 2 * env().PAYMENT_TIMEOUT_MS;
}

type Row = {
  user_id: string | null; // null: no such reservation
  event_id: string;
  status: string;
  quantity: number;
  live: boolean;
  event_status: string;
  currency: string;
  places: number;
  held: number;
  amount: number;
  reference: string | null; // a CONFIRMED reservation's booking
  checkout: null | {
    id: string;
    items: CheckoutItem[];
    deadline: string;
    created_at: string;
    updated_at: string;
    promo_code_id: string | null;
    discount_minor: number;
  };
  bad_choices: number[] | null; // chosen types a place cannot be bought as (or places not in the reservation)
  needs_lock: string[] | null; // limited types involved whose rows this statement did not hold locked
  over: { name: string; limit: number; taken: number; wanted: number }[] | null;
  promo_state: PromoState | null; // null: no code entered
};

export async function startCheckout(
  actor: Pick<Actor, "id">,
  reservationId: string,
  method: "mock" | "stripe" | "free",
  providerKey: string,
  ticketTypes: TicketChoice[] = [],
  promoCode = "",
): Promise<{ ok: true; checkout: Checkout } | Failure> {
  const provider = env().PAYMENT_PROVIDER;
  const choices = JSON.stringify(ticketTypes);
  const code = promoCode.trim();
  let locked: string[] = [];
  // With a code: the code's row is locked first, in the same transaction as the start statement
  // that counts its uses and writes the checkout (lib/promo-codes/apply.ts).
  const race = typeLimitRace(); // test switches only (lib/test-switches.ts): off in production
  const locking = async (tx: Tx) => (code ? { codeId: await lockPromoCode(tx, reservationId, code, race.unguarded), asked: true } : NO_PROMO);
  let row = code
    ? await db().transaction(async (tx) => {
        const started = await startStatement(tx, actor, reservationId, method, providerKey, choices, locked, await locking(tx));
        if (race.delayMs > 0) await tx.execute(sql`SELECT pg_sleep(${race.delayMs / 1000})`);
        return started;
      })
    : await startStatement(db(), actor, reservationId, method, providerKey, choices, locked, NO_PROMO);
  // Limited ticket types (docs/box-office.md): counting what is taken is exact only when no other
  // checkout of the type can commit meanwhile. So the statement writes nothing when a limited
  // type is involved that it does not hold the lock of, and runs again in a transaction that first
  // locks those types' rows: its own snapshot (READ COMMITTED, one per statement) is taken after
  // the lock and sees every checkout committed before. Events without limited types never pay this.
  for (let round = 0; row?.needs_lock && round < 3; round++) {
    locked = [...new Set([...locked, ...row.needs_lock])].sort();
    const ids = locked;
    row = await db().transaction(async (tx) => {
      const promo = await locking(tx);
      if (!race.unguarded) await tx.execute(sql`SELECT id FROM ticket_types WHERE id = ANY(${`{${ids.join(",")}}`}::uuid[]) ORDER BY id FOR UPDATE`);
      const started = await startStatement(tx, actor, reservationId, method, providerKey, choices, ids, promo);
      if (race.delayMs > 0) await tx.execute(sql`SELECT pg_sleep(${race.delayMs / 1000})`);
      return started;
    });
  }

  if (!row || !row.user_id || row.user_id !== actor.id) return fail("not_found", "No such reservation.");
  if (row.checkout) {
    const amountMinor = row.amount;
    return {
      ok: true as const,
      checkout: {
        id: row.checkout.id,
        reservationId,
        userId: actor.id,
        eventId: row.event_id,
        state: "STARTED",
        amountMinor,
        currency: row.currency,
        promoCodeId: row.checkout.promo_code_id,
        discountMinor: row.checkout.discount_minor,
        provider: amountMinor === 0 ? "free" : method,
        providerKey,
        providerRef: null,
        bookingId: null,
        items: row.checkout.items,
        failureCode: null,
        deadline: new Date(row.checkout.deadline),
        createdAt: new Date(row.checkout.created_at),
        updatedAt: new Date(row.checkout.updated_at),
      },
    };
  }
  if (row.event_status === "CANCELLED") return fail("reservation_closed", "This event has been cancelled. Nothing was charged.");
  if (row.status === "PAYMENT") {
    return fail(
      "reservation_locked",
      "A payment for this reservation is already in progress. Nothing more was charged; retry with the same Idempotency-Key to see its result.",
    );
  }
  if (row.status === "CONFIRMED") {
    const b = row.reference;
    return fail(
      "reservation_closed",
      `This reservation is already booked${b ? ` (booking ${formatReference(b)})` : ""}. Nothing more was charged.`,
      b ? { reference: b } : {},
    );
  }
  if (row.status !== "ACTIVE" || !row.live) return holdExpired();
  if (row.places === 0 || row.places !== row.quantity || row.held !== row.places) return holdExpired();
  if (row.bad_choices?.length) {
    return fail("validation_failed", "A ticket type you chose is not offered for that place. Please choose again.", {
      fields: { ticketTypes: [`Not offered for place ${row.bad_choices.join(", ")}`] },
    });
  }
  if (row.over?.length) {
    const o = row.over[0];
    const left = Math.max(0, o.limit - o.taken);
    return fail(
      "sold_out",
      `Only ${left} ${o.name} ticket${left === 1 ? " is" : "s are"} left for this event and you chose ${o.wanted}. Nothing was charged: choose another type for ${o.wanted - left === 1 ? "one place" : `${o.wanted - left} places`}.`,
      { available: left, fields: { ticketTypes: [`At most ${left} ${o.name}`] } },
    );
  }
  const refusal = promoRefusal(row.promo_state, code);
  if (refusal) return refusal;
  if (row.needs_lock?.length) throw new Error("checkout start: ticket types kept changing their limits; try again");
  if (row.amount > 0 && method === "free") {
    return fail("validation_failed", "This reservation is not free: pay with a card.", { fields: { "payment.method": ["Choose a card payment"] } });
  }
  if (row.amount > 0 && method !== provider) {
    return fail("validation_failed", `Payments by "${method}" are not available here.`, {
      fields: { "payment.method": [`Use "${provider}"`] },
    });
  }
  // Every rule held but nothing was written: a concurrent start of the same reservation won (the
  // one-open-checkout index or the provider key refused ours). Its payment is in progress.
  return fail(
    "reservation_locked",
    "A payment for this reservation is already in progress. Nothing more was charged; retry with the same Idempotency-Key to see its result.",
  );
}

const NO_PROMO = { codeId: null, asked: false };

function holdExpired() {
  return fail("hold_expired", "Your hold on these seats has ended, so nothing was charged. Please choose your seats again.", { refunded: false });
}

/**
 * The start in one statement (see startCheckout). Pricing (./pricing.ts, shared with the checkout
 * page's quote): a place with a chosen type costs that type's price for its section as in force
 * when the hold began (the reservation's created_at); without a choice, the section's first type
 * then; a section without types sells at its own price. `locked`: the limited types whose rows
 * this transaction holds; a limited type outside it makes the statement write nothing and name
 * the types to lock (needs_lock).
 */
async function startStatement(
  q: DbOrTx,
  actor: Pick<Actor, "id">,
  reservationId: string,
  method: string,
  providerKey: string,
  choices: string,
  locked: string[],
  promo: { codeId: string | null; asked: boolean },
): Promise<Row | undefined> {
  const provider = env().PAYMENT_PROVIDER;
  // One autocommit statement (one round trip instead of BEGIN, four statements and COMMIT):
  //   r   — the reservation and its event, locked (event KEY SHARE, so a cancellation waits for us);
  //   p   — its places, locked in id order, judged by the database clock — only when r may pay;
  //   priced — each place's type and price (the choices, the offers when the hold began);
  //   lim — the limited types involved: taken (tickets and open checkouts) against the limit;
  //   go  — every rule holds: the caller's, ACTIVE and unexpired, every place still held by it,
  //         every choice valid, every limit kept, the payment method fits the amount;
  //   then the writes, only when go: reservation → PAYMENT, holds stretched, checkout STARTED.
  // The refusal is explained from r, p, priced and lim below, in the order the rules were always checked.
  const [row] = await q.execute<Row>(sql`
    WITH r AS (
      SELECT r.user_id, r.event_id, r.status, r.quantity, r.created_at, r.expires_at > clock_timestamp() AS live, e.status AS event_status, e.currency
      FROM reservations r JOIN events e ON e.id = r.event_id
      WHERE r.id = ${reservationId}::uuid
      FOR UPDATE OF r FOR KEY SHARE OF e
    ),
    p AS (
      SELECT i.id, i.section_id, s.price_minor, (i.status = 'HELD' AND i.hold_expires_at > clock_timestamp()) AS held
      FROM inventory i JOIN event_sections s ON s.id = i.section_id
      WHERE i.reservation_id = ${reservationId}::uuid AND i.event_id = (SELECT event_id FROM r)
        AND EXISTS (SELECT 1 FROM r WHERE r.user_id = ${actor.id}::uuid AND r.event_status <> 'CANCELLED' AND r.status = 'ACTIVE' AND r.live)
      ORDER BY i.id
      FOR UPDATE OF i
    ),
    ${pricingCtes(choices)},
    ${promoCtes(promo.codeId, promo.asked, actor.id)},
    lim AS (
      SELECT t.id, t.name, t.limit_quantity AS "limit", count(*)::int AS wanted, ${takenOfType(sql`t.id`, sql`t.event_id`)} AS taken,
        t.id = ANY(${`{${locked.join(",")}}`}::uuid[]) AS locked
      FROM priced JOIN ticket_types t ON t.id = priced.type_id
      WHERE t.limit_quantity IS NOT NULL
      GROUP BY t.id
    ),
    agg AS (
      SELECT count(*)::int AS places, (count(*) FILTER (WHERE held))::int AS held,
        coalesce(sum(price_minor - coalesce(disc.discount, 0)), 0)::int AS amount, coalesce(sum(disc.discount), 0)::int AS discount,
        coalesce(jsonb_agg(jsonb_build_object('inventoryId', priced.id, 'sectionId', section_id, 'priceMinor', price_minor - coalesce(disc.discount, 0),
          'ticketTypeId', type_id) || CASE WHEN disc.discount > 0 THEN jsonb_build_object('discountMinor', disc.discount) ELSE '{}' END ORDER BY priced.id), '[]') AS items
      FROM priced LEFT JOIN disc ON disc.id = priced.id
    ),
    go AS (
      SELECT r.event_id, r.currency, agg.amount, agg.discount, agg.items, now() + ${paymentWindowMs()}::int * interval '1 millisecond' AS deadline
      FROM r, agg
      WHERE agg.places > 0 AND agg.places = r.quantity AND agg.held = agg.places
        AND NOT EXISTS (SELECT 1 FROM bad)
        AND NOT EXISTS (SELECT 1 FROM lim WHERE NOT lim.locked OR lim.taken + lim.wanted > lim."limit")
        AND coalesce((SELECT state FROM promo), 'ok') = 'ok'
        AND (agg.amount = 0 OR (${method}::text <> 'free' AND ${method}::text = ${provider}::text))
    ),
    pay AS (
      UPDATE reservations SET status = 'PAYMENT', payment_deadline = go.deadline, updated_at = now() FROM go WHERE id = ${reservationId}::uuid
    ),
    stretch AS (
      UPDATE inventory i SET hold_expires_at = GREATEST(i.hold_expires_at, go.deadline)
      FROM go WHERE i.reservation_id = ${reservationId}::uuid AND i.event_id = go.event_id AND i.status = 'HELD'
    ),
    c AS (
      INSERT INTO checkouts (reservation_id, user_id, event_id, state, amount_minor, currency, provider, provider_key, items, deadline, promo_code_id, discount_minor)
      SELECT ${reservationId}::uuid, ${actor.id}::uuid, go.event_id, 'STARTED', go.amount, go.currency,
        CASE WHEN go.amount = 0 THEN 'free' ELSE ${method}::text END, ${providerKey}::text, go.items, go.deadline, (SELECT code_id FROM promo), go.discount
      FROM go
      RETURNING id, items, promo_code_id, discount_minor, ${isoTs(sql`deadline`)} AS deadline, ${isoTs(sql`created_at`)} AS created_at, ${isoTs(sql`updated_at`)} AS updated_at
    )
    SELECT r.user_id, r.event_id, r.status, r.quantity, r.live, r.event_status, r.currency, agg.places, agg.held, agg.amount,
      CASE WHEN r.status = 'CONFIRMED' THEN (SELECT b.reference FROM bookings b WHERE b.reservation_id = ${reservationId}::uuid) END AS reference,
      (SELECT row_to_json(c) FROM c) AS checkout,
      (SELECT json_agg(inventory_id) FROM bad) AS bad_choices,
      (SELECT json_agg(lim.id) FROM lim WHERE NOT lim.locked) AS needs_lock,
      (SELECT json_agg(json_build_object('name', lim.name, 'limit', lim."limit", 'taken', lim.taken, 'wanted', lim.wanted)) FROM lim
        WHERE lim.locked AND lim.taken + lim.wanted > lim."limit") AS over,
      (SELECT state FROM promo) AS promo_state
    FROM agg LEFT JOIN r ON true`);
  return row;
}
