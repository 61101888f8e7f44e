import { claimsFromRequest, requireRequestActor, signInRequired } from "@/lib/auth/actor";
import { listReservations } from "@/lib/holds";
import { placeHold } from "@/lib/holds/place-hold";
import { json, readJson, readParams, route } from "@/lib/http";
import { orThrow } from "@/lib/errors";
import { rateLimitHeaders } from "@/lib/rate-limit";
import { passFrom } from "@/lib/waiting-room/http";
import { bodySchema, paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Hold seats (or GA places): 201 with the reservation; 409 seat_taken names every taken seat. */
export const POST = route<Params>(async (req, ctx) => {
  // Who the token or cookie names; placeHold checks it against the users table in the hold's own statement.
  const caller = (await claimsFromRequest(req)) ?? signInRequired();
  const { eventId } = await readParams(ctx, paramsSchema);
  const body = await readJson(req, bodySchema);
  // lib/holds/place-hold.ts: the request, the waiting room's admission, the rate limit, the caller, the hold.
  const { reservation, rateLimit } = orThrow(await placeHold(caller, eventId, body, passFrom(req, eventId)));
  return json(reservation, 201, {
    location: `/api/v1/events/${eventId}/reservations/${reservation.id}`,
    "cache-control": "no-store",
    ...(rateLimit ? rateLimitHeaders(rateLimit) : {}),
  });
});

/** The caller's open reservations for this event (at most one). */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  const reservations = await listReservations(actor, { eventId });
  return json({ reservations }, 200, { "cache-control": "no-store" });
});
