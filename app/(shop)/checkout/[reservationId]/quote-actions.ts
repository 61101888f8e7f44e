"use server";

import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { quoteCheckout, type Quote } from "@/lib/checkout/quote";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";
import { choicesOf, ticketTypeFields } from "./ticket-fields";

// The checkout's order summary asks here whenever the customer applies or removes a discount
// code or changes a ticket type (./ticket-choice.tsx): the server prices the reservation for
// those choices (lib/checkout/quote.ts) and the page shows the answer. Only a preview: paying
// prices again under the code's lock.

const schema = z.object({
  reservationId: z.uuid("Unknown reservation"),
  promoCode: promoCodeEntrySchema.optional(),
  "ticketTypes[]": ticketTypeFields,
});

export const quoteCheckoutAction = action({ schema }, async (d, actor): Promise<ActionState<Quote>> => {
  const r = await quoteCheckout(actor, d.reservationId, { ...choicesOf(d["ticketTypes[]"]), promoCode: d.promoCode });
  if (!r.ok) return failureState(r);
  return { ok: true, data: r.quote };
});
