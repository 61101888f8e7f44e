import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { fail, type Failure } from "@/lib/errors";
import { canonicalUuid } from "@/lib/ids";
import { assertRateLimit, type RateLimitInfo } from "@/lib/rate-limit";
import { checkHoldAdmission } from "@/lib/waiting-room/admission";
import { holdParsed, parseHoldRequest } from "./hold";
import type { ReservationView } from "./types";

// A customer asks to hold places — the one use case behind the website's hold actions and the
// REST API's POST …/reservations, so both meet the same guards in the same order:
//   (the caller's identity, resolved by the action wrapper or the route)
//   1. the request's shape (event id and seats or section + quantity);
//   2. the waiting room: while it guards the event, only an admitted visitor's pass gets in;
//   3. the per-customer rate limit (throws rate_limited, as every limit does);
//   4. the hold itself (./hold.ts).
// The adapters only read their input (form fields or JSON, the pass from a cookie or header) and
// turn the outcome into a page state or an HTTP response.

export type PlaceHoldResult = { ok: true; reservation: ReservationView; rateLimit: RateLimitInfo | null } | Failure;

export async function placeHold(actor: Actor, rawEventId: string, request: unknown, pass: string | null | undefined): Promise<PlaceHoldResult> {
  const eventId = canonicalUuid(rawEventId);
  if (!eventId) return fail("validation_failed", "Not a valid event id.", { fields: { eventId: ["Not a valid event id"] } });
  const parsed = parseHoldRequest(request);
  if (!parsed.ok) return parsed;
  const admission = await checkHoldAdmission(eventId, actor.id, pass);
  if (!admission.ok) return admission;
  const rateLimit = await assertRateLimit("reservation", actor.id);
  const held = await holdParsed(actor, eventId, parsed.request);
  return held.ok ? { ...held, rateLimit } : held;
}
