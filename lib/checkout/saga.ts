import "server-only";
import type { Checkout } from "@/db/schema";
import { describeCause, isDatabaseUnavailable } from "@/lib/errors";
import { log } from "@/lib/log";
import { PaymentTimeoutError, paymentProvider, withPaymentTimeout, type ChargeOutcome, type PaymentSource } from "@/lib/payments";
import { bookCheckout } from "./book";
import { abandonFree, beginRefund, finishRefund } from "./compensate";
import { loadCheckout, recordCharged, recordDeclined, rememberProviderRef } from "./outcomes";
import { faultPoint, isSimulatedCrash } from "@/lib/test-switches";

// The checkout saga (see docs/invariants.md, I4) after step 1: STARTED → (charge) → CHARGED →
// (book) → BOOKED, with DECLINED and REFUNDED as the other endings. advanceCheckout() moves a
// checkout on from whatever step is recorded, so the same function serves the customer's request, a
// retry that takes over a crashed request, the sweep and the Stripe webhook. What it may do at
// STARTED depends on who asks:
//   charge   — the customer (with the card): charge by the checkout's key; a repeat of the key
//              returns the first result, so a resumed checkout never charges twice;
//   resolve  — the sweep (no card): ask the provider what happened under the key; if nothing
//              did, void the key so a charge still in flight cannot succeed later;
//   outcome  — a webhook that already tells the provider's state.

export type How = { kind: "charge"; source: PaymentSource } | { kind: "resolve" } | { kind: "outcome"; outcome: ChargeOutcome };

export type SagaResult =
  | { kind: "booked"; bookingId: string }
  | { kind: "declined"; code: string }
  | { kind: "refunded"; reason: string; refundPending: boolean }
  | { kind: "released"; reason: string } // a free checkout that could not be booked
  | { kind: "pending"; reason: "timeout" | "unavailable" };

export async function advanceCheckout(checkout: string | Checkout, how: How): Promise<SagaResult> {
  let c = typeof checkout === "string" ? (await loadCheckout(checkout))! : checkout;
  const ctx = { reservationId: c.reservationId, checkoutId: c.id };

  if (c.state === "STARTED" && c.amountMinor === 0) return bookStep(c);

  if (c.state === "STARTED") {
    let outcome: ChargeOutcome;
    try {
      outcome = await askProvider(c, how);
    } catch (err) {
      if (err instanceof PaymentTimeoutError) return { kind: "pending", reason: "timeout" };
      if (isDatabaseUnavailable(err)) throw err;
      log.warn("checkout.provider_error", { checkoutId: c.id, error: err instanceof Error ? err.message : String(err) });
      return { kind: "pending", reason: "unavailable" };
    }
    if (outcome.status === "declined" || outcome.status === "canceled") return resultOf(await recordDeclined(c.id, outcome));
    if (outcome.status !== "succeeded") {
      if (outcome.status === "pending" && outcome.chargeId) await rememberProviderRef(c.id, outcome.chargeId);
      return { kind: "pending", reason: "timeout" };
    }
    try {
      await faultPoint("crash-after-charge", ctx);
      await faultPoint("after-charge", ctx);
    } catch (err) {
      if (isSimulatedCrash(err)) throw err;
      log.error("checkout.failed_after_charge", { checkoutId: c.id, error: String(err) });
      await recordCharged(c, outcome);
      return compensate(c, "booking_failed");
    }
    c = await recordCharged(c, outcome);
  }

  if (c.state === "CHARGED") return bookStep(c);
  return resultOf(c);
}

async function askProvider(c: Checkout, how: How): Promise<ChargeOutcome> {
  if (how.kind === "outcome") return how.outcome;
  const provider = paymentProvider(c.provider);
  if (how.kind === "charge") {
    return withPaymentTimeout("charge", () =>
      provider.charge({
        key: c.providerKey,
        checkoutId: c.id,
        amountMinor: c.amountMinor,
        currency: c.currency,
        source: how.source,
        description: `Tessera checkout ${c.id}`,
      }),
    );
  }
  const seen = await withPaymentTimeout("lookup", () => provider.lookup(c.providerKey, c.providerRef));
  if (seen.status !== "unknown" && seen.status !== "pending") return seen;
  return withPaymentTimeout("cancel", () => provider.cancel(c.providerKey, c.providerRef, c.amountMinor, c.currency));
}

async function bookStep(c: Checkout): Promise<SagaResult> {
  const ctx = { reservationId: c.reservationId, checkoutId: c.id };
  let booked;
  try {
    booked = await bookCheckout(c);
  } catch (err) {
    if (isSimulatedCrash(err) || isDatabaseUnavailable(err)) throw err;
    log.error("checkout.booking_failed", { checkoutId: c.id, error: err instanceof Error ? err.stack : String(err), cause: describeCause(err) });
    return compensate(c, "booking_failed");
  }
  switch (booked.kind) {
    case "booked":
      await faultPoint("crash-after-booking", ctx);
      return { kind: "booked", bookingId: booked.bookingId };
    case "taken":
      return compensate(c, "seats_taken");
    case "cancelled":
      return compensate(c, "event_cancelled");
    case "skipped": {
      // Someone else moved it on, or a refund was recorded before: finish that refund.
      const fresh = (await loadCheckout(c.id))!;
      return fresh.state === "CHARGED" ? refundOutcome(fresh, fresh.failureCode ?? "booking_failed") : resultOf(fresh);
    }
  }
}

async function compensate(c: Checkout, reason: string): Promise<SagaResult> {
  if (c.amountMinor === 0) {
    const fresh = await abandonFree(c.id, reason);
    return fresh.state === "BOOKED" ? resultOf(fresh) : { kind: "released", reason };
  }
  const fresh = await beginRefund(c.id, reason);
  if (fresh.state === "BOOKED") return resultOf(fresh);
  return refundOutcome(fresh, reason);
}

/** Finishes a recorded refund; if the provider cannot be reached now, the sweep finishes it later. */
async function refundOutcome(c: Checkout, reason: string): Promise<SagaResult> {
  try {
    await finishRefund(c.id);
    return { kind: "refunded", reason, refundPending: false };
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    log.warn("checkout.refund_deferred", { checkoutId: c.id, error: err instanceof Error ? err.message : String(err) });
    return { kind: "refunded", reason, refundPending: true };
  }
}

function resultOf(c: Checkout): SagaResult {
  switch (c.state) {
    case "BOOKED":
      return { kind: "booked", bookingId: c.bookingId! };
    case "DECLINED":
      return c.amountMinor === 0 ? { kind: "released", reason: c.failureCode ?? "released" } : { kind: "declined", code: c.failureCode ?? "card_declined" };
    case "REFUNDED":
      return { kind: "refunded", reason: c.failureCode ?? "booking_failed", refundPending: false };
    case "CHARGED":
      return { kind: "refunded", reason: c.failureCode ?? "booking_failed", refundPending: true };
    case "STARTED":
      return { kind: "pending", reason: "timeout" };
  }
}
