import "server-only";
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { checkouts, reservations, type Checkout } from "@/db/schema";
import { invalidCaller, type Claims } from "@/lib/auth/actor";
import type { Actor } from "@/lib/auth/roles";
import { loadBookingView, type BookingView } from "@/lib/bookings";
import { env } from "@/lib/env";
import { ERROR_STATUS, fail, fieldErrors, type Failure } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { createConcurrencyLimit } from "./concurrency-limit";
import { claimKey, finishKey, releaseKey, requestHash } from "./idempotency";
import { faultPoint, isSimulatedCrash } from "@/lib/test-switches";
import { advanceCheckout, type Gate, type How, type SagaResult } from "./saga";
import { confirmInputSchema, idempotencyKeySchema, type ConfirmInput } from "./schemas";
import { startCheckout } from "./start";

// confirmCheckout: one customer request to pay for a reservation. The idempotency key decides
// whether this request runs, waits for, or replays another; the saga does the work; the answer
// is stored before it is returned, so every later request with the same key gets these exact
// bytes. Final answers (booked, declined, refunded, hold expired, not found) are stored;
// transient ones (payment outcome still unknown, another payment running) are not, so the
// client's retry with the same key resumes the same checkout — which is found again through
// its provider key, derived from (user, Idempotency-Key, reservation).

export type ConfirmResult = { ok: true; replayed: boolean; status: number; body: string; booking: BookingView };
/** A refusal; `replayed` when it is the stored answer of an earlier request with the same key. */
export type ConfirmFailure = Failure & { replayed?: boolean };
type Outcome = { final: true; status: number; body: string } | { final: false; failure: Failure };

const SCOPE = "checkout";

// The gate admits a few checkouts at a time to the database (./concurrency-limit.ts). It covers
// the database steps only: a checkout waiting on the payment provider (300–1,500 ms for a real
// one) gives its slot back, or confirms per process would be capped at slots ÷ provider latency.
let limit: ReturnType<typeof createConcurrencyLimit> | undefined;
const oneOfFew: Gate = (fn) => (limit ??= createConcurrencyLimit(2 * env().DATABASE_POOL_MAX))(fn);

export function providerKeyFor(userId: string, idempotencyKey: string, reservationId: string): string {
  return "ck_" + crypto.createHash("sha256").update(`${userId}\n${idempotencyKey}\n${reservationId}`).digest("hex").slice(0, 48);
}

/** The Idempotency-Key and the request checked (the same refusals whoever asks), or the refusal. */
export function parseConfirm(input: unknown, idempotencyKey: string | null | undefined): { ok: true; input: ConfirmInput; key: string } | Failure {
  if (!idempotencyKey)
    return fail("idempotency_key_missing", "Send an Idempotency-Key header (a new UUID per checkout attempt) so a retry can never charge twice.");
  const key = idempotencyKeySchema.safeParse(idempotencyKey);
  if (!key.success)
    return fail("validation_failed", "The Idempotency-Key header is not valid.", { fields: { "Idempotency-Key": key.error.issues.map((i) => i.message) } });
  const parsed = confirmInputSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  return { ok: true, input: parsed.data, key: key.data };
}

/**
 * Who pays: an actor already checked, or the claims of a token or session (lib/auth/actor.ts),
 * which the idempotency key's own statement checks, saving the checkout a round trip.
 */
export type Payer = { id: string; sessionVersion?: number; source?: Claims["source"] };

export function payerOf(claims: Claims): Payer {
  return { id: claims.userId, sessionVersion: claims.sessionVersion, source: claims.source };
}

/** Pays for a reservation (the rule alone; the website and the API come through ./pay.ts). */
export async function confirmCheckout(actor: Actor, input: ConfirmInput, idempotencyKey: string): Promise<ConfirmResult | ConfirmFailure> {
  const parsed = parseConfirm(input, idempotencyKey);
  return parsed.ok ? confirmParsed(actor, parsed.input, parsed.key) : parsed;
}

/** confirmCheckout for a request already checked by parseConfirm. */
export async function confirmParsed(payer: Payer, data: ConfirmInput, key: string): Promise<ConfirmResult | ConfirmFailure> {
  const claim = await claimKey(payer.id, SCOPE, key, requestHash(data), payer.sessionVersion);
  if (claim.kind === "invalid_caller") throw invalidCaller(payer.source ?? "session");
  if (claim.kind === "reused")
    return fail("idempotency_key_reused", "This Idempotency-Key was already used for a different request. Use a new key for a new checkout attempt.");
  if (claim.kind === "in_flight")
    return fail("idempotency_in_flight", "A request with this Idempotency-Key is still being processed. Retry in a few seconds with the same key.", {
      retryAfter: 2,
    });
  if (claim.kind === "replay") return fromStored(claim.status, claim.body, true);

  try {
    const outcome = await run(payer, data, key, claim.fresh);
    if (!outcome.final) {
      await releaseKey(payer.id, SCOPE, key, claim.token);
      return { ...outcome.failure, replayed: false };
    }
    const stored = await finishKey(payer.id, SCOPE, key, outcome.status, outcome.body);
    return fromStored(stored.status, stored.body, false);
  } catch (err) {
    // A crash leaves the key IN_FLIGHT until its lease ends, exactly as a killed process would.
    if (!isSimulatedCrash(err)) await releaseKey(payer.id, SCOPE, key, claim.token).catch(() => {});
    throw err;
  }
}

