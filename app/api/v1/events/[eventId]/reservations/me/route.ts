import { requireRequestActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { listReservations } from "@/lib/holds";
import { json, readParams, route } from "@/lib/http";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

/** The caller's open reservation for this event, or 404 when there is none. */
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { eventId } = await readParams(ctx, paramsSchema);
  const [reservation] = await listReservations(actor, { eventId });
  if (!reservation) throw new AppError("not_found", "You have no open reservation for this event.");
  return json(reservation, 200, { "cache-control": "no-store" });
});
