import { requireRequestActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { listReservations } from "@/lib/holds";
import { json, readParams, route } from "@/lib/http";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

/**
 * A user's open reservation for this event. Answers only for the caller's own id or an admin;
 * for anyone else it is 404, the same as "no reservation", so user ids cannot be probed.
 */
export const GET = route<{ eventId: string; userId: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId, userId } = await readParams(ctx, paramsSchema);
  const notFound = new AppError("not_found", "No open reservation for this user and event.");
  if (userId !== actor.id && actor.role !== "ADMIN") throw notFound;
  const [reservation] = await listReservations(actor, { eventId, userId });
  if (!reservation) throw notFound;
  return json(reservation, 200, { "cache-control": "no-store" });
});
