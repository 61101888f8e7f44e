import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";
import type { ChargeOutcome, ChargeRequest, PaymentProvider, RefundRequest } from "./types";

type Intent = Pick<Stripe.PaymentIntent, "id" | "status" | "last_payment_error"> & Partial<Pick<Stripe.PaymentIntent, "client_secret" | "next_action">>;

// Stripe through PaymentIntents, created and confirmed server-side in one call with the payment
// method the browser collected (the Payment Element → stripe.createPaymentMethod →
// paymentMethodId; docs/payments.md says why this flow). Our checkout's provider_key is
// Stripe's Idempotency-Key, so a retry returns the same PaymentIntent instead of charging
// again; the checkout id travels in metadata so the webhook (app/api/webhooks/stripe) can
// fulfil a payment that finished after we stopped waiting. A card that asks for 3-D Secure
// leaves the PaymentIntent in requires_action: we report it with its client secret (Stripe.js
// runs the challenge in the page, handleNextAction) and, when the site's public URL is known, a
// return_url for issuers that redirect; the checkout then waits for the customer (the hold is
// kept until the payment deadline) and the webhook or the customer's return finishes it.
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
      const base = env().PUBLIC_BASE_URL;
      const returnUrl = base && req.returnPath ? new URL(req.returnPath, base).toString() : undefined;
      try {
        const pi = await client.paymentIntents.create(
          {
            amount: req.amountMinor,
            currency: req.currency.toLowerCase(),
            payment_method: req.source.paymentMethodId,
            confirm: true,
            ...(returnUrl
              ? { return_url: returnUrl, automatic_payment_methods: { enabled: true } }
              : { automatic_payment_methods: { enabled: true, allow_redirects: "never" as const } }),
            description: req.description,
            metadata: { checkout_id: req.checkoutId, provider_key: req.key },
          },
          opts(req.key),
        );
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
      if (state.status !== "pending" && state.status !== "requires_action") return state;
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

export function fromIntent(pi: Intent): ChargeOutcome {
  switch (pi.status) {
    case "requires_action":
      return {
        status: "requires_action",
        chargeId: pi.id,
        action: { url: pi.next_action?.redirect_to_url?.url ?? null, ...(pi.client_secret ? { clientSecret: pi.client_secret } : {}) },
      };
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
