import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { codeState, promoRefusal, type PromoState } from "./apply";

// The checkout page's "Apply" (docs/promo-codes.md): is this code usable now by this customer
// for this reservation's event, and what does it take off? Only a preview: the checkout's start
// decides again under the code's lock (lib/promo-codes/apply.ts), and whether it applies to the
// places is judged with the types the customer ends up choosing.

export type PromoRules = { code: string; kind: "PERCENT" | "FIXED"; amount: number; sectionIds: string[] | null; ticketTypeIds: string[] | null };

export async function checkPromoCode(actor: Pick<Actor, "id">, reservationId: string, code: string): Promise<{ ok: true; promo: PromoRules } | Failure> {
  if (!isUuid(reservationId)) return fail("not_found", "No such reservation.");
  const [row] = await db().execute<PromoRules & { state: PromoState }>(sql`
    SELECT pc.code, pc.kind, pc.amount, pc.section_ids AS "sectionIds", pc.ticket_type_ids AS "ticketTypeIds", ${codeState(actor.id)} AS state
    FROM reservations r JOIN promo_codes pc ON pc.event_id = r.event_id AND lower(pc.code) = lower(${code.trim()})
    WHERE r.id = ${reservationId}::uuid AND r.user_id = ${actor.id}::uuid`);
  const refusal = promoRefusal(row?.state ?? "unknown", code, false);
  if (refusal) return refusal;
  const { state: _, ...promo } = row;
  return { ok: true, promo };
}
