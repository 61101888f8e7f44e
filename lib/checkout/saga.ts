import "server-only";
import type { Checkout } from "@/db/schema";
import { describeCause, isDatabaseUnavailable } from "@/lib/errors";
import { log } from "@/lib/log";
import { PaymentTimeoutError, paymentProvider, withPaymentTimeout, type ChargeOutcome, type NextAction, type PaymentSource } from "@/lib/payments";
import type { BookingView } from "@/lib/bookings";
import { awaitCustomerAction, returnPathFor } from "./action-window";
import { bookCharged, bookCheckout } from "./book";
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
// A charge that waits for the customer's 3-D Secure answer keeps the checkout STARTED with a
// later deadline (./customer-action.ts) and is reported as action_required.

export type How = { kind: "charge"; source: PaymentSource } | { kind: "resolve" } | { kind: "outcome"; outcome: ChargeOutcome };

export type SagaResult =
  | { kind: "booked"; bookingId: string; view?: BookingView } // view: read in the booking's own statement
  | { kind: "declined"; code: string }
  | { kind: "refunded"; reason: string; refundPending: boolean }
  | { kind: "released"; reason: string } // a free checkout that could not be booked
  | { kind: "pending"; reason: "timeout" | "unavailable" }
  | { kind: "action_required"; action: NextAction }; // 3-D Secure: the customer must confirm with the bank

/** Runs a database step of the saga (the checkout gate, lib/checkout/confirm.ts); never around a provider call. */
export type Gate = <T>(fn: () => Promise<T>) => Promise<T>;
const ungated: Gate = (fn) => fn();

export async function advanceCheckout(checkout: string | Checkout, how: How, gate: Gate = ungated): Promise<SagaResult> {
  let c = typeof checkout === "string" ? (await loadCheckout(checkout))! : checkout;
  const ctx = { reservationId: c.reservationId, checkoutId: c.id };

  if (c.state === "STARTED" && c.amountMinor === 0) return gate(() => bookStep(c));

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
    if (outcome.status === "declined" || outcome.status === "canceled") return resultOf(await gate(() => recordDeclined(c.id, outcome)));
    if (outcome.status === "requires_action") {
      await gate(() => awaitCustomerAction(c, outcome.chargeId));
      return { kind: "action_required", action: outcome.action };
    }
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
    // The usual case, one statement: the charge recorded and the booking written together.
    const charged = c;
    let view: BookingView | null;
    try {
      view = await gate(() => bookCharged(charged, outcome.chargeId));
    } catch (err) {
      if (isSimulatedCrash(err) || isDatabaseUnavailable(err)) throw err;
      log.error("checkout.booking_failed", { checkoutId: c.id, error: err instanceof Error ? err.stack : String(err), cause: describeCause(err) });
      return compensate(await gate(() => recordCharged(charged, outcome)), "booking_failed");
    }
    if (view) {
      await faultPoint("crash-after-booking", ctx);
      return { kind: "booked", bookingId: view.id, view };
    }
    c = await gate(() => recordCharged(charged, outcome));
  }

  if (c.state === "CHARGED") {
    const charged = c;
    return gate(() => bookStep(charged));
  }
  return resultOf(c);
}

async function askProvider(c: Checkout, how: How): Promise<ChargeOutcome> {
  if (how.kind === "outcome") return how.outcome;
  const provider = paymentProvider(c.provider);
  const returnPath = returnPathFor(c.reservationId);
  if (how.kind === "charge" && c.providerRef) {
    // The provider already knows this charge (it waited for 3-D Secure, or was still processing):
    // ask how it stands instead of charging again — Stripe would replay its first answer.
    const seen = await withPaymentTimeout("lookup", () => provider.lookup(c.providerKey, c.providerRef, returnPath));
    if (seen.status !== "unknown") return seen;
  }
  if (how.kind === "charge") {
    return withPaymentTimeout("charge", () =>
      provider.charge({
        key: c.providerKey,
        checkoutId: c.id,
        amountMinor: c.amountMinor,
        currency: c.currency,
        source: how.source,
        description: `Tessera checkout ${c.id}`,
        returnPath,
      }),
    );
  }
  const seen = await withPaymentTimeout("lookup", () => provider.lookup(c.providerKey, c.providerRef));
  // Unknown, still processing, or a 3-D Secure challenge nobody answered: void the key.
  if (seen.status !== "unknown" && seen.status !== "pending" && seen.status !== "requires_action") return seen;
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
