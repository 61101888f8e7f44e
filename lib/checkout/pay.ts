import "server-only";
import type { Claims } from "@/lib/auth/actor";
import { assertRateLimit, type RateLimitInfo } from "@/lib/rate-limit";
import { confirmParsed, parseConfirm, payerOf, type ConfirmFailure, type ConfirmResult } from "./confirm";

// A customer pays for a reservation — the one use case behind the website's pay action and the
// REST API's POST /bookings/confirm, so both meet the same guards in the same order:
//   (who the token or session names, read by the action wrapper or the route)
//   1. the Idempotency-Key and the request's shape;
//   2. the per-customer rate limit (throws rate_limited, as every limit does);
//   3. the checkout itself (./confirm.ts: the caller checked in the idempotency key's own
//      statement, then the saga and the stored answer).
// The adapters only read their input (form fields or JSON and the header) and turn the outcome
// into a page state or an HTTP response.

export type PayResult = (ConfirmResult | ConfirmFailure) & { rateLimit: RateLimitInfo | null };

export async function payForReservation(caller: Claims, input: unknown, idempotencyKey: string | null | undefined): Promise<PayResult> {
  const parsed = parseConfirm(input, idempotencyKey);
  if (!parsed.ok) return { ...parsed, rateLimit: null };
  const rateLimit = await assertRateLimit("confirm", caller.userId);
  return { ...(await confirmParsed(payerOf(caller), parsed.input, parsed.key)), rateLimit };
}
