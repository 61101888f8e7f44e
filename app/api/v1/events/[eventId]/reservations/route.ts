import { requireRequestActor } from "@/lib/auth/actor";
import { holdSeats, listReservations } from "@/lib/holds";
import { json, readJson, readParams, route } from "@/lib/http";
import { orThrow } from "@/lib/errors";
import { assertRateLimit, rateLimitHeaders } from "@/lib/rate-limit";
import { checkHoldAdmission } from "@/lib/waiting-room";
import { passFrom } from "@/lib/waiting-room/http";
import { bodySchema, paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

/** Hold seats (or GA places): 201 with the reservation; 409 seat_taken names every taken seat. */
export const POST = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  // While the event's waiting room is on, only admitted customers (a valid pass) get to hold.
  orThrow(await checkHoldAdmission(eventId, actor.id, passFrom(req, eventId)));
  const limit = await assertRateLimit("reservation", actor.id);
  const body = await readJson(req, bodySchema);
  const { reservation } = orThrow(await holdSeats(actor, eventId, body));
  return json(reservation, 201, {
    location: `/api/v1/events/${eventId}/reservations/${reservation.id}`,
    "cache-control": "no-store",
    ...(limit ? rateLimitHeaders(limit) : {}),
  });
});

/** The caller's open reservations for this event (at most one). */
export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  const reservations = await listReservations(actor, { eventId });
  return json({ reservations }, 200, { "cache-control": "no-store" });
});
