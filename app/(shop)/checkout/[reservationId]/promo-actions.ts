"use server";

import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { checkPromoCode, type PromoRules } from "@/lib/promo-codes/check";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";

// "Apply" in the checkout's order summary (./promo-code-box.tsx): checks the code for this
// customer's reservation and answers with what it takes off. Only a preview: paying decides
// again under the code's lock (lib/promo-codes/apply.ts).

const schema = z.object({ reservationId: z.uuid("Unknown reservation"), promoCode: promoCodeEntrySchema.pipe(z.string().min(1, "Enter a code")) });

export const checkPromoAction = action({ schema }, async (d, actor): Promise<ActionState<PromoRules>> => {
  const r = await checkPromoCode(actor, d.reservationId, d.promoCode);
  if (!r.ok) return failureState(r);
  return { ok: true, data: r.promo };
});
