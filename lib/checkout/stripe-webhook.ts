import "server-only";
import type Stripe from "stripe";
import { isUuid } from "@/lib/ids";
import { log } from "@/lib/log";
import { fromIntent, paymentProvider, withPaymentTimeout, type ChargeOutcome } from "@/lib/payments";
import { refundKey } from "./compensate";
import { loadCheckout } from "./outcomes";
import { advanceCheckout } from "./saga";

// Stripe tells us how a PaymentIntent ended — including ones that finished after we stopped
// waiting. The event (already signature-checked) feeds the same saga step as the customer's
// request and the sweep, so delivering it twice, late, or racing them changes nothing.

const HANDLED = new Set(["payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"]);

export async function handleStripeEvent(event: Stripe.Event): Promise<{ handled: boolean; result?: string }> {
  if (!HANDLED.has(event.type)) return { handled: false };
  const pi = event.data.object as Stripe.PaymentIntent;
  const checkoutId = pi.metadata?.checkout_id ?? "";
  const c = isUuid(checkoutId) ? await loadCheckout(checkoutId) : null;
  if (!c || c.provider !== "stripe" || pi.metadata?.provider_key !== c.providerKey) {
    log.warn("stripe.webhook_unknown_checkout", { eventId: event.id, paymentIntent: pi.id });
    return { handled: false };
  }
  if (pi.amount !== c.amountMinor || pi.currency.toUpperCase() !== c.currency.trim()) {
    log.error("stripe.webhook_amount_mismatch", { eventId: event.id, paymentIntent: pi.id, checkoutId: c.id });
    return { handled: false };
  }
  let outcome: ChargeOutcome = fromIntent(pi);
  if (event.type === "payment_intent.payment_failed" && outcome.status === "pending") {
    outcome = { status: "declined", code: "card_declined", message: "Your card was declined.", chargeId: pi.id };
  }
  if (outcome.status === "succeeded" && (c.state === "DECLINED" || c.state === "REFUNDED")) {
    // Money arrived for a checkout we already closed: give it back (once per key).
    log.error("stripe.stray_charge", { checkoutId: c.id, paymentIntent: pi.id });
    await withPaymentTimeout("refund", () =>
      paymentProvider("stripe").refund({ key: `stray_${refundKey(c)}`, chargeId: pi.id, amountMinor: pi.amount, currency: c.currency }),
    );
    return { handled: true, result: "refunded_stray" };
  }
  const result = await advanceCheckout(c.id, { kind: "outcome", outcome });
  return { handled: true, result: result.kind };
}
