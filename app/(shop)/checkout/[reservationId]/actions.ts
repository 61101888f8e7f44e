"use server";

import crypto from "node:crypto";
import { redirect } from "next/navigation";
import { z } from "zod";
import { claimsAction, failureState, type ActionState, type FailureMessages } from "@/lib/actions";
import { cardSchema, type ConfirmInput } from "@/lib/checkout";
import { retriesWithSameKey } from "@/lib/checkout/attempts";
import { payForReservation } from "@/lib/checkout/pay";
import { promoCodeEntrySchema } from "@/lib/promo-codes/schemas";
import { choicesOf, ticketTypeFields } from "./ticket-fields";

// Pay for a reservation: the form's fields reshaped into the confirm request, then
// lib/checkout/pay.ts (key and request check, rate limit, checkout — the same guards as the REST
// API). The idempotency key comes from a hidden field the server generated when it rendered the
// checkout page: a double click or a resubmitted form carries the same key, so it can never
// charge twice (lib/checkout replays or waits instead). Every failed answer also says which key
// the form's next press must carry (values.idempotencyKey): the same one while the outcome is
// still open, a fresh one after a final answer such as a decline — so another card right after
// a decline is a new attempt at once, without waiting for a page refresh (a refresh used to hand
// out the next key, and a quick second press beat it).

const CARD_FIELDS: Record<string, string> = { number: "cardNumber", expMonth: "cardExpiry", expYear: "cardExpiry", cvc: "cardCvc", name: "cardName" };

const paySchema = z
  .object({
    reservationId: z.uuid("Unknown reservation"),
    idempotencyKey: z.string(),
    method: z.enum(["mock", "free"], { message: "Choose how to pay" }),
    cardNumber: z.string().max(40).optional(),
    cardExpiry: z.string().max(10).optional(),
    cardCvc: z.string().max(8).optional(),
    cardName: z.string().max(100).optional(),
    // A ticket type per place, chosen in the order summary (./ticket-fields.ts).
    "ticketTypes[]": ticketTypeFields,
    // A discount code applied in the order summary (./promo-code-box.tsx).
    promoCode: promoCodeEntrySchema.optional(),
  })
  .transform((d, ctx): { key: string; input: ConfirmInput } => {
    const typed = { ...choicesOf(d["ticketTypes[]"]), ...(d.promoCode ? { promoCode: d.promoCode } : {}) };
    if (d.method === "free") return { key: d.idempotencyKey, input: { reservationId: d.reservationId, payment: { method: "free" }, ...typed } };
    const exp = (d.cardExpiry ?? "").trim().match(/^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/);
    if (!exp) ctx.addIssue({ code: "custom", path: ["cardExpiry"], message: "Enter the expiry as MM/YY" });
    const card = cardSchema.safeParse({
      number: d.cardNumber ?? "",
      expMonth: exp ? Number(exp[1]) : 1,
      expYear: exp ? (exp[2].length === 2 ? 2000 + Number(exp[2]) : Number(exp[2])) : 2000,
      cvc: (d.cardCvc ?? "").trim(),
      name: d.cardName?.trim() || undefined,
    });
    if (!card.success) {
      for (const issue of card.error.issues) {
        const field = CARD_FIELDS[String(issue.path[0])] ?? "cardNumber";
        if (field === "cardExpiry" && !exp) continue;
        ctx.addIssue({ code: "custom", path: [field], message: issue.message });
      }
    }
    if (!exp || !card.success) return z.NEVER;
    return { key: d.idempotencyKey, input: { reservationId: d.reservationId, payment: { method: "mock", card: card.data }, ...typed } };
  });

// Messages for people, not API clients (lib/checkout's talk about Idempotency-Key headers).
const MESSAGES: FailureMessages = {
  payment_timeout:
    "Your payment is taking longer than expected. Please do not pay again: press “Check payment” in a few seconds to see the result. You will never be charged twice.",
  payment_unavailable: "We could not reach the payment provider. Press “Check payment” in a few seconds; you will never be charged twice.",
  idempotency_in_flight: "Your payment is still being processed. Wait a moment, then press “Check payment”.",
  idempotency_key_reused: "This payment form was already used with other card details. It is ready for a new attempt: please press Pay again.",
  reservation_locked: "A payment for this order is already in progress. Wait a moment, then press “Check payment”.",
  not_found: "This reservation no longer exists. It may have expired or been released.",
  validation_failed: (f) =>
    f.fields?.ticketTypes ? "A ticket type you chose is no longer offered for that seat. Please choose again." : (f.fields?.promoCode?.[0] ?? f.message),
};

// The caller is checked in the checkout's first statement (lib/checkout/confirm.ts), hence claimsAction.
export const payAction = claimsAction({ schema: paySchema }, async ({ key, input }, caller): Promise<ActionState> => {
  const result = await payForReservation(caller, input, key); // the same guards as the REST API's confirm
  if (result.ok) redirect(`/bookings/${result.booking.reference}?paid=1`);
  // 3-D Secure: off to the bank's challenge (the mock provider's page); it sends the customer back
  // to the checkout's return page, which finishes the payment (lib/checkout/resume.ts).
  if (result.code === "payment_action_required" && result.nextAction.url) redirect(result.nextAction.url);
  return { ...failureState(result, MESSAGES), values: { idempotencyKey: retriesWithSameKey(result.code) ? key : crypto.randomUUID() } };
});
