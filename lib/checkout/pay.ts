import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { assertRateLimit, type RateLimitInfo } from "@/lib/rate-limit";
import { confirmParsed, parseConfirm, type ConfirmFailure, type ConfirmResult } from "./confirm";

// A customer pays for a reservation — the one use case behind the website's pay action and the
// REST API's POST /bookings/confirm, so both meet the same guards in the same order:
//   (the caller's identity, resolved by the action wrapper or the route)
//   1. the Idempotency-Key and the request's shape;
//   2. the per-customer rate limit (throws rate_limited, as every limit does);
//   3. the checkout itself (./confirm.ts: idempotency, saga, stored answer).
// The adapters only read their input (form fields or JSON and the header) and turn the outcome
// into a page state or an HTTP response.

export type PayResult = (ConfirmResult | ConfirmFailure) & { rateLimit: RateLimitInfo | null };

export async function payForReservation(actor: Actor, input: unknown, idempotencyKey: string | null | undefined): Promise<PayResult> {
  const parsed = parseConfirm(input, idempotencyKey);
  if (!parsed.ok) return { ...parsed, rateLimit: null };
  const rateLimit = await assertRateLimit("confirm", actor.id);
  return { ...(await confirmParsed(actor, parsed.input, parsed.key)), rateLimit };
}
