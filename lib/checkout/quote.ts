import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { findPromoCode, promoCtes, promoRefusal, type PromoState } from "@/lib/promo-codes/apply";
import type { TicketChoice } from "@/lib/ticket-types/schemas";
import { pricingCtes } from "./pricing";

// What the checkout page shows before paying: each place's price for the ticket types chosen and
// a discount code's share, computed by the same SQL the checkout's start charges with
// (./pricing.ts, lib/promo-codes/apply.ts promoCtes). The browser never prices anything: it
// asks again when the customer changes a type or applies a code (the checkout page's quote
// action) and shows the answer. Only a preview: paying prices again under the code's lock.

export type QuoteLine = { inventoryId: number; ticketTypeId: string | null; priceMinor: number; discountMinor: number };

export type Quote = {
  lines: QuoteLine[]; // in place order; priceMinor before the discount
  discountMinor: number;
  totalMinor: number; // what paying now would charge: the prices less the discount
  promo: { code: string; applies: boolean } | null; // applies: false when the code fits none of the places (or types chosen)
};

type Row = { found: boolean; lines: QuoteLine[] | null; bad: number[] | null; promo_state: PromoState | null; code: string | null };

export async function quoteCheckout(
  actor: Pick<Actor, "id">,
  reservationId: string,
  input: { ticketTypes?: TicketChoice[]; promoCode?: string } = {},
): Promise<{ ok: true; quote: Quote } | Failure> {
  if (!isUuid(reservationId)) return fail("not_found", "No such reservation.");
  const code = input.promoCode?.trim() ?? "";
  const codeId = code ? await findPromoCode(db(), reservationId, code) : null;
  const [row] = await db().execute<Row>(sql`
    WITH r AS (
      SELECT r.event_id, r.created_at FROM reservations r WHERE r.id = ${reservationId}::uuid AND r.user_id = ${actor.id}::uuid
    ),
    p AS (
      SELECT i.id, i.section_id, s.price_minor, true AS held
      FROM inventory i JOIN event_sections s ON s.id = i.section_id
      WHERE i.reservation_id = ${reservationId}::uuid AND i.event_id = (SELECT event_id FROM r)
    ),
    ${pricingCtes(JSON.stringify(input.ticketTypes ?? []))},
    ${promoCtes(codeId, code !== "", actor.id)}
    SELECT EXISTS (SELECT 1 FROM r) AS found,
      (SELECT json_agg(json_build_object('inventoryId', priced.id, 'ticketTypeId', priced.type_id, 'priceMinor', priced.price_minor,
          'discountMinor', coalesce(disc.discount, 0)) ORDER BY priced.id)
        FROM priced LEFT JOIN disc ON disc.id = priced.id) AS lines,
      (SELECT json_agg(inventory_id) FROM bad) AS bad,
      (SELECT state FROM promo) AS promo_state,
      (SELECT pc.code FROM promo_codes pc WHERE pc.id = (SELECT code_id FROM promo)) AS code`);
  if (!row?.found) return fail("not_found", "No such reservation.");
  if (row.bad?.length) {
    return fail("validation_failed", "A ticket type you chose is not offered for that place. Please choose again.", {
      fields: { ticketTypes: [`Not offered for place ${row.bad.join(", ")}`] },
    });
  }
  const state = row.promo_state;
  if (state !== "not_for_these") {
    const refusal = promoRefusal(state, code, false);
    if (refusal) return refusal;
  }
  const lines = (row.lines ?? []).map((l) => ({ ...l, inventoryId: Number(l.inventoryId) }));
  const discountMinor = lines.reduce((n, l) => n + l.discountMinor, 0);
  return {
    ok: true,
    quote: {
      lines,
      discountMinor,
      totalMinor: lines.reduce((n, l) => n + l.priceMinor, 0) - discountMinor,
      promo: state ? { code: row.code ?? code.toUpperCase(), applies: state === "ok" } : null,
    },
  };
}