function fromStored(status: number, body: string, replayed: boolean): ConfirmResult | ConfirmFailure {
  if (status === 201) return { ok: true, replayed, status, body, booking: JSON.parse(body) as BookingView };
  return { ...(JSON.parse(body) as Failure), replayed };
}

async function run(payer: Payer, data: ReturnType<typeof confirmInputSchema.parse>, idempotencyKey: string, freshKey: boolean): Promise<Outcome> {
  const providerKey = providerKeyFor(payer.id, idempotencyKey, data.reservationId);
  const found = async () => (await db().select().from(checkouts).where(eq(checkouts.providerKey, providerKey)))[0];
  const begun = await oneOfFew(async () => {
    // A key used for the first time cannot have started a checkout yet: no need to look for one.
    const earlier = freshKey ? undefined : await found();
    if (earlier) return { ok: true as const, checkout: earlier };
    await faultPoint("before-start", { reservationId: data.reservationId });
    try {
      return await startCheckout(payer, data.reservationId, data.payment.method, providerKey, data.ticketTypes, data.promoCode);
    } catch (err) {
      // The provider key is unique: a checkout of this very request exists after all (a key
      // purged after its 24 hours and sent again). Resume it rather than fail.
      const again = (err as { code?: string }).code === "23505" ? await found() : undefined;
      if (!again) throw err;
      return { ok: true as const, checkout: again };
    }
  });
  if (!begun.ok) return begun.code === "reservation_locked" ? { final: false, failure: begun } : final(begun);
  const c = begun.checkout;
  await faultPoint("after-start", { reservationId: c.reservationId, checkoutId: c.id });
  const how: How = data.payment.method === "free" ? { kind: "resolve" } : { kind: "charge", source: data.payment };
  return respond(await advanceCheckout(c, how, oneOfFew), c);
}

function final(failure: Failure): Outcome {
  return { final: true, status: ERROR_STATUS[failure.code], body: JSON.stringify(failure) };
}

async function respond(result: SagaResult, c: Checkout): Promise<Outcome> {
  const amount = formatMoney(c.amountMinor, c.currency);
  switch (result.kind) {
    case "booked": {
      const view = result.view ?? (await loadBookingView(db(), result.bookingId));
      return { final: true, status: 201, body: JSON.stringify(view) };
    }
    case "declined": {
      const [r] = await db()
        .select({ status: reservations.status, expiresAt: reservations.expiresAt })
        .from(reservations)
        .where(eq(reservations.id, c.reservationId));
      const held = r?.status === "ACTIVE";
      return final(
        fail(
          "payment_declined",
          `${declineMessage(result.code)} Nothing was charged.${held ? " Your seats stay held until your reservation expires: you can try another card." : ""}`,
          {
            declineCode: result.code,
            reservationId: c.reservationId,
            ...(held ? { expiresAt: r.expiresAt.toISOString() } : {}),
          },
        ),
      );
    }
    case "refunded": {
      const refund = result.refundPending ? `We are refunding the full ${amount}; it is on its way.` : `We refunded the full ${amount}.`;
      if (result.reason === "seats_taken") {
        return final(
          fail("hold_expired", `Your payment arrived after your hold on these seats had ended, and they were sold to someone else. ${refund}`, {
            refunded: true,
            amountMinor: c.amountMinor,
            currency: c.currency,
          }),
        );
      }
      if (result.reason === "event_cancelled") {
        return final(
          fail("reservation_closed", `This event has been cancelled. ${refund}`, { refunded: true, amountMinor: c.amountMinor, currency: c.currency }),
        );
      }
      return final(
        fail("internal", `We could not complete your booking because of an error on our side. ${refund} Your seats were released; nothing was booked.`, {
          refunded: true,
          amountMinor: c.amountMinor,
          currency: c.currency,
        }),
      );
    }
    case "released":
      return final(
        result.reason === "event_cancelled"
          ? fail("reservation_closed", "This event has been cancelled. Nothing was charged.", { refunded: false })
          : fail("hold_expired", "Your hold on these seats ended before the booking could be made. Nothing was charged; please choose your seats again.", {
              refunded: false,
            }),
      );
    case "action_required":
      return {
        final: false,
        failure: fail(
          "payment_action_required",
          "Your bank asks you to confirm this payment (3-D Secure). Complete the check it shows you; then retry with the same Idempotency-Key to see the result. You will not be charged twice, and your seats stay held meanwhile.",
          { nextAction: result.action, reservationId: c.reservationId },
        ),
      };
    case "pending":
      return {
        final: false,
        failure:
          result.reason === "timeout"
            ? fail(
                "payment_timeout",
                "Your payment is taking longer than expected. Do not pay again: retry with the same Idempotency-Key in a few seconds to see the result. If the payment does not go through, nothing is charged.",
                { retryAfter: 5 },
              )
            : fail(
                "payment_unavailable",
                "We could not reach the payment provider. Retry with the same Idempotency-Key in a few seconds; you will not be charged twice.",
                { retryAfter: 5 },
              ),
      };
  }
}

const DECLINES: Record<string, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  authentication_required: "Your bank asked for extra verification, which this checkout cannot do.",
  payment_canceled: "The payment did not complete.",
};

function declineMessage(code: string): string {
  return DECLINES[code] ?? "Your payment was declined.";
}
