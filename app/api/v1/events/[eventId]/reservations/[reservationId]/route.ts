import { requireRequestActor } from "@/lib/auth/actor";
import { AppError, orThrow } from "@/lib/errors";
import { getReservation, releaseReservation } from "@/lib/holds";
import { json, readParams, route } from "@/lib/http";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string; reservationId: string };

// Someone else's reservation answers 404, exactly like one that does not exist.
const notFound = () => new AppError("not_found", "No such reservation.");

export const GET = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, reservationId } = await readParams(ctx, paramsSchema);
  const reservation = await getReservation(actor, reservationId);
  if (!reservation || reservation.eventId !== eventId) throw notFound();
  return json(reservation, 200, { "cache-control": "no-store" });
});

/** Release the whole reservation: every seat returns at once. Idempotent. */
export const DELETE = route<Params>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, reservationId } = await readParams(ctx, paramsSchema);
  orThrow(await releaseReservation(actor, eventId, reservationId));
  return new Response(null, { status: 204 });
});
