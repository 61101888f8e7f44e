// One interface for every payment provider. The saga talks only to this, so "mock" (dev, tests)
// and "stripe" (production) follow exactly the same steps. Every money-moving call carries an
// idempotency key: the provider answers a repeated call with the first call's result, which is
// what makes a retried or resumed checkout unable to charge twice (see docs/invariants.md, I3).

export type ProviderName = "mock" | "stripe";

export type CardSource = { method: "mock"; card: { number: string; expMonth: number; expYear: number; cvc: string; name?: string } };
export type StripeSource = { method: "stripe"; paymentMethodId: string };
export type PaymentSource = CardSource | StripeSource;

export type ChargeRequest = {
  key: string; // idempotency key: the checkout's provider_key
  checkoutId: string;
  amountMinor: number;
  currency: string;
  source: PaymentSource;
  description: string;
  /** Where the customer comes back to after a 3-D Secure challenge (a path on this site). */
  returnPath?: string;
};

/**
 * What the customer must do before the charge can go on (3-D Secure / SCA): open `url` (the
 * issuer's challenge page, or the mock provider's), or, with Stripe, let Stripe.js handle it
 * with the PaymentIntent's client secret. The charge stays open until the customer is back.
 */
export type NextAction = { url: string | null; clientSecret?: string };

/** What the provider says about a charge. `unknown`: the provider has never seen this key. */
export type ChargeOutcome =
  | { status: "succeeded"; chargeId: string }
  | { status: "declined"; code: string; message: string; chargeId?: string }
  | { status: "canceled"; chargeId?: string }
  | { status: "pending"; chargeId?: string }
  | { status: "requires_action"; chargeId: string; action: NextAction }
  | { status: "unknown" };

export type RefundRequest = { key: string; chargeId: string; amountMinor: number; currency: string };

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Charge once per key; a repeated key returns the first outcome. */
  charge(req: ChargeRequest): Promise<ChargeOutcome>;
  /** The provider's state of the charge made with `key` (ref: the provider's id when known). */
  lookup(key: string, ref: string | null, returnPath?: string): Promise<ChargeOutcome>;
  /**
   * Make sure no charge with `key` can still succeed, and report the final state: `canceled` if
   * nothing was (or ever will be) charged, `succeeded` if the charge had already gone through.
   */
  cancel(key: string, ref: string | null, amountMinor: number, currency: string): Promise<ChargeOutcome>;
  /** Refund part or all of a charge, once per key (a repeated key returns the first refund). Returns the provider's refund id. */
  refund(req: RefundRequest): Promise<{ refundId: string }>;
}

/** The provider did not answer within PAYMENT_TIMEOUT_MS (or could not be reached). */
export class PaymentTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`payment provider did not answer ${what} within ${ms} ms`);
    this.name = "PaymentTimeoutError";
  }
}
