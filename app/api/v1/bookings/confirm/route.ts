import { claimsFromRequest, signInRequired } from "@/lib/auth/actor";
import { payForReservation } from "@/lib/checkout/pay";
import { AppError } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { rateLimitHeaders } from "@/lib/rate-limit";
import { runWithRequestFaults } from "@/lib/test-switches";
import { bodySchema } from "./schema";

export const dynamic = "force-dynamic";

/**
 * Pay for a reservation: 201 with the booking. Idempotency-Key is required; a replay answers
 * with the stored status and body, byte for byte, and the header Idempotent-Replayed: true.
 */
export const POST = route(async (req) => {
  // Who the token or cookie names; the checkout's first statement checks it against the users table.
  const caller = (await claimsFromRequest(req)) ?? signInRequired();
  const key = req.headers.get("idempotency-key");
  const body = await readJson(req, bodySchema);
  // lib/checkout/pay.ts: the key and the request, the rate limit, the checkout. Test-only fault
  // injection is ignored unless TESSERA_TEST_FAULTS is on (refused in production).
  const { rateLimit, ...result } = await runWithRequestFaults(req.headers.get("x-tessera-fault"), () => payForReservation(caller, body, key));

  const headers: Record<string, string> = { "cache-control": "no-store", ...(rateLimit ? rateLimitHeaders(rateLimit) : {}) };
  if (result.ok) {
    if (result.replayed) headers["Idempotent-Replayed"] = "true";
    headers["content-type"] = "application/json";
    headers.location = `/api/v1/bookings/reference/${result.booking.reference}`;
    return new Response(result.body, { status: result.status, headers });
  }
  const { replayed, ...failure } = result;
  if (replayed) headers["Idempotent-Replayed"] = "true";
  if ("retryAfter" in failure && typeof failure.retryAfter === "number") headers["Retry-After"] = String(failure.retryAfter);
  throw AppError.from(failure, headers);
});
