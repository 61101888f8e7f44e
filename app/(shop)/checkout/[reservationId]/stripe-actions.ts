"use server";

import crypto from "node:crypto";
import { z } from "zod";
import { action, type ActionState } from "@/lib/actions";
import { confirmCheckout, idempotencyKeySchema } from "@/lib/checkout";
import { returnPathFor } from "@/lib/checkout/action-window";
import { retriesWithSameKey } from "@/lib/checkout/attempts";
import type { NextAction } from "@/lib/payments";
import { assertRateLimit } from "@/lib/rate-limit";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";
import { choicesOf, ticketTypeFields } from "./ticket-fields";

// Paying with Stripe's Payment Element (./stripe-form.tsx): the browser sends the PaymentMethod
// Stripe.js made from the card; the same checkout as every other payment charges it. The answer
// tells the page where to go next — the booking, or (3-D Secure) the client secret for Stripe.js
// and then the return page — or why not, with the key for the next press (as ./actions.ts).

const stripePaySchema = z.object({
  reservationId: z.uuid("Unknown reservation"),
  idempotencyKey: idempotencyKeySchema,
  paymentMethodId: z.string().regex(/^pm_\w{1,200}$/, "The card could not be read; please enter it again"),
  "ticketTypes[]": ticketTypeFields,
  promoCode: promoCodeEntrySchema.optional(),
});

export type StripeNext = { next: string; clientSecret?: string };

export const payWithStripeAction = action({ schema: stripePaySchema }, async (d, actor): Promise<ActionState<StripeNext>> => {
  await assertRateLimit("confirm", actor.id);
  const result = await confirmCheckout(
    actor,
    {
      reservationId: d.reservationId,
      payment: { method: "stripe", paymentMethodId: d.paymentMethodId },
      ...choicesOf(d["ticketTypes[]"]),
      ...(d.promoCode ? { promoCode: d.promoCode } : {}),
    },
    d.idempotencyKey,
  );
  if (result.ok) return { ok: true, data: { next: `/bookings/${result.booking.reference}?paid=1` } };
  if (result.code === "payment_action_required") {
    const action = (result as { nextAction?: NextAction }).nextAction;
    if (action?.clientSecret) return { ok: true, data: { next: returnPathFor(d.reservationId), clientSecret: action.clientSecret } };
    if (action?.url) return { ok: true, data: { next: action.url } };
  }
  return {
    ok: false,
    code: result.code,
    formError: result.message,
    values: { idempotencyKey: retriesWithSameKey(result.code) ? d.idempotencyKey : crypto.randomUUID() },
  };
});
