import { handleStripeEvent } from "@/lib/checkout/stripe-webhook";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http";
import { verifyStripeWebhook } from "@/lib/payments";

export const dynamic = "force-dynamic";

const MAX_BYTES = 512 * 1024;

/**
 * Stripe webhook: the signature (Stripe-Signature, STRIPE_WEBHOOK_SECRET) is checked against the
 * raw body before anything else; then the event advances the checkout saga idempotently.
 */
export const POST = route(async (req) => {
  if (Number(req.headers.get("content-length") ?? "0") > MAX_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
  const payload = await req.text();
  if (payload.length > MAX_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
  const event = verifyStripeWebhook(payload, req.headers.get("stripe-signature"));
  if (!event)
    throw new AppError("validation_failed", "The webhook signature is missing or does not match.", { fields: { "Stripe-Signature": ["Invalid signature"] } });
  const result = await handleStripeEvent(event);
  return json({ received: true, ...result });
});
