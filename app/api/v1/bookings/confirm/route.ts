import { requireRequestActor } from "@/lib/auth/actor";
import { confirmCheckout, runWithRequestFaults } from "@/lib/checkout";
import { AppError } from "@/lib/errors";
import { readJson, route } from "@/lib/http";
import { assertRateLimit, rateLimitHeaders } from "@/lib/rate-limit";
import { bodySchema, headersSchema } from "./schema";

export const dynamic = "force-dynamic";

/**
 * Pay for a reservation: 201 with the booking. Idempotency-Key is required; a replay answers
 * with the stored status and body, byte for byte, and the header Idempotent-Replayed: true.
 */
export const POST = route(async (req) => {
  const actor = await requireRequestActor(req);
  const key = req.headers.get("idempotency-key");
  if (!key)
    throw new AppError("idempotency_key_missing", "Send an Idempotency-Key header (a new UUID per checkout attempt) so a retry can never charge twice.");
  const header = headersSchema.safeParse({ "idempotency-key": key });
  if (!header.success)
    throw new AppError("validation_failed", "The Idempotency-Key header is not valid.", {
      fields: { "Idempotency-Key": header.error.issues.map((i) => i.message) },
    });
  const limit = await assertRateLimit("confirm", actor.id);
  const body = await readJson(req, bodySchema);
  // Test-only fault injection; ignored unless TESSERA_TEST_FAULTS is on (refused in production).
  const result = await runWithRequestFaults(req.headers.get("x-tessera-fault"), () => confirmCheckout(actor, body, key));

  const headers: Record<string, string> = { "cache-control": "no-store", ...(limit ? rateLimitHeaders(limit) : {}) };
  if (result.replayed) headers["Idempotent-Replayed"] = "true";
  if (!result.ok) {
    const { ok: _ok, code, message, replayed: _replayed, ...extra } = result;
    if (typeof extra.retryAfter === "number") headers["Retry-After"] = String(extra.retryAfter);
    throw new AppError(code, message, extra, headers);
  }
  headers["content-type"] = "application/json";
  headers.location = `/api/v1/bookings/reference/${result.booking.reference}`;
  return new Response(result.body, { status: result.status, headers });
});
