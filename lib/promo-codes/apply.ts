import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db";
import { fail, type Failure } from "@/lib/errors";

// Discount codes at checkout start (docs/promo-codes.md). A use counts from the checkout's start
// until it fails (declined, refunded, swept): checkouts still open with the code plus the
// redemptions of bookings made with it. Counting is exact only when no other checkout with the
// code can commit meanwhile, so the start runs in a transaction that first locks the code's row
// (lockPromoCode); the start statement after it (READ COMMITTED: a new snapshot per statement)
// sees every checkout committed before, counts, and prices. Lock order: promo code → limited
// ticket types → event → checkout → reservation → places.

export type PromoState = "unknown" | "inactive" | "not_yet" | "expired" | "used_up" | "used_by_you" | "not_for_these" | "ok";

/** Locks the code (any case) of the reservation's event; null when the event has no such code. */
export async function lockPromoCode(tx: Tx, reservationId: string, code: string, unguarded = false): Promise<string | null> {
  return promoCodeId(tx, reservationId, code, !unguarded);
}

/** Locks the code (any case) of the event, for a box-office order (lib/box-office/order.ts); null when there is none. */
export async function lockEventPromoCode(tx: Tx, eventId: string, code: string): Promise<string | null> {
  const [row] = await tx.execute<{ id: string }>(sql`SELECT id FROM promo_codes WHERE event_id = ${eventId}::uuid AND lower(code) = lower(${code}) FOR UPDATE`);
  return row?.id ?? null;
}

/** The code (any case) of the reservation's event without locking it, for a preview (lib/checkout/quote.ts). */
export async function findPromoCode(q: DbOrTx, reservationId: string, code: string): Promise<string | null> {
  return promoCodeId(q, reservationId, code, false);
}

async function promoCodeId(q: DbOrTx, reservationId: string, code: string, lock: boolean): Promise<string | null> {
  const [row] = await q.execute<{ id: string }>(sql`
    SELECT pc.id FROM promo_codes pc
    WHERE pc.event_id = (SELECT event_id FROM reservations WHERE id = ${reservationId}::uuid) AND lower(pc.code) = lower(${code})
    ${lock ? sql`FOR UPDATE` : sql``}`);
  return row?.id ?? null;
}

/**
 * CTEs for the start statement, after `priced` (id, section_id, type_id, price_minor):
 *   pcs   — the locked code with its uses (total, this customer's) and its state by date and limits;
 *   elig  — the places it applies to (its sections and types), with the running price before each;
 *   disc  — each eligible place's discount: a percentage of its price, or the fixed amount spread
 *           over the eligible places in order (never below 0 per place);
 *   promo — the outcome: null when no code was asked, else a PromoState.
 * With no code asked the code id is null and every CTE is empty, so the statement's text stays
 * the same (one prepared statement) and the ordinary checkout pays nothing for it.
 */
export function promoCtes(codeId: string | null, asked: boolean, userId: string): SQL {
  return sql`
    pcs AS (
      SELECT pc.id, pc.kind, pc.amount, pc.section_ids, pc.ticket_type_ids, ${codeState(userId)} AS state
      FROM promo_codes pc
      WHERE pc.id = ${codeId}::uuid AND pc.kind <> 'ACCESS'
    ),
    elig AS (
      SELECT priced.id, priced.price_minor,
        coalesce(sum(priced.price_minor) OVER (ORDER BY priced.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM priced, pcs
      WHERE pcs.state = 'ok'
        AND (pcs.section_ids IS NULL OR priced.section_id = ANY(pcs.section_ids))
        AND (pcs.ticket_type_ids IS NULL OR priced.type_id = ANY(pcs.ticket_type_ids))
    ),
    disc AS (
      SELECT elig.id,
        (CASE WHEN pcs.kind = 'PERCENT' THEN (elig.price_minor * pcs.amount + 50) / 100
          ELSE LEAST(elig.price_minor, GREATEST(0, pcs.amount - elig.before)) END)::int AS discount
      FROM elig, pcs
    ),
    promo AS (
      SELECT CASE
        WHEN NOT ${asked}::boolean THEN NULL
        WHEN NOT EXISTS (SELECT 1 FROM pcs) THEN 'unknown'
        WHEN (SELECT state FROM pcs) <> 'ok' THEN (SELECT state FROM pcs)
        WHEN NOT EXISTS (SELECT 1 FROM elig) THEN 'not_for_these'
        ELSE 'ok'
      END AS state, (SELECT id FROM pcs) AS code_id
    )`;
}

/**
 * A code's state by its active flag, dates (database clock) and limits, for `promo_codes pc`:
 * its uses are the redemptions of bookings made with it plus the checkouts still open with it.
 */
export function codeState(userId: string): SQL {
  return sql`(
    SELECT CASE
      WHEN NOT pc.active THEN 'inactive'
      WHEN pc.valid_from IS NOT NULL AND now() < pc.valid_from THEN 'not_yet'
      WHEN pc.valid_until IS NOT NULL AND now() >= pc.valid_until THEN 'expired'
      WHEN pc.max_uses IS NOT NULL AND count(*) >= pc.max_uses THEN 'used_up'
      WHEN pc.max_uses_per_customer IS NOT NULL AND count(*) FILTER (WHERE x.user_id = ${userId}::uuid) >= pc.max_uses_per_customer THEN 'used_by_you'
      ELSE 'ok'
    END
    FROM (
      SELECT user_id FROM promo_redemptions WHERE code_id = pc.id
      UNION ALL
      SELECT user_id FROM checkouts WHERE promo_code_id = pc.id AND state IN ('STARTED', 'CHARGED')
    ) x
  )`;
}

/** The customer's message for a code that cannot be used; null when it applies. */
export function promoRefusal(state: PromoState | null, code: string, atPay = true): Failure | null {
  if (!state || state === "ok") return null;
  const c = code.trim().toUpperCase();
  const why: Record<Exclude<PromoState, "ok">, string> = {
    unknown: `We do not know the code ${c} for this event. Check its spelling, or remove it to pay the full price.`,
    inactive: `The code ${c} is no longer valid. Remove it to pay the full price.`,
    not_yet: `The code ${c} is not valid yet. Remove it to pay the full price, or come back when it starts.`,
    expired: `The code ${c} has expired. Remove it to pay the full price.`,
    used_up: `The code ${c} has been used as many times as it allows. Remove it to pay the full price.`,
    used_by_you: `You have already used the code ${c} as many times as it allows. Remove it to pay the full price.`,
    not_for_these: `The code ${c} does not apply to these seats or ticket types. Remove it to pay the full price.`,
  };
  const message = why[state];
  return fail("validation_failed", atPay ? `${message} Nothing was charged.` : message, { fields: { promoCode: [message] } });
}
