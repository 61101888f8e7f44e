import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";
import type { ChargeOutcome, ChargeRequest, PaymentProvider, RefundRequest } from "./types";

// Stripe through PaymentIntents, created and confirmed server-side in one call with the payment
// method the browser collected (Stripe Elements → paymentMethodId). Our checkout's provider_key
// is Stripe's Idempotency-Key, so a retry returns the same PaymentIntent instead of charging
// again; the checkout id travels in metadata so the webhook (app/api/webhooks/stripe) can
// fulfil a payment that finished after we stopped waiting. Redirect-based methods are off:
// a payment that needs customer action is reported as declined and cancelled.
//
// Lookup without a known PaymentIntent id uses the Search API (eventually consistent, about a
// minute); the webhook is the primary path for late outcomes, the sweep the safety net.

export function createStripeProvider(client: Stripe): PaymentProvider {
  const opts = (key?: string) => ({ ...(key ? { idempotencyKey: key } : {}), timeout: env().PAYMENT_TIMEOUT_MS, maxNetworkRetries: 0 });

  async function find(key: string, ref: string | null): Promise<Stripe.PaymentIntent | null> {
    if (ref) return client.paymentIntents.retrieve(ref, {}, opts());
    const found = await client.paymentIntents.search({ query: `metadata['provider_key']:'${key.replace(/'/g, "")}'`, limit: 1 }, opts());
    return found.data[0] ?? null;
  }

  return {
    name: "stripe",

    async charge(req: ChargeRequest): Promise<ChargeOutcome> {
      if (req.source.method !== "stripe") throw new Error("stripe provider: paymentMethodId required");
      try {
        const pi = await client.paymentIntents.create(
          {
            amount: req.amountMinor,
            currency: req.currency.toLowerCase(),
            payment_method: req.source.paymentMethodId,
            confirm: true,
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            description: req.description,
            metadata: { checkout_id: req.checkoutId, provider_key: req.key },
          },
          opts(req.key),
        );
        if (pi.status === "requires_action") {
          await client.paymentIntents.cancel(pi.id, {}, opts()).catch(() => {});
          return {
            status: "declined",
            code: "authentication_required",
            message: "Your bank asked for extra verification, which this checkout cannot do. Try another card.",
            chargeId: pi.id,
          };
        }
        return fromIntent(pi);
      } catch (err) {
        if (err instanceof Stripe.errors.StripeCardError) {
          return { status: "declined", code: err.decline_code ?? err.code ?? "card_declined", message: err.message };
        }
        // A refused request (say, an unknown payment method) moved no money: a decline, not an outage.
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 400) {
          return { status: "declined", code: err.code ?? "invalid_request", message: err.message };
        }
        throw err;
      }
    },

    async lookup(key: string, ref: string | null): Promise<ChargeOutcome> {
      const pi = await find(key, ref);
      return pi ? fromIntent(pi) : { status: "unknown" };
    },

    async cancel(key: string, ref: string | null): Promise<ChargeOutcome> {
      const pi = await find(key, ref);
      // Never reached Stripe: nothing to cancel, and only this checkout would ever retry the key.
      if (!pi) return { status: "canceled" };
      const state = fromIntent(pi);
      if (state.status !== "pending") return state;
      try {
        return fromIntent(await client.paymentIntents.cancel(pi.id, {}, opts()));
      } catch {
        return fromIntent(await client.paymentIntents.retrieve(pi.id, {}, opts()));
      }
    },

    async refund(req: RefundRequest): Promise<{ refundId: string }> {
      const refund = await client.refunds.create({ payment_intent: req.chargeId, amount: req.amountMinor }, opts(req.key));
      return { refundId: refund.id };
    },
  };
}

export function fromIntent(pi: Pick<Stripe.PaymentIntent, "id" | "status" | "last_payment_error">): ChargeOutcome {
  switch (pi.status) {
    case "succeeded":
      return { status: "succeeded", chargeId: pi.id };
    case "canceled":
      return { status: "canceled", chargeId: pi.id };
    case "requires_payment_method": {
      const e = pi.last_payment_error;
      return e
        ? { status: "declined", code: e.decline_code ?? e.code ?? "card_declined", message: e.message ?? "Your card was declined.", chargeId: pi.id }
        : { status: "pending", chargeId: pi.id };
    }
    default:
      return { status: "pending", chargeId: pi.id };
  }
}

let client: Stripe | undefined;

export function stripeClient(): Stripe {
  const key = env().STRIPE_SECRET_KEY;
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set (PAYMENT_PROVIDER=stripe)");
  client ??= new Stripe(key, { maxNetworkRetries: 0, timeout: env().PAYMENT_TIMEOUT_MS });
  return client;
}

/** Verifies a webhook's Stripe-Signature against STRIPE_WEBHOOK_SECRET; null when it does not match. */
export function verifyStripeWebhook(payload: string, signature: string | null): Stripe.Event | null {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret || !signature) return null;
  try {
    return Stripe.webhooks.constructEvent(payload, signature, secret);
  } catch {
    return null;
  }
}
